// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.manifest;

/**
 * A document is not JSON under {@link StrictJson}'s rules. The message says what is wrong and where (line and
 * column), in words that fit after "the document" or "manifest", and never quotes the document.
 */
public final class JsonSyntaxException extends Exception {

    private static final long serialVersionUID = 1L;

    JsonSyntaxException(String message) {
        super(message, null, false, false);
    }
}
