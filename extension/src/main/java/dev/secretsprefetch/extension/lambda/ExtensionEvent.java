// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.lambda;

import java.util.Optional;

/**
 * An event from {@code /event/next}.
 *
 * @param type {@code INVOKE} or {@code SHUTDOWN}
 * @param deadlineEpochMs when the invocation times out, or when the extension must have exited
 */
public record ExtensionEvent(String type, long deadlineEpochMs, Optional<String> requestId, Optional<String> shutdownReason) {

    public boolean isShutdown() {
        return "SHUTDOWN".equals(type);
    }

    public boolean isInvoke() {
        return "INVOKE".equals(type);
    }
}
