package dev.secretsprefetch.manifest;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the manifest holds for one configured secret: where it came from and either its value or why it
 * could not be fetched.
 *
 * @param secretId the id the configuration asked for (a name or an ARN)
 * @param arn the ARN Secrets Manager returned, when known
 * @param versionId the VersionId of the value, when known
 * @param versionStages the stages attached to that version
 * @param requestedVersionId the version the configuration pinned, if any
 * @param requestedVersionStage the stage the configuration pinned, if any
 * @param fetchedAtEpochMs when the value was fetched or the failed attempt made
 * @param value the value or the error
 */
public record SecretEntry(
        String secretId,
        Optional<String> arn,
        Optional<String> versionId,
        List<String> versionStages,
        Optional<String> requestedVersionId,
        Optional<String> requestedVersionStage,
        long fetchedAtEpochMs,
        SecretValue value) {

    public SecretEntry {
        Objects.requireNonNull(secretId, "secretId");
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(versionId, "versionId");
        versionStages = List.copyOf(versionStages);
        Objects.requireNonNull(requestedVersionId, "requestedVersionId");
        Objects.requireNonNull(requestedVersionStage, "requestedVersionStage");
        Objects.requireNonNull(value, "value");
    }

    /** An entry for a secret that could not be fetched; clients call Secrets Manager for it themselves. */
    public static SecretEntry failed(String secretId, Optional<String> requestedVersionId,
            Optional<String> requestedVersionStage, long attemptedAtEpochMs, String code, String message) {
        return new SecretEntry(secretId, Optional.empty(), Optional.empty(), List.of(), requestedVersionId,
                requestedVersionStage, attemptedAtEpochMs, new SecretValue.Failure(code, message));
    }

    /** Whether the configuration asked for a specific version or stage rather than the current one. */
    public boolean pinsVersion() {
        return requestedVersionId.isPresent() || requestedVersionStage.isPresent();
    }

    public boolean failed() {
        return value instanceof SecretValue.Failure;
    }
}
