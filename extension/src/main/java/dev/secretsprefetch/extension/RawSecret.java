package dev.secretsprefetch.extension;

import java.util.Optional;

/**
 * One secret as written in the configuration.
 *
 * @param where where it was written, for messages, e.g. {@code secrets[2] (line 9, column 5)}
 */
record RawSecret(String where, String name, String secretId, Optional<String> versionId,
        Optional<String> versionStage, Optional<String> file) {
}
