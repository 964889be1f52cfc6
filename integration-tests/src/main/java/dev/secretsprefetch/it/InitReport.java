// SPDX-License-Identifier: Apache-2.0
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
 * @param extensionRegister each extension's exec until it registered (what holds the runtime's start back)
 * @param extensionPeakRssKb each extension's peak resident memory by the end of init ({@code VmHWM}, kB; its
 *     descendants' added, for an extension that starts others)
 */
record InitReport(Optional<LambdaError> error, Duration initDuration, Optional<Duration> runtimeStart,
        Optional<Duration> runtimeInit, Map<String, Duration> extensionInit, Map<String, Duration> extensionRegister,
        Map<String, Long> extensionPeakRssKb) {

    boolean succeeded() {
        return error.isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(succeeded() ? "init " : "init FAILED (" + error.get() + ") after ")
                .append(initDuration.toMillis()).append(" ms");
        runtimeStart.ifPresent(d -> text.append(", runtime started at ").append(d.toMillis()).append(" ms"));
        runtimeInit.ifPresent(d -> text.append(", runtime ").append(d.toMillis()).append(" ms"));
        extensionInit.forEach((name, d) -> {
            text.append(", extension ").append(name).append(' ').append(d.toMillis()).append(" ms");
            Optional.ofNullable(extensionRegister.get(name)).ifPresent(r -> text.append(" (registered at ")
                    .append(r.toMillis()).append(" ms"));
            Optional.ofNullable(extensionPeakRssKb.get(name)).ifPresent(kb -> text.append(extensionRegister
                    .containsKey(name) ? ", " : " (").append(String.format(java.util.Locale.ROOT, "peak RSS %.1f MiB",
                    kb / 1024.0)));
            if (extensionRegister.containsKey(name) || extensionPeakRssKb.containsKey(name)) {
                text.append(')');
            }
        });
        return text.toString();
    }
}
