// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.lambda;

import java.io.IOException;

/** The Extensions API answered a call with a status other than 2xx. */
final class ExtensionsApiException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String endpoint;
    private final int status;

    ExtensionsApiException(String endpoint, int status, String detail) {
        super("Extensions API " + endpoint + " answered " + status + (detail.isBlank() ? "" : ": " + detail.strip()));
        this.endpoint = endpoint;
        this.status = status;
    }

    String endpoint() {
        return endpoint;
    }

    int status() {
        return status;
    }
}
