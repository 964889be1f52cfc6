// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.config;

import java.util.Optional;

/**
 * One secret or parameter as written in the configuration: ConfigLoader checks that exactly one of
 * {@code secretId} and {@code parameter} is given.
 *
 * @param where where it was written, for messages, e.g. {@code secrets[2] (line 9, column 5)}
 */
record RawSecret(String where, String name, Optional<String> secretId, Optional<String> parameter,
        Optional<String> versionId, Optional<String> versionStage, Optional<String> file) {
}
