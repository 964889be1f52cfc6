// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.extension.aws.FetchErrors;
import dev.secretsprefetch.extension.config.Config;
import dev.secretsprefetch.extension.config.SecretSpec;
import dev.secretsprefetch.extension.config.ValueSpec;
import dev.secretsprefetch.manifest.Log;
import dev.secretsprefetch.manifest.Manifest;
import dev.secretsprefetch.manifest.ManifestFiles;
import dev.secretsprefetch.manifest.SecretValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runtimeStart}: with {@code afterSecrets} every file and the ready manifest are in place when the extension
 * registers (Lambda starts the runtime only then); with the default {@code overlap} it registers first and says
 * once, when there are files, which setting would change that.
 */
class RuntimeStartTest {

    private static final String HINT = "set \"runtimeStart\": \"afterSecrets\"";

    @TempDir
    Path tmp;

    private final MotoSecrets moto = new MotoSecrets();
    private ExtensionHarness extension;

    @BeforeEach
    void createHarness() {
        extension = new ExtensionHarness(tmp.resolve("secrets"));
    }

    @AfterEach
    void close() {
        extension.close();
    }

    private Config config(Config.RuntimeStart start, Duration deadline, SecretSpec... secrets) {
        return new Config(extension.dir, List.<ValueSpec>of(secrets), Duration.ofSeconds(300), deadline, false, Log.Level.DEBUG,
                start, "test");
    }

    private static SecretSpec withFile(String name, String secretId) {
        return new SecretSpec(name, secretId, Optional.empty(), Optional.empty(), Optional.of(name + ".txt"));
    }

    /**
     * What a runtime started at this moment would find: the manifest's state, the calls made so far, and each
     * file as "ok" (holding {@code expected}'s value), "absent" or "other" (never the content itself).
     */
    private String observe(Map<String, String> expected) {
        List<String> seen = new ArrayList<>();
        try {
            seen.add(ManifestFiles.read(extension.dir).map(m -> m.state().toString()).orElse("no manifest"));
            seen.add(extension.proxy.calls.size() + " call(s)");
            for (Map.Entry<String, String> file : expected.entrySet()) {
                Path path = extension.dir.resolve(file.getKey());
                seen.add(file.getKey() + "=" + (!Files.exists(path) ? "absent"
                        : file.getValue().equals(Files.readString(path, StandardCharsets.UTF_8)) ? "ok" : "other"));
            }
        } catch (Exception e) {
            seen.add("unreadable: " + e.getClass().getSimpleName());
        }
        return String.join(", ", seen);
    }

    @Test
    void afterSecretsWritesEveryFileAndTheReadyManifestBeforeRegistering() throws Exception {
        moto.create("db", "spv-fake-db-value-first-Rs1");
        moto.create("api", "spv-fake-api-value-first-Rs2");
        Map<String, String> expected = Map.of("db.txt", "spv-fake-db-value-first-Rs1",
                "api.txt", "spv-fake-api-value-first-Rs2", "gone.txt", "");
        extension.start(config(Config.RuntimeStart.AFTER_SECRETS, Duration.ofSeconds(8),
                withFile("db", moto.name("db")), withFile("api", moto.name("api")),
                withFile("gone", moto.name("gone"))), Map.of(), () -> observe(expected));
        extension.api.awaitNextCalls(1);

        String atRegister = extension.api.registrations.get(0).observedAtRegister();
        assertTrue(atRegister.startsWith("READY, 1 call(s), "), atRegister);
        assertTrue(atRegister.contains("db.txt=ok") && atRegister.contains("api.txt=ok"), atRegister);
        assertTrue(atRegister.contains("gone.txt=absent"), "a secret that failed has no file: " + atRegister);
        assertEquals(1, extension.api.registrations.size(), "the extension registers although a secret failed");
        Manifest ready = extension.manifest();
        assertEquals("ResourceNotFoundException", ExtensionHarness.failure(ready.secrets().get("gone")).code());
        assertFalse(extension.log().contains(HINT), extension.log());
        assertFalse(extension.log().contains("spv-"), "a value was logged");
        assertEquals(0, extension.shutdown());
    }

    @Test
    void afterSecretsRegistersWithinTheFetchDeadlineWhenSecretsManagerDoesNotAnswer() throws Exception {
        extension.proxy.hold();
        extension.start(config(Config.RuntimeStart.AFTER_SECRETS, Duration.ofMillis(300),
                withFile("db", moto.name("db"))), Map.of(), () -> observe(Map.of("db.txt", "")));
        extension.api.awaitNextCalls(1);

        assertEquals("READY, 1 call(s), db.txt=absent", extension.api.registrations.get(0).observedAtRegister());
        SecretValue.Failure failure = ExtensionHarness.failure(extension.manifest().secrets().get("db"));
        assertEquals(FetchErrors.TIMEOUT, failure.code());
        assertEquals(0, extension.shutdown());
    }

    @Test
    void overlapRegistersFirstAndPointsOnceAtTheSettingWhenThereAreFiles() throws Exception {
        moto.create("db", "spv-fake-db-value-overlap-Rs3");
        extension.start(config(Config.RuntimeStart.OVERLAP, Duration.ofSeconds(8), withFile("db", moto.name("db")),
                SecretSpec.of("plain", moto.name("db"))), Map.of(),
                () -> observe(Map.of("db.txt", "spv-fake-db-value-overlap-Rs3")));
        extension.api.awaitNextCalls(1);

        assertEquals("PENDING, 0 call(s), db.txt=absent", extension.api.registrations.get(0).observedAtRegister());
        assertTrue("spv-fake-db-value-overlap-Rs3".equals(Files.readString(extension.dir.resolve("db.txt"))),
                "content of db.txt after the init");
        String log = extension.log();
        assertEquals(1, log.split(HINT, -1).length - 1, log);
        assertTrue(log.contains("INFO the files db.txt are written while the function's runtime starts"), log);
        assertEquals(0, extension.shutdown());
    }

    @Test
    void overlapWithoutFilesSaysNothingAboutTheSetting() throws Exception {
        moto.create("db", "spv-fake-db-value-quiet-Rs4");
        extension.startAndAwaitInit(config(Config.RuntimeStart.OVERLAP, Duration.ofSeconds(8),
                SecretSpec.of("db", moto.name("db"))));
        assertFalse(extension.log().contains("runtimeStart"), extension.log());
        assertEquals(0, extension.shutdown());
    }

    @Test
    void underSnapStartAfterSecretsWritesNothingDuringInitAndSaysSo() throws Exception {
        moto.create("db", "spv-fake-db-value-snap-Rs5");
        extension.start(config(Config.RuntimeStart.AFTER_SECRETS, Duration.ofSeconds(8),
                withFile("db", moto.name("db"))), Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start"),
                () -> observe(Map.of("db.txt", "spv-fake-db-value-snap-Rs5")));
        extension.api.awaitNextCalls(1);

        assertEquals("no manifest, 0 call(s), db.txt=absent", extension.api.registrations.get(0).observedAtRegister());
        assertFalse(Files.exists(extension.dir), "no value may be written during a SnapStart init");
        assertTrue(extension.log().contains("WARN runtimeStart afterSecrets does not apply under SnapStart"),
                extension.log());
        extension.invoke();
        assertTrue("spv-fake-db-value-snap-Rs5".equals(Files.readString(extension.dir.resolve("db.txt"))),
                "content of db.txt after the first invocation");
        assertEquals(0, extension.shutdown());
    }
}
