// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.extension.aws.FetchErrors;
import dev.secretsprefetch.extension.aws.SignedCalls;
import dev.secretsprefetch.extension.config.Environment;
import dev.secretsprefetch.extension.config.SecretSpec;
import dev.secretsprefetch.manifest.Log;
import dev.secretsprefetch.manifest.SecretEntry;
import dev.secretsprefetch.manifest.SecretValue;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fetch round against moto, through a proxy that records (and sometimes refuses or holds) the calls. */
class FetcherTest {

    private final MotoSecrets moto = new MotoSecrets();
    private final SecretsManagerProxy proxy = new SecretsManagerProxy(MotoSecrets.moto().endpoint());
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        proxy.close();
    }

    private FetchRound fetch(List<SecretSpec> secrets, Duration budget) throws Exception {
        return fetch(MotoSecrets.environment(proxy.endpoint(), null), secrets, budget);
    }

    private FetchRound fetch(Map<String, String> env, List<SecretSpec> secrets, Duration budget) throws Exception {
        Environment environment = Environment.from(env);
        SignedCalls calls = new SignedCalls(environment);
        Fetcher fetcher = new Fetcher(calls, environment.defaultRegion(),
                new Log(Log.Level.DEBUG, new PrintStream(logged, true, StandardCharsets.UTF_8)), Clock.systemUTC());
        closing.add(fetcher);
        closing.add(calls);
        return fetcher.fetch(secrets, budget);
    }

    private static String text(SecretEntry entry) {
        return ((SecretValue.Text) entry.value()).value();
    }

    private String log() {
        return logged.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aPageThatArrivesAfterTheDeadlineStartsNoFurtherCall() throws Exception {
        moto.create("late1", "spv-fake-late-value-1");
        moto.create("late2", "spv-fake-late-value-2");
        CountDownLatch delivered = new CountDownLatch(1);
        // Each piece comes well within the read timeout (the 2 s budget); the whole page only after the deadline.
        proxy.inject("BatchGetSecretValue", Fault.firstPageOnlyArrivingSlowly(3, Duration.ofMillis(800), delivered),
                1);
        FetchRound round = fetch(List.of(SecretSpec.of("a", moto.name("late1")), SecretSpec.of("b", moto.name("late2"))),
                Duration.ofSeconds(2));
        assertEquals(2, round.failures(), () -> round.entries().toString());
        assertTrue(delivered.await(30, TimeUnit.SECONDS), "the slow page was sent");
        // The fetch thread reads the page after the round has ended; anything it started then would show here.
        Thread.sleep(1000);
        assertEquals(List.of(new SecretsManagerProxy.Call("BatchGetSecretValue", 2)), proxy.calls,
                "no page and no GetSecretValue may be asked for after the round's deadline");
    }

    @Test
    void moreThanTwentySecretsAreFetchedInBatchesOfAtMostTwenty() throws Exception {
        List<SecretSpec> secrets = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            moto.create("s" + i, "spv-fake-batch-value-" + i);
            secrets.add(SecretSpec.of("s" + i, moto.name("s" + i)));
        }
        FetchRound round = fetch(secrets, Duration.ofSeconds(20));
        assertEquals(0, round.failures());
        for (int i = 0; i < 23; i++) {
            assertTrue(("spv-fake-batch-value-" + i).equals(text(round.entries().get("s" + i))), "value of s" + i);
        }
        assertEquals(2, proxy.count("BatchGetSecretValue"));
        assertEquals(0, proxy.count("GetSecretValue"));
        assertTrue(proxy.calls.stream().allMatch(c -> c.secretIds() <= FetchPlan.MAX_BATCH), proxy.calls.toString());
        assertEquals(23, proxy.calls.stream().mapToInt(SecretsManagerProxy.Call::secretIds).sum());
        assertEquals(List.copyOf(round.entries().keySet()), secrets.stream().map(SecretSpec::name).toList());
    }

    @Test
    void pagedBatchAnswersAreFollowedByNextToken() throws Exception {
        moto.create("p1", "spv-fake-page-value-1");
        moto.create("p2", "spv-fake-page-value-2");
        moto.create("p3", "spv-fake-page-value-3");
        proxy.paginateBatch();
        FetchRound round = fetch(List.of(SecretSpec.of("p1", moto.name("p1")), SecretSpec.of("p2", moto.name("p2")),
                SecretSpec.of("p3", moto.name("p3"))), Duration.ofSeconds(20));
        for (int i = 1; i <= 3; i++) {
            assertTrue(("spv-fake-page-value-" + i).equals(text(round.entries().get("p" + i))), "value of p" + i);
        }
        assertEquals(2, proxy.count("BatchGetSecretValue"));
        assertEquals(0, proxy.count("GetSecretValue"));
    }

    @Test
    void missingSecretInABatchBecomesAnErrorEntry() throws Exception {
        String arn = moto.create("db", "spv-fake-db-value");
        moto.create("api", "spv-fake-api-value");
        FetchRound round = fetch(List.of(SecretSpec.of("db", moto.name("db")), SecretSpec.of("api", moto.name("api")),
                SecretSpec.of("gone", moto.name("gone"))), Duration.ofSeconds(20));
        SecretEntry gone = round.entries().get("gone");
        assertTrue(gone.failed());
        assertEquals("ResourceNotFoundException", ((SecretValue.Failure) gone.value()).code());
        assertEquals(moto.name("gone"), gone.secretId());
        SecretEntry db = round.entries().get("db");
        assertEquals(Optional.of(arn), db.arn());
        assertTrue(db.versionId().isPresent());
        assertEquals(List.of("AWSCURRENT"), db.versionStages());
        assertEquals(1, proxy.count("BatchGetSecretValue"));
        assertEquals(0, proxy.count("GetSecretValue"));
    }

    @Test
    void secretsNamedByFullOrPartialArnAreMatchedToTheirAnswers() throws Exception {
        String arn = moto.create("by-arn", "spv-fake-arn-value");
        moto.create("other", "spv-fake-other-value");
        String partial = arn.substring(0, arn.length() - 7);
        FetchRound round = fetch(List.of(SecretSpec.of("full", arn), SecretSpec.of("other", moto.name("other"))),
                Duration.ofSeconds(20));
        assertTrue("spv-fake-arn-value".equals(text(round.entries().get("full"))), "value of full");
        assertTrue(partial.startsWith("arn:aws:secretsmanager:us-east-1:"));
    }

    @Test
    void deniedBatchFallsBackToOneCallPerSecret() throws Exception {
        moto.create("a", "spv-fake-a-value");
        moto.create("b", "spv-fake-b-value");
        proxy.denyBatch();
        FetchRound round = fetch(List.of(SecretSpec.of("a", moto.name("a")), SecretSpec.of("b", moto.name("b")),
                SecretSpec.of("c", moto.name("c"))), Duration.ofSeconds(20));
        assertTrue("spv-fake-a-value".equals(text(round.entries().get("a"))), "value of a");
        assertTrue("spv-fake-b-value".equals(text(round.entries().get("b"))), "value of b");
        assertEquals("ResourceNotFoundException", ((SecretValue.Failure) round.entries().get("c").value()).code());
        assertEquals(1, proxy.count("BatchGetSecretValue"));
        assertEquals(3, proxy.count("GetSecretValue"));
        assertTrue(log().contains("AccessDeniedException"), log());
    }

    @Test
    void pinnedStageAndBinaryValuesAreFetchedWithGetSecretValue() throws Exception {
        moto.create("rotated", "spv-fake-old-value");
        moto.update("rotated", "spv-fake-new-value");
        moto.createBinary("key", "spv-fake-key\0\1\2\377".getBytes(StandardCharsets.ISO_8859_1));
        FetchRound round = fetch(List.of(
                new SecretSpec("old", moto.name("rotated"), Optional.empty(), Optional.of("AWSPREVIOUS"), Optional.empty()),
                SecretSpec.of("key", moto.name("key"))), Duration.ofSeconds(20));
        SecretEntry old = round.entries().get("old");
        assertTrue("spv-fake-old-value".equals(text(old)), "value of the AWSPREVIOUS version");
        assertEquals(Optional.of("AWSPREVIOUS"), old.requestedVersionStage());
        assertArrayEquals("spv-fake-key\0\1\2\377".getBytes(StandardCharsets.ISO_8859_1),
                assertInstanceOf(SecretValue.Binary.class, round.entries().get("key").value()).bytes());
        assertEquals(2, proxy.count("GetSecretValue"));
        assertEquals(0, proxy.count("BatchGetSecretValue"));
    }

    @Test
    void regionComesFromTheArn() throws Exception {
        String arn = moto.createIn("eu-west-1", "eu", "spv-fake-eu-value");
        moto.create("us", "spv-fake-us-value");
        FetchRound round = fetch(List.of(SecretSpec.of("eu", arn), SecretSpec.of("us", moto.name("us")),
                SecretSpec.of("eu-by-name-in-us", moto.name("eu"))), Duration.ofSeconds(20));
        assertTrue("spv-fake-eu-value".equals(text(round.entries().get("eu"))), "value of eu");
        assertTrue("spv-fake-us-value".equals(text(round.entries().get("us"))), "value of us");
        // The same name looked up in the default region (us-east-1) does not exist there.
        assertTrue(round.entries().get("eu-by-name-in-us").failed());
    }

    @Test
    void whatIsUnansweredAtTheDeadlineBecomesATimeoutEntry() throws Exception {
        moto.create("slow", "spv-fake-slow-value");
        proxy.hold();
        FetchRound round = fetch(List.of(SecretSpec.of("slow", moto.name("slow")),
                SecretSpec.of("slow2", moto.name("slow2"))), Duration.ofMillis(300));
        for (SecretEntry entry : round.entries().values()) {
            assertEquals(FetchErrors.TIMEOUT, ((SecretValue.Failure) entry.value()).code());
        }
    }

    @Test
    void secretsWithoutARegionFailWithoutACall() throws Exception {
        Environment environment = Environment.from(Map.of("AWS_ACCESS_KEY_ID", "a", "AWS_SECRET_ACCESS_KEY", "b",
                "AWS_ENDPOINT_URL_SECRETS_MANAGER", proxy.endpoint().toString()));
        try (SignedCalls calls = new SignedCalls(environment);
                Fetcher fetcher = new Fetcher(calls, Optional.empty(), new Log(Log.Level.OFF, System.out),
                        Clock.systemUTC())) {
            SecretEntry entry = fetcher.fetch(List.of(SecretSpec.of("db", "prod/db")), Duration.ofSeconds(5))
                    .entries().get("db");
            assertEquals(FetchErrors.CLIENT_ERROR, ((SecretValue.Failure) entry.value()).code());
            assertTrue(((SecretValue.Failure) entry.value()).message().contains("AWS_REGION"));
        }
        assertTrue(proxy.calls.isEmpty());
    }

    @Test
    void logLinesNeverContainValues() throws Exception {
        moto.create("quiet", "spv-fake-value-that-must-not-be-logged");
        proxy.denyBatch();
        fetch(List.of(SecretSpec.of("quiet", moto.name("quiet")), SecretSpec.of("x", moto.name("x"))),
                Duration.ofSeconds(20));
        assertFalse(log().contains("spv-fake-value-that-must-not-be-logged"), "a value was logged");
    }

    @Test
    void callsGoThroughTheProxyTheEnvironmentNames() throws Exception {
        moto.create("via-proxy-1", "spv-fake-proxied-value-1");
        moto.create("via-proxy-2", "spv-fake-proxied-value-2");
        Map<String, String> env = new java.util.HashMap<>(
                MotoSecrets.environment(MotoSecrets.moto().endpoint(), null));
        env.put("HTTP_PROXY", "http://127.0.0.1:" + proxy.endpoint().getPort());
        FetchRound round = fetch(env, List.of(SecretSpec.of("a", moto.name("via-proxy-1")),
                SecretSpec.of("b", moto.name("via-proxy-2"))), Duration.ofSeconds(20));
        assertEquals(0, round.failures(), () -> round.entries().toString());
        assertTrue("spv-fake-proxied-value-1".equals(text(round.entries().get("a"))), "value of a");
        assertEquals(1, proxy.count("BatchGetSecretValue"), "the call went through the proxy");
    }

    @Test
    void hostsInLowerCaseNoProxyGoDirect() throws Exception {
        moto.create("direct", "spv-fake-direct-value");
        Map<String, String> env = new java.util.HashMap<>(
                MotoSecrets.environment(MotoSecrets.moto().endpoint(), null));
        env.put("http_proxy", "127.0.0.1:" + proxy.endpoint().getPort());
        env.put("no_proxy", "localhost, 127.0.0.1");
        FetchRound round = fetch(env, List.of(SecretSpec.of("d", moto.name("direct"))), Duration.ofSeconds(20));
        assertEquals(0, round.failures(), () -> round.entries().toString());
        assertTrue(proxy.calls.isEmpty(), proxy.calls.toString());
    }
}
