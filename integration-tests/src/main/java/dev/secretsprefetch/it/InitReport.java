package dev.secretsprefetch.it;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What one cold start's init phase took, as Lambda would report it.
 *
 * @param error why init failed, if it did
 * @param initDuration first exec until the runtime and every extension were ready (or init failed)
 * @param runtimeStart the start of init until the runtime's exec (the extensions' registration)
 * @param runtimeInit the runtime's exec until its first {@code /runtime/invocation/next}
 * @param extensionInit each extension's exec until its first {@code /extension/event/next}
 */
record InitReport(Optional<LambdaError> error, Duration initDuration, Optional<Duration> runtimeStart,
        Optional<Duration> runtimeInit, Map<String, Duration> extensionInit) {

    boolean succeeded() {
        return error.isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(succeeded() ? "init " : "init FAILED (" + error.get() + ") after ")
                .append(initDuration.toMillis()).append(" ms");
        runtimeStart.ifPresent(d -> text.append(", runtime started at ").append(d.toMillis()).append(" ms"));
        runtimeInit.ifPresent(d -> text.append(", runtime ").append(d.toMillis()).append(" ms"));
        extensionInit.forEach((name, d) -> text.append(", extension ").append(name).append(' ')
                .append(d.toMillis()).append(" ms"));
        return text.toString();
    }
}
