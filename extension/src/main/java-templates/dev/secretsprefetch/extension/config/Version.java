// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.config;

/**
 * The extension's version, written in by the build (this file is a template under {@code src/main/java-templates}):
 * nothing is read at start-up to learn it, neither a jar manifest nor a system property, on the JVM and in the
 * native executable alike.
 */
public final class Version {

    /** The project version this extension was built as. */
    public static final String VALUE = "${project.version}";

    private Version() {
    }
}
