// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import static dev.secretsprefetch.ClientHarness.entries;
import static dev.secretsprefetch.ClientHarness.failed;
import static dev.secretsprefetch.ClientHarness.ready;
import static dev.secretsprefetch.ClientHarness.text;
import static dev.secretsprefetch.Values.assertSameValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.manifest.ManifestFiles;
import dev.secretsprefetch.manifest.ManifestFilesWriter;
import dev.secretsprefetch.manifest.SecretEntry;
import dev.secretsprefetch.manifest.SecretValue;
import dev.secretsprefetch.testing.FakeSecretsManager.Call;
import dev.secretsprefetch.testing.FakeValues;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which calls the manifest serves and which go to Secrets Manager, per the rules in docs/manifest.md. */
class ManifestDecisionsTest {

    private static final String MANIFEST_VALUE = "fixture-manifest-value-spv-Tr5w";
    private static final String DIRECT_VALUE = "fixture-direct-value-spv-Hy2k";

    @TempDir
    Path dir;

    private ClientHarness harness;

    @BeforeEach
    void start() {
        harness = new ClientHarness(dir);
    }

    @AfterEach
    void stop() {
        harness.assertNotLeaked(MANIFEST_VALUE, DIRECT_VALUE);
        harness.close();
    }

    @Test
    void missingManifestFallsBackToDirectCallAndCachesItFor300Seconds() {
        harness.fake.putString("prod/db", DIRECT_VALUE);
        SecretsClient client = harness.client();

        assertSameValue(DIRECT_VALUE, client.get("prod/db"), "prod/db");
        harness.clock.advance(FallbackCache.TTL_MS - 1);
        assertSameValue(DIRECT_VALUE, client.get("prod/db"), "prod/db");
        assertEquals(1, harness.fake.requestCount(), "served from the fallback cache within 300 s");

        harness.clock.advance(1);
        client.get("prod/db");
        assertEquals(2, harness.fake.requestCount(), "fetched again once the cached value is 300 s old");
        assertEquals(0, harness.warnings(), "no manifest is normal (no extension), not a warning");
    }

    @Test
    void aClockThatWentBackExpiresDirectlyFetchedValues() {
        harness.fake.putString("prod/db", DIRECT_VALUE);
        SecretsClient client = harness.client();
        client.get("prod/db");

        harness.clock.advance(-3_600_000); // an NTP step back of an hour

        client.get("prod/db");
        assertEquals(2, harness.fake.requestCount(), "a value of unknown age is fetched again");
        harness.clock.advance(FallbackCache.TTL_MS - 1);
        client.get("prod/db");
        assertEquals(2, harness.fake.requestCount(), "and then kept for 300 s of the new time");
    }

    @Test
    void corruptManifestIsTreatedAsAbsentAndWarnedAboutOnceAcrossRereads() {
        harness.fake.putString("db", DIRECT_VALUE);
        harness.writeFixture("truncated.json");
        SecretsClient client = harness.client();

        assertSameValue(DIRECT_VALUE, client.get("db"), "db");
        harness.writeFixture("not-json.json");
        harness.clock.advance(ManifestCache.RECHECK_INTERVAL_MS);
        assertSameValue(DIRECT_VALUE, client.get("db"), "db");

        assertEquals(1, harness.warnings(), harness.log());
        assertTrue(harness.log().contains("manifest " + dir.resolve("manifest.json") + " cannot be used: "),
                harness.log());
    }

    @Test
    void unknownFormatVersionIsTreatedAsAbsentAndWarnedAboutOnce() {
        harness.fake.putString("db", DIRECT_VALUE);
        harness.writeFixture("unknown-version.json");
        SecretsClient client = harness.client();

        client.get("db");
        client.get("db");
        harness.clock.advance(ManifestCache.RECHECK_INTERVAL_MS);
        client.get("db");

        assertEquals(1, harness.warnings(), harness.log());
        assertTrue(harness.log().contains("formatVersion 2 is not supported"), harness.log());
        assertEquals(1, harness.fake.requestCount());
    }

    @Test
    void unreadableManifestIsTreatedAsAbsentAndWarnedAboutOnce() throws IOException {
        harness.fake.putString("db", DIRECT_VALUE);
        Files.createDirectories(dir.resolve(ManifestFiles.MANIFEST_FILE)); // not a file: never opened

        assertSameValue(DIRECT_VALUE, harness.client().get("db"), "db");
        assertEquals(1, harness.warnings(), harness.log());
        assertTrue(harness.log().contains("is not a regular file"), harness.log());
    }

    @Test
    void errorEntryFallsBackToDirectCallForItsSecretId() {
        harness.fake.putString("prod/missing", DIRECT_VALUE);
        harness.write(ready(1, entries("db", text("prod/db", MANIFEST_VALUE),
                "missing", failed("prod/missing", "AccessDeniedException"))));
        SecretsClient client = harness.client();

        assertSameValue(DIRECT_VALUE, client.get("missing"), "missing");
        assertSameValue(MANIFEST_VALUE, client.get("db"), "db");
        assertEquals(List.of(new Call("prod/missing", Optional.empty(), Optional.empty())), harness.fake.calls());
    }

    @Test
    void errorEntryThatPinnedAVersionFallsBackToThatVersion() {
        harness.fake.putString("prod/db", DIRECT_VALUE);
        harness.write(ready(1, entries("db-previous", SecretEntry.failed("prod/db", Optional.empty(),
                Optional.of("AWSPREVIOUS"), ClientHarness.START_MS, "Timeout", "no answer"))));

        harness.client().get("db-previous");

        assertEquals(List.of(new Call("prod/db", Optional.empty(), Optional.of("AWSPREVIOUS"))), harness.fake.calls());
    }

