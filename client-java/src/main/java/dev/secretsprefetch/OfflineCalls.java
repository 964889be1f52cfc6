// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import dev.secretsprefetch.SecretsException.Reason;
import dev.secretsprefetch.manifest.SecretValue;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A test scope's stand-in for Secrets Manager ({@link TestScopes}): whatever the fake manifest cannot serve
 * fails at once, and nothing is ever called. A secret the test declared failing fails with the reason the test
 * gave; any other name fails with the error the test support makes for it (an {@link AssertionError}, which
 * handler code catching {@link SecretsException} or {@link Exception} does not swallow).
 */
final class OfflineCalls {

    private final Map<String, Reason> failingSecretIds;
    private final Function<String, ? extends Error> undeclared;

    OfflineCalls(Map<String, Reason> failingSecretIds, Function<String, ? extends Error> undeclared) {
        this.failingSecretIds = Map.copyOf(failingSecretIds);
        this.undeclared = Objects.requireNonNull(undeclared, "undeclared");
    }

    /**
     * Never returns: the secret's declared failure, or the test support's error for an undeclared name.
     *
     * @param name what the caller asked for
     * @param request what a direct call would have asked Secrets Manager for
     */
    SecretValue fetch(String name, SecretRequest request) {
        Reason reason = failingSecretIds.get(request.id());
        if (reason != null) {
            throw new SecretsException(reason, name, "the test declared this secret failing with " + reason
                    + "; no call to " + request.service() + " was made");
        }
        throw Objects.requireNonNull(undeclared.apply(name), "undeclared error");
    }
}
