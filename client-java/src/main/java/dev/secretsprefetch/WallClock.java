// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The system clock in UTC, as {@link Clock#systemUTC()}, without its cost on a cold start: that one initializes
 * {@link ZoneOffset}, whose caches set up var handles on JDK 25 (about 5 ms before the first get). The client
 * only reads {@link #millis()}; the zone is resolved when something asks for it.
 */
final class WallClock extends Clock {

    static final WallClock INSTANCE = new WallClock();

    private WallClock() {
    }

    @Override
    public long millis() {
        return System.currentTimeMillis();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.system(zone);
    }
}
