// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.secretsprefetch.extension.publish.ManifestWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small tmpfs mounted for one test, to make a file system full or read-only for real. Mounting needs root:
 * elsewhere the test is skipped with a reason that says so.
 */
final class Tmpfs implements AutoCloseable {

    private final Path mountPoint;

    private Tmpfs(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    static boolean root() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Mounts a tmpfs with {@code options} (e.g. {@code size=64k}) on a new directory {@code mountPoint}. */
    static Tmpfs mount(Path mountPoint, String options) throws IOException {
        assumeTrue(root(), "mounting a tmpfs needs root; run the tests as root to cover a full or read-only disk");
        Files.createDirectories(mountPoint);
        String output = run("mount", "-t", "tmpfs", "-o", options, "tmpfs", mountPoint.toString());
        assumeTrue(output == null, "cannot mount a tmpfs here (" + output + ")");
        return new Tmpfs(mountPoint);
    }

    Path path() {
        return mountPoint;
    }

    /** Changes the options of the mounted file system, e.g. {@code size=1m}. */
    void remount(String options) throws IOException {
        String output = run("mount", "-o", "remount," + options, mountPoint.toString());
        if (output != null) {
            throw new IllegalStateException("cannot remount " + mountPoint + ": " + output);
        }
    }

    /** Fills the file system with a file until it is full; returns that file. */
    Path fill() throws IOException {
        Path filler = mountPoint.resolve("filler");
        byte[] block = new byte[4096];
        try (var out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException e) {
            if (!ManifestWriter.outOfSpace(e)) {
                throw e;
            }
        }
        return filler;
    }

    @Override
    public void close() throws IOException {
        String output = run("umount", mountPoint.toString());
        if (output != null) {
            throw new IllegalStateException("cannot unmount " + mountPoint + ": " + output);
        }
    }

    /** Runs a command; null when it succeeded, else its output. */
    private static String run(String... command) throws IOException {
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            return process.waitFor() == 0 ? null : "exit " + process.exitValue() + ": " + output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command[0], e);
        }
    }
}
