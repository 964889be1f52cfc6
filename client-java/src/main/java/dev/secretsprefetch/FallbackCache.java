// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import dev.secretsprefetch.manifest.SecretValue;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Values fetched directly from Secrets Manager, kept for {@link #TTL_MS} so a function without the extension
 * does not call Secrets Manager on every invocation. Concurrent misses for the same secret make one call;
 * failures are not cached, so the next call tries again. A clock that went back before a value's fetch expires
 * it: its age is unknown, and a step back of an hour must not keep a value for an hour and five minutes.
 */
final class FallbackCache {

    static final long TTL_MS = 300_000;

    private final Clock clock;
    private final ConcurrentHashMap<SecretRequest, Slot> slots = new ConcurrentHashMap<>();

    FallbackCache(Clock clock) {
        this.clock = clock;
    }

    /** The cached value of {@code request}, or what {@code fetch} returns for it (then cached). */
    SecretValue get(SecretRequest request, Function<SecretRequest, SecretValue> fetch) {
        return slots.computeIfAbsent(request, r -> new Slot()).get(request, fetch, clock);
    }

    /** One secret's value; its monitor makes concurrent misses wait for the one call in flight. */
    private static final class Slot {
        private SecretValue value;
        private long fetchedAtMs;

        synchronized SecretValue get(SecretRequest request, Function<SecretRequest, SecretValue> fetch, Clock clock) {
            long now = clock.millis();
            if (value == null || now - fetchedAtMs >= TTL_MS || now < fetchedAtMs) {
                value = fetch.apply(request);
                fetchedAtMs = now;
            }
            return value;
        }
    }
}
