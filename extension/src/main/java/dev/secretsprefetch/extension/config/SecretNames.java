// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.config;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules for the strings a configuration names things with. A secret's {@code name} and {@code file} end
 * up as manifest keys and file names inside the secrets directory, so neither may leave it or hide in it.
 */
public final class SecretNames {

    /** Leaves room for the temporary-file decoration in a 255-byte file name. */
    public static final int MAX_NAME_BYTES = 200;
    public static final int MAX_SECRET_NAME_CHARS = 512;
    static final int MAX_VERSION_ID_CHARS = 64;
    static final int MAX_VERSION_STAGE_CHARS = 256;

    private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]+");
    private static final Pattern VERSION_ID = Pattern.compile("[A-Za-z0-9-]+");

    private SecretNames() {
    }

    /**
     * What is wrong with {@code value} as a name or file name in the secrets directory, if anything: it must be
     * a plain file name (no {@code /}, not {@code .} or {@code ..}, no leading dot, no control characters) of
     * at most {@value #MAX_NAME_BYTES} bytes.
     */
    static Optional<String> fileNameProblem(String value) {
        if (value.isEmpty()) {
            return Optional.of("is empty");
        }
        if (value.indexOf('/') >= 0 || value.indexOf('\\') >= 0) {
            return Optional.of("contains a path separator");
        }
        if (value.startsWith(".")) {
            return Optional.of("starts with a dot (\".\", \"..\" and hidden names are not allowed)");
        }
        int control = controlCharacterIndex(value);
        if (control >= 0) {
            return Optional.of("contains a control character (at index " + control + ")");
        }
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_NAME_BYTES) {
            return Optional.of("is " + bytes + " bytes long, more than " + MAX_NAME_BYTES);
        }
        return Optional.empty();
    }

    /** What is wrong with {@code value} as a Secrets Manager secret name, if anything. */
    static Optional<String> secretNameProblem(String value) {
        if (value.isEmpty()) {
            return Optional.of("is empty");
        }
        if (value.length() > MAX_SECRET_NAME_CHARS) {
            return Optional.of("is " + value.length() + " characters long, more than " + MAX_SECRET_NAME_CHARS);
        }
        if (!SECRET_NAME.matcher(value).matches()) {
            return Optional.of("contains characters Secrets Manager does not allow (only letters, digits and "
                    + "/_+=.@-)");
        }
        return Optional.empty();
    }

    static Optional<String> versionIdProblem(String value) {
        if (value.isEmpty() || value.length() > MAX_VERSION_ID_CHARS || !VERSION_ID.matcher(value).matches()) {
            return Optional.of("is not a VersionId (1 to " + MAX_VERSION_ID_CHARS + " letters, digits or dashes, "
                    + "e.g. a UUID)");
        }
        return Optional.empty();
    }

    static Optional<String> versionStageProblem(String value) {
        if (value.isEmpty() || value.length() > MAX_VERSION_STAGE_CHARS) {
            return Optional.of("must be 1 to " + MAX_VERSION_STAGE_CHARS + " characters, e.g. AWSCURRENT or "
                    + "AWSPREVIOUS");
        }
        int control = controlCharacterIndex(value);
        return control >= 0
                ? Optional.of("contains a control character (at index " + control + ")")
                : Optional.empty();
    }

    /** The index of the first C0/C1 control character or DEL (NUL included), or -1. */
    static int controlCharacterIndex(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                return i;
            }
        }
        return -1;
    }
}
