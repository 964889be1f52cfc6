// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.manifest;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the manifest holds for one configured secret or SSM parameter: where it came from ({@link #source()}) and
 * either its value or why it could not be fetched.
 *
 * @param source the secret or the parameter the configuration asked for, with what the service said of its version
 * @param arn the ARN the service returned, when known
 * @param fetchedAtEpochMs when the value was fetched or the failed attempt made
 * @param value the value or the error; never binary for a parameter
 */
public record SecretEntry(Source source, Optional<String> arn, long fetchedAtEpochMs, SecretValue value) {

    /** Where an entry's value comes from: a Secrets Manager secret or an SSM parameter. */
    public sealed interface Source permits Secret, Parameter {

        /** The secret id or the parameter, as the configuration gave it. */
        String id();

        /** Whether the configuration asked for a specific version (or stage, or label) rather than the current one. */
        boolean pinsVersion();
    }

    /**
     * A Secrets Manager secret.
     *
     * @param secretId the id the configuration asked for (a name or an ARN)
     * @param versionId the VersionId of the value, when known
     * @param versionStages the stages attached to that version
     * @param requestedVersionId the version the configuration pinned, if any
     * @param requestedVersionStage the stage the configuration pinned, if any
     */
    public record Secret(String secretId, Optional<String> versionId, List<String> versionStages,
            Optional<String> requestedVersionId, Optional<String> requestedVersionStage) implements Source {

        public Secret {
            Objects.requireNonNull(secretId, "secretId");
            Objects.requireNonNull(versionId, "versionId");
            versionStages = List.copyOf(versionStages);
            Objects.requireNonNull(requestedVersionId, "requestedVersionId");
            Objects.requireNonNull(requestedVersionStage, "requestedVersionStage");
        }

        @Override
        public String id() {
            return secretId;
        }

        @Override
        public boolean pinsVersion() {
            return requestedVersionId.isPresent() || requestedVersionStage.isPresent();
        }
    }

    /**
     * An SSM Parameter Store parameter.
     *
     * @param parameter the parameter as configured: a name or an ARN, with its {@code :version} or {@code :label}
     *     selector if the configuration gave one
     * @param parameterType {@code String}, {@code StringList} or {@code SecureString}, when known
     * @param parameterVersion SSM's {@code Version} of the value, when known
     * @param requestedVersion the version the configuration pinned ({@code :3}), if any
     * @param requestedLabel the label the configuration pinned ({@code :live}), if any
     */
    public record Parameter(String parameter, Optional<String> parameterType, OptionalLong parameterVersion,
            OptionalLong requestedVersion, Optional<String> requestedLabel) implements Source {

        public Parameter {
            Objects.requireNonNull(parameter, "parameter");
            Objects.requireNonNull(parameterType, "parameterType");
            Objects.requireNonNull(parameterVersion, "parameterVersion");
            Objects.requireNonNull(requestedVersion, "requestedVersion");
            Objects.requireNonNull(requestedLabel, "requestedLabel");
        }

        @Override
        public String id() {
            return parameter;
        }

        @Override
        public boolean pinsVersion() {
            return requestedVersion.isPresent() || requestedLabel.isPresent();
        }
    }

    public SecretEntry {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(value, "value");
        // Not "instanceof Parameter": an instanceof loads its class, which a function reading only secrets never needs.
        if (!(source instanceof Secret) && value instanceof SecretValue.Binary) {
            throw new IllegalArgumentException("an SSM parameter has no binary value");
        }
    }

    /** An entry for a secret; the form the extension's Secrets Manager code builds. */
    public SecretEntry(String secretId, Optional<String> arn, Optional<String> versionId, List<String> versionStages,
            Optional<String> requestedVersionId, Optional<String> requestedVersionStage, long fetchedAtEpochMs,
            SecretValue value) {
        this(new Secret(secretId, versionId, versionStages, requestedVersionId, requestedVersionStage), arn,
                fetchedAtEpochMs, value);
    }

    /** An entry for a secret that could not be fetched; clients call Secrets Manager for it themselves. */
    public static SecretEntry failed(String secretId, Optional<String> requestedVersionId,
            Optional<String> requestedVersionStage, long attemptedAtEpochMs, String code, String message) {
        return new SecretEntry(secretId, Optional.empty(), Optional.empty(), List.of(), requestedVersionId,
                requestedVersionStage, attemptedAtEpochMs, new SecretValue.Failure(code, message));
    }

    /** An entry for a parameter that could not be fetched; clients call SSM for it themselves. */
    public static SecretEntry failed(Parameter parameter, long attemptedAtEpochMs, String code, String message) {
        return new SecretEntry(parameter, Optional.empty(), attemptedAtEpochMs, new SecretValue.Failure(code, message));
    }

    /** Whether this entry is an SSM parameter rather than a Secrets Manager secret. */
    public boolean isParameter() {
        return source instanceof Parameter;
    }

    /** The secret id, or for a parameter entry the parameter, as the configuration gave it ({@link Source#id()}). */
    public String secretId() {
        return source.id();
    }

    /** A secret's VersionId; empty for a parameter (see {@link Parameter#parameterVersion()}). */
    public Optional<String> versionId() {
        return source instanceof Secret s ? s.versionId() : Optional.empty();
    }

    /** A secret's version stages; empty for a parameter. */
    public List<String> versionStages() {
        return source instanceof Secret s ? s.versionStages() : List.of();
    }

    /** The VersionId a secret entry pins; empty for a parameter (see {@link Parameter#requestedVersion()}). */
    public Optional<String> requestedVersionId() {
        return source instanceof Secret s ? s.requestedVersionId() : Optional.empty();
    }

    /** The stage a secret entry pins; empty for a parameter (see {@link Parameter#requestedLabel()}). */
    public Optional<String> requestedVersionStage() {
        return source instanceof Secret s ? s.requestedVersionStage() : Optional.empty();
    }

    /** Whether the configuration asked for a specific version, stage or label rather than the current one. */
    public boolean pinsVersion() {
        return source.pinsVersion();
    }

    public boolean failed() {
        return value instanceof SecretValue.Failure;
    }
}