    @Test
    void parameterErrorEntryFallsBackToGetParameterWithItsSelector() {
        harness.fake.putParameter("/prod/url:3", DIRECT_VALUE);
        harness.write(ready(1, entries("url", SecretEntry.failed(new SecretEntry.Parameter("/prod/url:3",
                Optional.empty(), OptionalLong.empty(), OptionalLong.of(3), Optional.empty()), ClientHarness.START_MS,
                "ThrottlingException", "throttled"))));

        assertSameValue(DIRECT_VALUE, harness.client().get("url"), "url");
        assertEquals(List.of(Call.getParameter("/prod/url:3")), harness.fake.calls());
    }

    @Test
    void parameterInTheManifestIsServedByItsNameItsParameterAndItsArn() {
        harness.write(ready(1, entries("url", new SecretEntry(new SecretEntry.Parameter("/prod/url",
                Optional.of("String"), OptionalLong.of(2), OptionalLong.empty(), Optional.empty()),
                Optional.of("arn:aws:ssm:us-east-1:123456789012:parameter/prod/url"), ClientHarness.START_MS,
                new SecretValue.Text(MANIFEST_VALUE)))));
        SecretsClient client = harness.client();

        for (String asked : List.of("url", "/prod/url", "arn:aws:ssm:us-east-1:123456789012:parameter/prod/url")) {
            assertSameValue(MANIFEST_VALUE, client.get(asked), asked);
        }
        assertEquals(List.of(), harness.fake.calls());
    }

    @Test
    void parameterArnNotInTheManifestIsFetchedWithGetParameter() {
        String arn = "arn:aws:ssm:us-east-1:123456789012:parameter/prod/other";
        harness.fake.putParameter(arn, DIRECT_VALUE);
        harness.write(ready(1, entries("db", text("prod/db", MANIFEST_VALUE))));

        assertSameValue(DIRECT_VALUE, harness.client().get(arn), arn);
        assertEquals(List.of(Call.getParameter(arn)), harness.fake.calls());
    }

    @Test
    void bareParameterLikeNameNotInTheManifestStaysASecretId() {
        harness.fake.putString("/prod/other", DIRECT_VALUE);
        harness.write(ready(1, entries("db", text("prod/db", MANIFEST_VALUE))));

        assertSameValue(DIRECT_VALUE, harness.client().get("/prod/other"), "/prod/other");
        assertEquals(List.of(new Call("/prod/other", Optional.empty(), Optional.empty())), harness.fake.calls());
    }

    @Test
    void nameNotInTheManifestIsFetchedDirectlyByThatName() {
        harness.fake.putString("prod/other", DIRECT_VALUE);
        harness.write(ready(1, entries("db", text("prod/db", MANIFEST_VALUE))));

        assertSameValue(DIRECT_VALUE, harness.client().get("prod/other"), "prod/other");
        assertEquals(List.of(new Call("prod/other", Optional.empty(), Optional.empty())), harness.fake.calls());
    }

    @Test
    void valueInTheManifestIsServedWithoutAnyDirectCall() {
        harness.write(ready(1, entries("db", text("prod/db", MANIFEST_VALUE))));
        SecretsClient client = harness.client();

        assertSameValue(MANIFEST_VALUE, client.get("db"), "db");
        assertSameValue(MANIFEST_VALUE, client.get("prod/db"), "prod/db");
        assertEquals(0, harness.fake.requestCount());
    }

    @Test
    void manifestRemovedByTheExtensionMeansDirectCallsAfterTheRecheck() throws IOException {
        harness.fake.putString("db", DIRECT_VALUE);
        harness.write(ready(1, entries("db", text("prod/db", MANIFEST_VALUE))));
        SecretsClient client = harness.client();
        client.get("db");

        ManifestFilesWriter.deleteDirectory(dir);
        harness.clock.advance(ManifestCache.RECHECK_INTERVAL_MS);

        assertSameValue(DIRECT_VALUE, client.get("db"), "db");
        assertEquals(0, harness.warnings(), harness.log());
    }

    @Test
    void concurrentMissesForTheSameSecretMakeOneDirectCall() throws Exception {
        harness.fake.putString("prod/db", DIRECT_VALUE);
        SecretsClient client = harness.client();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<String>> calls = Collections.nCopies(6, () -> client.get("prod/db"));
            for (Future<String> result : pool.invokeAll(calls)) {
                assertSameValue(DIRECT_VALUE, result.get(), "prod/db");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, harness.fake.requestCount());
    }

    @Test
    void binaryValueFromTheManifestIsCopiedOutOnEveryCall() {
        byte[] bytes = FakeValues.binary(0, 1, 2, (byte) 0xff);
        harness.write(ready(1, entries("key", ClientHarness.binary("prod/key", bytes))));
        SecretsClient client = harness.client();

        byte[] first = client.getBinary("key");
        first[0] = 42;

        Values.assertSameBytes(bytes, client.getBinary("key"), "key after a caller changed its copy");
        assertTrue(client.value("key") instanceof SecretValue.Binary);
    }

    @Test
    void unknownPrefixedVariableIsWarnedAboutWhenTheClientStarts() {
        harness.client("SECRETS_PREFETCH_WAITMS", "5");

        assertEquals(1, harness.warnings(), harness.log());
        assertTrue(harness.log().contains("[SECRETS_PREFETCH_WAITMS]"), harness.log());
    }
}
