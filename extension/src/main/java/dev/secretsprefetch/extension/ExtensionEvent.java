package dev.secretsprefetch.extension;

import java.util.Optional;

/**
 * An event from {@code /event/next}.
 *
 * @param type {@code INVOKE} or {@code SHUTDOWN}
 * @param deadlineEpochMs when the invocation times out, or when the extension must have exited
 */
record ExtensionEvent(String type, long deadlineEpochMs, Optional<String> requestId, Optional<String> shutdownReason) {

    boolean isShutdown() {
        return "SHUTDOWN".equals(type);
    }

    boolean isInvoke() {
        return "INVOKE".equals(type);
    }
}
