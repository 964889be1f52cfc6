// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import static dev.secretsprefetch.extension.ExtensionHarness.text;
import static dev.secretsprefetch.extension.SecretValues.assertNoValueIn;
import static dev.secretsprefetch.extension.SecretValues.assertSameValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.secretsprefetch.extension.config.SecretSpec;
import dev.secretsprefetch.manifest.Manifest;
import dev.secretsprefetch.manifest.ManifestFilesWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secrets directory misbehaving under the real extension: a full file system (a small tmpfs), one that
 * cannot be written, and a path that is a symbolic link or another user's directory.
 */
class DiskFaultsTest {

    private static final Duration DEADLINE = Duration.ofMillis(3000);
    private static final Duration REFRESH_INTERVAL = Duration.ofSeconds(300);
    /** For the refresh case: short, because the black-box run of these tests waits it out in real time. */
    private static final Duration SHORT_REFRESH_INTERVAL = Duration.ofSeconds(2);

    @TempDir
    Path tmp;

    private final MotoSecrets moto = new MotoSecrets();
    private final Map<String, String> values = new LinkedHashMap<>();
    private ExtensionHarness extension;

    @AfterEach
    void stop() {
        if (extension != null) {
            extension.close();
        }
    }

    private List<SecretSpec> secrets(int valueLength, String... names) {
        List<SecretSpec> specs = new ArrayList<>();
        for (String name : names) {
            String value = SecretValues.next(valueLength);
            moto.create(name, value);
            values.put(name, value);
            specs.add(SecretSpec.of(name, moto.name(name)));
        }
        return specs;
    }

    /** The extension in this JVM; {@link DiskFaultsIT} runs the layer's instead. */
    ExtensionHarness harness(Path dir) {
        return new ExtensionHarness(dir);
    }

    private void start(Path dir, List<SecretSpec> secrets) throws Exception {
        start(dir, secrets, REFRESH_INTERVAL);
    }

    private void start(Path dir, List<SecretSpec> secrets, Duration refreshInterval) throws Exception {
        extension = harness(dir);
        extension.start(ExtensionHarness.config(dir, secrets, DEADLINE, refreshInterval), Map.of());
    }

    private void assertAllValues(Manifest manifest) {
        assertEquals(Manifest.State.READY, manifest.state());
        values.forEach((name, value) -> assertSameValue(value, text(manifest.secrets().get(name)), name));
    }

