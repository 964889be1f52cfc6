// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.config;

import java.util.Objects;
import java.util.Optional;

/**
 * One configured SSM parameter.
 *
 * @param name the key handlers ask for, and the manifest entry's name
 * @param parameter the parameter, with its selector if any
 * @param file a file name in the secrets directory that also receives the raw value, if any
 */
public record ParameterSpec(String name, SsmParameter parameter, Optional<String> file) implements ValueSpec {

    public ParameterSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parameter, "parameter");
        Objects.requireNonNull(file, "file");
    }

    /** A parameter without a file; {@code parameter} must be valid (tests). */
    public static ParameterSpec of(String name, String parameter) {
        try {
            return new ParameterSpec(name, SsmParameter.parse(parameter), Optional.empty());
        } catch (SsmParameter.InvalidParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public String id() {
        return parameter.configured();
    }

    @Override
    public Optional<String> arnRegion() {
        return parameter.region();
    }
}
