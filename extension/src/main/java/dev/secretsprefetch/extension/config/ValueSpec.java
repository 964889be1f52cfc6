// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.config;

import java.util.Optional;

/** One configured value: a Secrets Manager secret or an SSM parameter. */
public sealed interface ValueSpec permits SecretSpec, ParameterSpec {

    /** The key handlers ask for, and the manifest entry's name. */
    String name();

    /** A file name in the secrets directory that also receives the raw value, if any. */
    Optional<String> file();

    /** The secret id or the parameter as configured, for log lines. */
    String id();

    /** The region of the ARN the value is named by, if it is named by one. */
    Optional<String> arnRegion();
}
