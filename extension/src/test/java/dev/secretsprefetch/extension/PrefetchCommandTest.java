// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.extension.config.ConfigLoader;
import dev.secretsprefetch.manifest.Manifest;
import dev.secretsprefetch.manifest.ManifestFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-shot command: the extension's fetch path without the Extensions API. */
class PrefetchCommandTest {

    @TempDir
    Path tmp;

    private final MotoSecrets moto = new MotoSecrets();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private int run(String... args) {
        return PrefetchCommand.run(List.of(args), MotoSecrets.environment(MotoSecrets.moto().endpoint(), null),
                new ConfigLoader(tmp.resolve("absent.json")), new PrintStream(out, true, StandardCharsets.UTF_8),
                Clock.systemUTC());
    }

    private Path config(String json) throws Exception {
        return Files.writeString(tmp.resolve("config.json"), json);
    }

    @Test
    void writesAReadyManifestAndFilesAndExitsZero() throws Exception {
        moto.create("db", "spv-fake-cli-value");
        Path config = config("{\"secrets\": [{\"name\": \"db\", \"secretId\": \"" + moto.name("db")
                + "\", \"file\": \"db.env\"}]}");
        Path dir = tmp.resolve("out");
        assertEquals(0, run("--config", config.toString(), "--dir",
                dir.toString()));
        Manifest manifest = ManifestFiles.read(dir).orElseThrow();
        assertEquals(Manifest.State.READY, manifest.state());
        assertTrue("spv-fake-cli-value".equals(Files.readString(dir.resolve("db.env"))), "content of db.env");
        assertFalse(out.toString(StandardCharsets.UTF_8).contains("spv-fake-cli-value"), "a value was printed");
    }

    @Test
    void errorEntriesGiveExitStatusThree() throws Exception {
        Path config = config("{\"secrets\": [{\"name\": \"gone\", \"secretId\": \"" + moto.name("gone") + "\"}]}");
        assertEquals(PrefetchCommand.SOME_FAILED, run("--config", config.toString(), "--dir", tmp.resolve("o").toString()));
        assertTrue(ManifestFiles.read(tmp.resolve("o")).orElseThrow().secrets().get("gone").failed());
    }

    @Test
    void badConfigurationGivesExitStatusTwoAndTheReason() throws Exception {
        Path config = config("{\"secrets\": []}");
        assertEquals(PrefetchCommand.USAGE, run("--config", config.toString(), "--dir", tmp.resolve("o").toString()));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("is empty; list at least one secret"));
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    @Test
    void badArgumentsPrintUsage() {
        assertEquals(PrefetchCommand.USAGE, run("--bogus"));
        assertEquals(PrefetchCommand.USAGE, run("--config"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("usage: secrets-prefetch prefetch"));
        assertEquals(0, run("--help"));
    }

    @Test
    void unwritableDirectoryGivesExitStatusOne() throws Exception {
        Path config = config("{\"secrets\": [{\"name\": \"db\", \"secretId\": \"" + moto.name("x") + "\"}]}");
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "");
        assertEquals(PrefetchCommand.NOT_WRITTEN, run("--config", config.toString(), "--dir", file.toString()));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("exists but is not a directory"), out.toString());
    }

    @Test
    void environmentVariablesAreUsedWithoutArguments() throws Exception {
        moto.create("env", "spv-fake-env-value");
        Map<String, String> env = MotoSecrets.environment(MotoSecrets.moto().endpoint(), null);
        env.put("SECRETS_PREFETCH_SECRETS", "env=" + moto.name("env"));
        env.put("SECRETS_PREFETCH_DIR", tmp.resolve("from-env").toString());
        assertEquals(0, PrefetchCommand.run(List.of(), env, new ConfigLoader(tmp.resolve("absent.json")),
                new PrintStream(out, true, StandardCharsets.UTF_8), Clock.systemUTC()));
        assertTrue(ManifestFiles.read(tmp.resolve("from-env")).isPresent());
    }
}
