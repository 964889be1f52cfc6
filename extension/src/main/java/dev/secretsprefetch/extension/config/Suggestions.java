// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean ...?" for misspelt configuration keys. */
final class Suggestions {

    private Suggestions() {
    }

    /** The known word closest to {@code word}, if it is close enough to be a likely typo. */
    static Optional<String> closest(String word, List<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(word.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        boolean prefix = best != null && (best.toLowerCase(Locale.ROOT).startsWith(word.toLowerCase(Locale.ROOT))
                || word.toLowerCase(Locale.ROOT).startsWith(best.toLowerCase(Locale.ROOT)));
        return best != null && word.length() >= 3 && (prefix || bestDistance <= Math.max(2, word.length() / 3))
                ? Optional.of(best)
                : Optional.empty();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
