// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import dev.secretsprefetch.manifest.SecretEntry;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one fetch round.
 *
 * @param entries an entry per requested secret or parameter, by name, in configured order
 * @param batchCalls BatchGetSecretValue calls made
 * @param getCalls GetSecretValue calls made
 * @param parameterCalls GetParameters calls made
 * @param millis how long the round took
 */
record FetchRound(Map<String, SecretEntry> entries, int batchCalls, int getCalls, int parameterCalls, long millis) {

    FetchRound {
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    long failures() {
        return entries.values().stream().filter(SecretEntry::failed).count();
    }

    /** The round's log line: counts and time, never a value. */
    String summary(String what) {
        return what + ": " + entries.size() + " secret(s), " + (entries.size() - failures()) + " fetched, "
                + failures() + " failed, in " + millis + " ms (" + batchCalls + " BatchGetSecretValue, " + getCalls
                + " GetSecretValue" + (parameterCalls > 0 ? ", " + parameterCalls + " GetParameters" : "")
                + " call(s))";
    }
}
