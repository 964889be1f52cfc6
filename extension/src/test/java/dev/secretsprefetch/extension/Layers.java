// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The layer zips the build made, unpacked once per test JVM into a temporary directory as Lambda unpacks a layer
 * into {@code /opt} (file modes kept). The black-box tests run the layer under test's
 * {@code extensions/secrets-prefetch}: the native executable, or with {@code -DskipNativeBuild} the Amazon Linux 2
 * layer's launcher on its JVM.
 */
final class Layers {

    /** {@code false} when the build made the Amazon Linux 2 (JVM) layer only ({@code -DskipNativeBuild}). */
    static final String NATIVE_PROPERTY = "secretsprefetch.layer.native";
    /** Runs this executable instead of the layer's, e.g. the extension on a JVM under the tracing agent. */
    static final String EXECUTABLE_PROPERTY = "secretsprefetch.extension.executable";

    private static final Map<Path, Path> UNPACKED = new HashMap<>();

    private Layers() {
    }

    /** Whether the native layer was built (the default), so that tests of the native executable itself can run. */
    static boolean nativeBuilt() {
        return Boolean.parseBoolean(System.getProperty(NATIVE_PROPERTY, "true"));
    }

    /** The native layer, unpacked. */
    static Path nativeLayer() {
        return unpacked(Path.of(System.getProperty("secretsprefetch.layer.zip", "target/secrets-prefetch-layer.zip")));
    }

    /** The Amazon Linux 2 (JVM) layer, unpacked. */
    static Path al2Layer() {
        return unpacked(Path.of(System.getProperty("secretsprefetch.layer.al2.zip",
                "target/secrets-prefetch-layer-al2.zip")));
    }

    /** The extension the black-box tests run: the native layer's, or the JVM layer's without a native build. */
    static Path extensionUnderTest() {
        String override = System.getProperty(EXECUTABLE_PROPERTY, "");
        if (!override.isBlank()) {
            return Path.of(override);
        }
        return extension(nativeBuilt() ? nativeLayer() : al2Layer());
    }

    static Path extension(Path layer) {
        return layer.resolve("extensions/secrets-prefetch");
    }

    private static synchronized Path unpacked(Path zip) {
        return UNPACKED.computeIfAbsent(zip.toAbsolutePath(), Layers::unpack);
    }

    private static Path unpack(Path zip) {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("no layer zip at " + zip + ": build it first (mvn -B -pl extension -am "
                    + "package, or mvn verify)");
        }
        try {
            Path target = Files.createTempDirectory("layer-");
            try (FileSystem layer = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()),
                    Map.of("enablePosixFileAttributes", "true"))) {
                Path root = layer.getPath("/");
                try (Stream<Path> entries = Files.walk(root)) {
                    for (Path entry : (Iterable<Path>) entries::iterator) {
                        Path file = target.resolve(root.relativize(entry).toString());
                        if (Files.isDirectory(entry)) {
                            Files.createDirectories(file);
                        } else {
                            Files.copy(entry, file);
                            Files.setPosixFilePermissions(file, Files.getPosixFilePermissions(entry));
                        }
                    }
                }
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(target)));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + zip, e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // A temporary directory: the system cleans up what is left.
        }
    }
}
