// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import java.util.Objects;
import java.util.Optional;

/**
 * One direct call: {@code GetSecretValue} for a secret (the id, and the version or stage an error entry pinned),
 * or {@code GetParameter} for an SSM parameter (its name or ARN, with its {@code :version} or {@code :label}
 * selector if it has one; SSM reads the selector from the name).
 *
 * @param parameter whether this is a {@code GetParameter} rather than a {@code GetSecretValue}
 * @param id a secret's name or ARN, or a parameter's
 * @param versionId a pinned VersionId, if any (secrets only)
 * @param versionStage a pinned stage, if any (secrets only)
 */
record SecretRequest(boolean parameter, String id, Optional<String> versionId, Optional<String> versionStage) {

    SecretRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(versionId, "versionId");
        Objects.requireNonNull(versionStage, "versionStage");
    }

    /**
     * What a name no manifest entry serves asks for: an SSM parameter ARN is a {@code GetParameter}; anything else,
     * a bare {@code /a/b} too (secret names may contain {@code /}), is the {@code SecretId} of a
     * {@code GetSecretValue} (docs/manifest.md, "Rules for readers", 5).
     */
    static SecretRequest forName(String name) {
        return new SecretRequest(isParameterArn(name), name, Optional.empty(), Optional.empty());
    }

    /** A secret's current version. */
    static SecretRequest secret(String secretId, Optional<String> versionId, Optional<String> versionStage) {
        return new SecretRequest(false, secretId, versionId, versionStage);
    }

    /** A parameter, by its name or ARN, with its selector if any. */
    static SecretRequest parameter(String parameter) {
        return new SecretRequest(true, parameter, Optional.empty(), Optional.empty());
    }

    /** {@code arn:PARTITION:ssm:REGION:ACCOUNT:parameter/...}, with a region. */
    static boolean isParameterArn(String name) {
        if (!name.startsWith("arn:")) {
            return false;
        }
        String[] parts = name.split(":", 6);
        return parts.length == 6 && parts[2].equals("ssm") && !parts[3].isEmpty() && parts[5].startsWith("parameter/");
    }

    /** The region in an ARN id ({@code arn:partition:service:region:account:...}), if it is one. */
    Optional<String> arnRegion() {
        if (!id.startsWith("arn:")) {
            return Optional.empty();
        }
        String[] parts = id.split(":", 5);
        return parts.length == 5 && !parts[3].isEmpty() ? Optional.of(parts[3]) : Optional.empty();
    }

    /** The service, for messages. */
    String service() {
        return parameter ? "SSM Parameter Store" : "Secrets Manager";
    }

    /** For messages: what is asked for and any pinned version, never a value. */
    String describe() {
        StringBuilder text = new StringBuilder(parameter ? "parameter " : "").append(id);
        versionId.ifPresent(v -> text.append(" version ").append(v));
        versionStage.ifPresent(s -> text.append(" stage ").append(s));
        return text.toString();
    }
}
