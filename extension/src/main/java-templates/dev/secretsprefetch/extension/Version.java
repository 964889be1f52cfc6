package dev.secretsprefetch.extension;

/**
 * The extension's version, written in by the build (this file is a template under {@code src/main/java-templates}):
 * nothing is read at start-up to learn it, neither a jar manifest nor a system property, on the JVM and in the
 * native executable alike.
 */
final class Version {

    /** The project version this extension was built as. */
    static final String VALUE = "${project.version}";

    private Version() {
    }
}
