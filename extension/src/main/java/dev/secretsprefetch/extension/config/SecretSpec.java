// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.config;

import java.util.Objects;
import java.util.Optional;

/**
 * One configured secret.
 *
 * @param name the key handlers ask for, and the manifest entry's name
 * @param secretId the secret's name or ARN in Secrets Manager
 * @param versionId a pinned version, if any
 * @param versionStage a pinned stage (e.g. {@code AWSPREVIOUS}), if any; never together with a version id
 * @param file a file name in the secrets directory that also receives the raw value, if any
 */
public record SecretSpec(String name, String secretId, Optional<String> versionId, Optional<String> versionStage,
        Optional<String> file) implements ValueSpec {

    public SecretSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(secretId, "secretId");
        Objects.requireNonNull(versionId, "versionId");
        Objects.requireNonNull(versionStage, "versionStage");
        Objects.requireNonNull(file, "file");
        if (versionId.isPresent() && versionStage.isPresent()) {
            throw new IllegalArgumentException("secret " + name + " pins both a version id and a stage");
        }
    }

    public static SecretSpec of(String name, String secretId) {
        return new SecretSpec(name, secretId, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Whether the configuration asked for a specific version or stage: such secrets are fetched one by one. */
    public boolean pinsVersion() {
        return versionId.isPresent() || versionStage.isPresent();
    }

    @Override
    public String id() {
        return secretId;
    }

    /** The region in the secret's ARN, when it is given as an ARN. */
    @Override
    public Optional<String> arnRegion() {
        return SecretArn.of(secretId).map(SecretArn::region);
    }
}
