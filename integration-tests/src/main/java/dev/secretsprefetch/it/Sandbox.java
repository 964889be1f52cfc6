// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import dev.secretsprefetch.manifest.ManifestFilesWriter;
import dev.secretsprefetch.testing.TestLogs;
import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One execution environment's file system: {@code opt/} (the layers, unpacked with their modes, as Lambda
 * unpacks them to {@code /opt}), {@code tmp/} (its {@code /tmp}) and {@code logs/} (each process's output).
 * The function's code stays where it is: it is read-only, like {@code /var/task}.
 */
final class Sandbox implements AutoCloseable {

    private final Path root;
    private final Path opt;
    private final Path tmp;
    private final Path logs;

    private Sandbox(Path root) throws IOException {
        this.root = root;
        this.opt = Files.createDirectory(root.resolve("opt"));
        this.tmp = Files.createDirectory(root.resolve("tmp"));
        this.logs = Files.createDirectory(root.resolve("logs"));
    }

    static Sandbox create(LambdaFunction function) throws IOException {
        Path parent = function.sandboxParent().orElse(Path.of(System.getProperty("java.io.tmpdir")));
        Files.createDirectories(parent);
        Sandbox sandbox = new Sandbox(Files.createTempDirectory(parent, "lambda-" + function.name() + "-"));
        for (Path layer : function.layers()) {
            sandbox.unpack(layer);
        }
        return sandbox;
    }

    Path root() {
        return root;
    }

    Path opt() {
        return opt;
    }

    Path tmp() {
        return tmp;
    }

    Path logs() {
        return logs;
    }

    /** The executables in {@code opt/extensions/}, by file name: Lambda starts each one as an extension. */
    SortedSet<String> extensions() throws IOException {
        SortedSet<String> names = new TreeSet<>();
        Path dir = opt.resolve("extensions");
        if (!Files.isDirectory(dir)) {
            return names;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry) && Files.isExecutable(entry)) {
                    names.add(entry.getFileName().toString());
                }
            }
        }
        return names;
    }

    private void unpack(Path zip) throws IOException {
        if (!Files.isRegularFile(zip)) {
            throw new IOException("layer " + zip + " does not exist");
        }
        // The zip file system reads the Unix modes that zip tools store: extensions must stay executable.
        try (FileSystem layer = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()),
                Map.of("enablePosixFileAttributes", true))) {
            Path top = layer.getPath("/");
            Files.walkFileTree(top, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                    Files.createDirectories(target(top, dir));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Path target = target(top, file);
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
                    if (!mode.isEmpty()) {
                        Files.setPosixFilePermissions(target, mode);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        }
    }

    private Path target(Path top, Path entry) throws IOException {
        Path target = opt.resolve(top.relativize(entry).toString()).normalize();
        if (!target.startsWith(opt)) {
            throw new IOException("layer entry " + entry + " points outside the layer");
        }
        return target;
    }

    /**
     * Removes the whole sandbox. Under Maven's tests the processes' logs are kept first, in the build's
     * test-logs directory, where the hygiene scan reads them (TestLogs).
     */
    @Override
    public void close() throws IOException {
        Optional<Path> kept = TestLogs.directory();
        if (kept.isPresent()) {
            Path copy = Files.createDirectories(kept.get().resolve(root.getFileName().toString()));
            try (DirectoryStream<Path> files = Files.newDirectoryStream(logs)) {
                for (Path file : files) {
                    Files.copy(file, copy.resolve(file.getFileName().toString()), LinkOption.NOFOLLOW_LINKS,
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        ManifestFilesWriter.deleteDirectory(root);
    }
}
