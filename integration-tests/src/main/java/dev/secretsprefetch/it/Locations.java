// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the build put what the harness runs: the layer zip, the Lambda runtimes and the example functions.
 * Maven passes the paths as system properties; run by hand, they are found from the repository root.
 */
final class Locations {

    static final String LAYER_ZIP_PROPERTY = "secretsprefetch.layerZip";
    static final String TARGET_PROPERTY = "secretsprefetch.itTarget";
    static final String BUILD_COMMAND = "mvn -B -DskipTests package";

    private Locations() {
    }

    /** The layer zip the extension module builds; it may not exist yet. */
    static Path layerZip() {
        String configured = System.getProperty(LAYER_ZIP_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        return repositoryRoot().resolve("extension/target/secrets-prefetch-layer.zip");
    }

    /** The layer zip, or a message saying how to build it. */
    static Path requireLayerZip() {
        Path zip = layerZip();
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("build the layer first: " + BUILD_COMMAND + " (no layer zip at " + zip
                    + "; -D" + LAYER_ZIP_PROPERTY + "=... points elsewhere)");
        }
        return zip;
    }

    /** AWS's runtime interface client and its dependencies, the Java function's runtime. */
    static Path javaRuntimeJars() {
        return require(target().resolve("lambda-runtime/java"), "the Java runtime interface client");
    }

    /** The Ruby runtime loop. */
    static Path rubyBootstrap() {
        return require(target().resolve("lambda-runtime/ruby/bootstrap.rb"), "the Ruby runtime loop");
    }

    /** The Python runtime loop. */
    static Path pythonBootstrap() {
        return require(target().resolve("lambda-runtime/python/bootstrap.py"), "the Python runtime loop");
    }

    /** The Node.js runtime loop. */
    static Path nodeBootstrap() {
        return require(target().resolve("lambda-runtime/node/bootstrap.js"), "the Node.js runtime loop");
    }

    /**
     * What Lambda's Node.js runtimes keep in {@code /var/runtime/node_modules}, the AWS SDK for JavaScript v3:
     * here the Node.js client's development dependencies, which its build installs ({@code npm ci}).
     */
    static Path nodeRuntimeModules() {
        return repositoryRoot().resolve("client-node/node_modules");
    }

    /** The Java example functions' code: classes at the root and {@code lib/*.jar}, as in a function zip. */
    static Path javaExamples() {
        return require(target().resolve("lambda-function/java"), "the Java example functions");
    }

    /** The Ruby example functions' code. */
    static Path rubyExamples() {
        return require(target().resolve("lambda-function/ruby"), "the Ruby example functions");
    }

    /** The Python example functions' code. */
    static Path pythonExamples() {
        return require(target().resolve("lambda-function/python"), "the Python example functions");
    }

    /** The Node.js example functions' code. */
    static Path nodeExamples() {
        return require(target().resolve("lambda-function/node"), "the Node.js example functions");
    }

    /** This module's build directory. */
    static Path target() {
        String configured = System.getProperty(TARGET_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        return repositoryRoot().resolve("integration-tests/target");
    }

    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("integration-tests"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository root (a folder with pom.xml and "
                + "integration-tests/) above " + Path.of("").toAbsolutePath() + "; run from the repository or set -D"
                + TARGET_PROPERTY + " and -D" + LAYER_ZIP_PROPERTY);
    }

    private static Path require(Path path, String what) {
        if (!Files.exists(path)) {
            throw new IllegalStateException(what + " is not built (no " + path + "); build it first: "
                    + BUILD_COMMAND);
        }
        return path;
    }
}
