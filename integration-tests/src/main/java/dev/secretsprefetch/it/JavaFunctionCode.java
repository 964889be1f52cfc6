// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Lays out a Java function's code the way a function zip unpacks into {@code /var/task}: handler classes at
 * the root, libraries in {@code lib/*.jar}. Libraries are named by a class they contain and taken from
 * wherever this JVM loaded that class: a jar is copied, a classes directory is jarred.
 */
final class JavaFunctionCode {

    private JavaFunctionCode() {
    }

    static Path stage(Path directory, List<Class<?>> handlers, List<Class<?>> libraries) throws IOException {
        Files.createDirectories(directory.resolve("lib"));
        for (Class<?> handler : handlers) {
            copyClassFiles(handler, directory);
        }
        int index = 0;
        for (Class<?> library : libraries) {
            Path source = codeSource(library);
            Path target = directory.resolve("lib").resolve(String.format("%02d-%s", index++,
                    source.getFileName().toString().replaceAll("\\.jar$", "") + ".jar"));
            if (Files.isDirectory(source)) {
                jar(source, target);
            } else {
                Files.copy(source, target);
            }
        }
        return directory;
    }

    /** The class file of {@code type} and of its nested classes, under their package path. */
    private static void copyClassFiles(Class<?> type, Path root) throws IOException {
        Path source = codeSource(type);
        if (!Files.isDirectory(source)) {
            throw new IllegalArgumentException(type + " comes from a jar (" + source + "); pass it as a library");
        }
        Path packageDir = Path.of(type.getPackageName().replace('.', '/'));
        Files.createDirectories(root.resolve(packageDir));
        String name = type.getSimpleName();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(source.resolve(packageDir),
                name + ".class")) {
            for (Path file : files) {
                Files.copy(file, root.resolve(packageDir).resolve(file.getFileName().toString()));
            }
        }
        try (DirectoryStream<Path> nested = Files.newDirectoryStream(source.resolve(packageDir), name + "$*.class")) {
            for (Path file : nested) {
                Files.copy(file, root.resolve(packageDir).resolve(file.getFileName().toString()));
            }
        }
    }

    private static Path codeSource(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null) {
            throw new IllegalArgumentException(type + " has no code source (a JDK class?)");
        }
        try {
            return Path.of(source.getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("code source of " + type + " is not a file: " + source.getLocation(), e);
        }
    }

    private static void jar(Path classes, Path target) throws IOException {
        try (OutputStream file = Files.newOutputStream(target);
                JarOutputStream jar = new JarOutputStream(file);
                Stream<Path> tree = Files.walk(classes)) {
            for (Path path : (Iterable<Path>) tree.filter(Files::isRegularFile).sorted()::iterator) {
                jar.putNextEntry(new JarEntry(classes.relativize(path).toString().replace('\\', '/')));
                Files.copy(path, jar);
                jar.closeEntry();
            }
        }
    }
}
