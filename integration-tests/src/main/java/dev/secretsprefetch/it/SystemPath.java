// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The machine's executables as a function's {@code PATH} sees them. Lambda's Ruby runtime has no Java on its
 * {@code PATH}; this machine has {@code /usr/bin/java}, so a Ruby function gets a directory of links to
 * every system executable except those that resolve into a JDK.
 */
final class SystemPath {

    private static final List<Path> SYSTEM_DIRECTORIES = List.of(Path.of("/usr/local/bin"), Path.of("/usr/bin"),
            Path.of("/bin"));
    private static Path withoutJava;

    private SystemPath() {
    }

    /** {@code /usr/local/bin:/usr/bin:/bin}, Lambda's {@code PATH} without its runtime directory. */
    static String standard() {
        return String.join(":", SYSTEM_DIRECTORIES.stream().map(Path::toString).toList());
    }

    /** One directory with links to the system's executables, Java's tools left out; built once per JVM. */
    static synchronized String withoutJava() {
        if (withoutJava == null) {
            try {
                withoutJava = linkNonJavaExecutables();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot build a PATH without Java", e);
            }
        }
        return withoutJava.toString();
    }

    /** The absolute path of {@code command} on this JVM's own {@code PATH}. */
    static Optional<Path> find(String command) {
        String path = System.getenv().getOrDefault("PATH", standard());
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    private static Path linkNonJavaExecutables() throws IOException {
        Path dir = Files.createTempDirectory("lambda-path-without-java-");
        for (Path system : SYSTEM_DIRECTORIES) {
            if (!Files.isDirectory(system)) {
                continue;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(system)) {
                for (Path entry : entries) {
                    Path link = dir.resolve(entry.getFileName().toString());
                    if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS) && isNonJavaExecutable(entry)) {
                        Files.createSymbolicLink(link, entry);
                    }
                }
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir), "path-without-java-cleanup"));
        return dir;
    }

    private static boolean isNonJavaExecutable(Path entry) {
        try {
            Path real = entry.toRealPath();
            String text = real.toString();
            return Files.isRegularFile(real) && Files.isExecutable(real) && !text.contains("/jvm/")
                    && !text.contains("jdk") && !text.contains("jre");
        } catch (IOException dangling) {
            return false;
        }
    }

    private static void deleteQuietly(Path dir) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                Files.deleteIfExists(entry);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // Only links in a temporary directory: the system cleans it up eventually.
        }
    }
}