    private static List<String> temporaryFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".tmp")).toList();
        }
    }

    /** The init failed through the Extensions API, and the function's runtime was never let on. */
    private FakeExtensionsApi.ErrorReport assertInitFailed() throws Exception {
        assertEquals(1, extension.exitStatus(Duration.ofSeconds(30)).orElseThrow());
        assertEquals(1, extension.api.errors.size(), "one init error report");
        FakeExtensionsApi.ErrorReport report = extension.api.errors.get(0);
        assertEquals(Extension.DIRECTORY_UNUSABLE, report.errorType());
        assertTrue(extension.api.nextIdentifiers.isEmpty(), "no event may be asked for after a failed init");
        return report;
    }

    @Test
    void fullDiskLeavesNoManifestLetsTheFunctionStartAndTheWriteIsRetriedAtTheNextInvoke() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(tmp.resolve("small"), "size=64k")) {
            Path dir = disk.path().resolve("secrets");
            // The pending manifest fits; three values of 30 KB do not.
            start(dir, secrets(30_000, "a", "b", "c"));
            extension.api.awaitNextCalls(1);
            assertTrue(extension.manifestIfAny().isEmpty(),
                    "the pending manifest must not stay for readers to wait on");
            assertEquals(List.of(), temporaryFiles(dir));
            assertTrue(extension.log().contains("ERROR cannot write the manifest in " + dir), extension.log());
            assertTrue(extension.log().contains("No space left on device"), extension.log());

            disk.remount("size=1m");
            int callsBefore = extension.proxy.calls.size();
            extension.invoke();
            assertAllValues(extension.manifest());
            assertEquals(callsBefore, extension.proxy.calls.size(),
                    "values still fresh are written, not fetched again");
            assertNoValueIn(extension.log(), "the extension's log", values.values().toArray(String[]::new));
            assertEquals(0, extension.shutdown());
        }
    }

    @Test
    void diskFullFromTheStartRemovesAnOldManifestAndTheFunctionStillStarts() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(tmp.resolve("full"), "size=64k")) {
            Path dir = disk.path().resolve("secrets");
            List<SecretSpec> secrets = secrets(10_000, "a", "b", "c");
            ManifestFilesWriter.write(dir, Manifest.ready(7, System.currentTimeMillis() - 60_000, "an-earlier-process",
                    Map.of()));
            Path filler = disk.fill();
            start(dir, secrets);
            extension.api.awaitNextCalls(1);
            assertTrue(extension.manifestIfAny().isEmpty(), "an old manifest must not be served as this one");
            assertTrue(extension.log().contains("ERROR cannot write the pending manifest in " + dir), extension.log());

            Files.delete(filler);
            extension.invoke();
            assertAllValues(extension.manifest());
            assertEquals(0, extension.shutdown());
        }
    }

    @Test
    void fullDiskDuringARefreshKeepsThePreviousManifestAndTheNextRefreshWritesTheNewOne() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(tmp.resolve("refresh"), "size=64k")) {
            Path dir = disk.path().resolve("secrets");
            start(dir, secrets(1_000, "a", "b"), SHORT_REFRESH_INTERVAL);
            extension.api.awaitNextCalls(1);
            Manifest first = extension.manifest();
            Path filler = disk.fill();
            String rotated = SecretValues.next(1_000);
            String previous = values.put("a", rotated);
            moto.update("a", rotated);

            extension.passTime(SHORT_REFRESH_INTERVAL.plusMillis(100));
            extension.invoke();
            Manifest kept = extension.manifest();
            assertEquals(first.generation(), kept.generation());
            assertSameValue(previous, text(kept.secrets().get("a")), "a before the refresh");
            assertTrue(extension.log().contains("ERROR cannot write the manifest in " + dir), extension.log());

            Files.delete(filler);
            extension.passTime(SHORT_REFRESH_INTERVAL.plusMillis(100));
            extension.invoke();
            Manifest refreshed = extension.manifest();
            assertTrue(refreshed.generation() > first.generation());
            assertAllValues(refreshed);
            assertNoValueIn(extension.log(), "the extension's log", rotated, previous, values.get("b"));
            assertEquals(0, extension.shutdown());
        }
    }

    @Test
    void readOnlyFileSystemFailsTheInitWithAClearError() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(tmp.resolve("read-only"), "ro,size=64k")) {
            Path dir = disk.path().resolve("secrets");
            start(dir, secrets(20, "a"));
            String body = assertInitFailed().body();
            assertTrue(body.contains("cannot write the secrets directory " + dir + ": Read-only file system"), body);
            assertTrue(body.contains("point SECRETS_PREFETCH_DIR at a directory of its own"), body);
            assertFalse(Files.exists(dir));
        }
    }

    @Test
    void directoryWithoutWritePermissionFailsTheInitWithAClearError() throws Exception {
        assumeTrue(!Tmpfs.root(), "root writes regardless of permissions; as root, "
                + "readOnlyFileSystemFailsTheInitWithAClearError covers this");
        Path parent = Files.createDirectories(tmp.resolve("locked"));
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("r-x------"));
        Path dir = parent.resolve("secrets");
        start(dir, secrets(20, "a"));
        String body = assertInitFailed().body();
        assertTrue(body.contains("permission denied"), body);
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void symbolicLinkAtTheSecretsPathIsRefusedNotFollowed() throws Exception {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Path dir = Files.createSymbolicLink(tmp.resolve("secrets"), elsewhere);
        start(dir, secrets(20, "a"));
        String body = assertInitFailed().body();
        assertTrue(body.contains("is a symbolic link; refusing to follow it"), body);
        assertTrue(Files.isSymbolicLink(dir), "the link is left as it was");
        try (Stream<Path> files = Files.list(elsewhere)) {
            assertEquals(0, files.count(), "nothing may be written where the link points");
        }
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(elsewhere)));
    }

    @Test
    void directoryOfAnotherUserIsRefused() throws Exception {
        assumeTrue(Tmpfs.root(), "giving a directory to another user needs root");
        Path dir = Files.createDirectories(tmp.resolve("foreign"));
        Files.setAttribute(dir, "unix:uid", 65534);
        start(dir, secrets(20, "a"));
        String body = assertInitFailed().body();
        assertTrue(body.contains("belongs to uid 65534"), body);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count(), "nothing may be written into another user's directory");
        }
    }

    @Test
    void temporaryFilesAKilledWriterLeftBehindAreRemovedAtStart() throws Exception {
        Path dir = tmp.resolve("secrets");
        Files.createDirectories(dir,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.writeString(dir.resolve(".manifest.json.0123456789ab.tmp"), "{\"formatVersion\":1,\"secr");
        Files.writeString(dir.resolve(".db.txt.abcdef012345.tmp"), SecretValues.next());
        Files.writeString(dir.resolve("notes.tmp"), "not ours: no leading dot");
        start(dir, secrets(20, "a"));
        extension.api.awaitNextCalls(1);
        assertEquals(List.of("notes.tmp"), temporaryFiles(dir));
        assertAllValues(extension.manifest());
        assertEquals(0, extension.shutdown());
    }
}
