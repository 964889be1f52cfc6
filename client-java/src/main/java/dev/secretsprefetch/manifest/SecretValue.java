// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.manifest;

import java.util.Arrays;
import java.util.Objects;

/**
 * Exactly one of a string value, a binary value or an error. The string forms of all three are safe to log:
 * they never contain a value.
 */
public sealed interface SecretValue {

    /** A {@code SecretString}. */
    record Text(String value) implements SecretValue {
        public Text {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return "Text[" + value.length() + " chars]";
        }
    }

    /** A {@code SecretBinary}; the array is copied in and out. */
    record Binary(byte[] bytes) implements SecretValue {
        public Binary {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Binary b && Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Binary[" + bytes.length + " bytes]";
        }
    }

    /**
     * Why a secret could not be fetched.
     *
     * @param code the Secrets Manager error code, or {@code Timeout} / {@code ClientError}
     * @param message a description that never contains a value
     */
    record Failure(String code, String message) implements SecretValue {
        public Failure {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }
}
