package dev.secretsprefetch;

import java.util.Objects;
import java.util.Optional;

/**
 * One direct {@code GetSecretValue} call: the id, and the version or stage an error entry pinned.
 *
 * @param secretId a name or an ARN
 * @param versionId a pinned VersionId, if any
 * @param versionStage a pinned stage, if any
 */
record SecretRequest(String secretId, Optional<String> versionId, Optional<String> versionStage) {

    SecretRequest {
        Objects.requireNonNull(secretId, "secretId");
        Objects.requireNonNull(versionId, "versionId");
        Objects.requireNonNull(versionStage, "versionStage");
    }

    /** The current version of {@code secretId}. */
    static SecretRequest current(String secretId) {
        return new SecretRequest(secretId, Optional.empty(), Optional.empty());
    }

    /** The region in an ARN id ({@code arn:partition:secretsmanager:region:account:secret:name}), if it is one. */
    Optional<String> arnRegion() {
        if (!secretId.startsWith("arn:")) {
            return Optional.empty();
        }
        String[] parts = secretId.split(":", 5);
        return parts.length == 5 && !parts[3].isEmpty() ? Optional.of(parts[3]) : Optional.empty();
    }

    /** For messages: the id and any pinned version, never a value. */
    String describe() {
        StringBuilder text = new StringBuilder(secretId);
        versionId.ifPresent(v -> text.append(" version ").append(v));
        versionStage.ifPresent(s -> text.append(" stage ").append(s));
        return text.toString();
    }
}
