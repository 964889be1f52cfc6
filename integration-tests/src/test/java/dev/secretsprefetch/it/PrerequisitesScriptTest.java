// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * build/prerequisites, the one place that sets a machine up for ./test and ./demo, on a machine without Ruby:
 * this machine's PATH with every ruby left out, and apt-get, dpkg-query and sudo replaced by stand-ins that
 * record what they were asked and install nothing.
 */
class PrerequisitesScriptTest {

    /** This machine's PATH with every ruby left out; links, so they are removed by hand, not by @TempDir. */
    private static Path links;
    private static String pathWithoutRuby;

    @TempDir
    Path dir;

    private Path aptLog;
    private String path;

    @BeforeAll
    static void linkPathWithoutRuby() throws IOException {
        links = Files.createTempDirectory("prerequisites-test-path-");
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String entry : System.getenv().getOrDefault("PATH", SystemPath.standard()).split(":")) {
            entries.add(withoutRuby(Path.of(entry), links.resolve("path-" + i++)));
        }
        pathWithoutRuby = String.join(":", entries);
    }

    @AfterAll
    static void removeLinks() throws IOException {
        try (Stream<Path> tree = Files.walk(links)) {
            for (Path file : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @BeforeEach
    void standIns() throws IOException {
        aptLog = dir.resolve("apt-get.log");
        Path standIns = Files.createDirectory(dir.resolve("stand-ins"));
        script(standIns.resolve("apt-get"), "echo \"$*\" >> '" + aptLog + "'");
        script(standIns.resolve("dpkg-query"), "exit 1");  // nothing is installed
        script(standIns.resolve("sudo"), "[ \"$1\" = -n ] && shift; exec \"$@\"");
        path = standIns + ":" + pathWithoutRuby;
    }

    @Test
    void testCommandInstallsRubyAndItsGemThenNamesWhatIsStillMissingWithTheFix() throws Exception {
        Result result = run();

        assertEquals(1, result.status(), result.output());
        assertTrue(Files.readString(aptLog).lines()
                .anyMatch(l -> l.matches("install -y -qq .*\\bruby ruby-aws-sigv4\\b.*")),
                "apt-get was asked for ruby and its gem: " + Files.readString(aptLog));
        assertTrue(result.output().contains("Ruby 3.1+ (ruby)"), result.output());
        assertTrue(result.output().contains("fix: apt-get install -y ruby ruby-aws-sigv4"), result.output());
    }

    @Test
    void demoTriesToInstallRubyButGoesOnWithoutIt() throws Exception {
        Result result = run("--demo");

        assertEquals(0, result.status(), result.output());
        assertTrue(Files.readString(aptLog).contains("ruby ruby-aws-sigv4"), "the demo would use it if it could");
        assertFalse(result.output().contains("fix:"), "the demo itself names what to install: " + result.output());
    }

    @Test
    void checkOnlyInstallsNothingAndReportsTheSame() throws Exception {
        Result result = run("--check-only");

        assertEquals(1, result.status(), result.output());
        assertTrue(Files.notExists(aptLog), "apt-get was not called");
        assertTrue(result.output().contains("fix: apt-get install -y ruby ruby-aws-sigv4"), result.output());
    }

    private record Result(int status, String output) {
    }

    private Result run(String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash",
                Locations.repositoryRoot().resolve("build/prerequisites").toString()));
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PATH", path);
        builder.environment().remove("PREREQUISITES");
        builder.environment().put("SKIP_NATIVE", "yes");  // these tests are about Debian packages, not GraalVM
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "build/prerequisites ended");
        return new Result(process.exitValue(), output);
    }

    /** The directory itself when it has no ruby, else a directory of links to everything in it but ruby. */
    private static String withoutRuby(Path entry, Path links) throws IOException {
        if (!Files.isDirectory(entry) || Files.notExists(entry.resolve("ruby"))) {
            return entry.toString();
        }
        Files.createDirectory(links);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(entry)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (!name.startsWith("ruby")) {
                    Files.createSymbolicLink(links.resolve(name), file);
                }
            }
        }
        return links.toString();
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
