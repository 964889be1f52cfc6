// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import static dev.secretsprefetch.extension.ExtensionHarness.failure;
import static dev.secretsprefetch.extension.ExtensionHarness.text;
import static dev.secretsprefetch.extension.SecretValues.assertNoValueIn;
import static dev.secretsprefetch.extension.SecretValues.assertSameValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.extension.aws.FetchErrors;
import dev.secretsprefetch.extension.aws.Retries;
import dev.secretsprefetch.extension.config.SecretSpec;
import dev.secretsprefetch.manifest.Manifest;
import dev.secretsprefetch.manifest.SecretEntry;
import dev.secretsprefetch.manifest.SecretValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets Manager and the network misbehaving while the real extension initialises and refreshes: moto behind
 * the fault-injecting proxy. Whatever happens, init ends in a ready manifest before the deadline readers wait
 * for, every secret has a value or an error entry with a precise code, and no value reaches the log.
 */
class SecretsManagerFaultsTest {

    /** Long enough for a loaded machine; tests that expect success finish far sooner. */
    private static final Duration DEADLINE = Duration.ofMillis(3000);
    /** For the cases that run into the deadline. */
    private static final Duration SHORT_DEADLINE = Duration.ofMillis(400);
    /** Writing the ready manifest after the fetch deadline is quick; this allows for a loaded machine. */
    private static final long SLACK_MS = 2000;
    /** For the refresh case: short, because the black-box run of these tests waits it out in real time. */
    private static final Duration REFRESH_INTERVAL = Duration.ofSeconds(2);

    @TempDir
    Path tmp;

    private final MotoSecrets moto = new MotoSecrets();
    private final Map<String, String> values = new LinkedHashMap<>();
    private ExtensionHarness extension;

    @BeforeEach
    void start() {
        extension = harness(tmp.resolve("secrets"));
    }

    /** The extension in this JVM; {@link SecretsManagerFaultsIT} runs the layer's instead. */
    ExtensionHarness harness(Path dir) {
        return new ExtensionHarness(dir);
    }

    @AfterEach
    void stop() {
        extension.close();
    }

    /** Creates one secret per name with a distinctive value; returns their specs. */
    private List<SecretSpec> secrets(String... names) {
        List<SecretSpec> specs = new ArrayList<>();
        for (String name : names) {
            String value = SecretValues.next();
            moto.create(name, value);
            values.put(name, value);
            specs.add(SecretSpec.of(name, moto.name(name)));
        }
        return specs;
    }

    private Manifest init(List<SecretSpec> secrets, Duration deadline) throws Exception {
        return init(secrets, deadline, Duration.ofSeconds(60));
    }

    private Manifest init(List<SecretSpec> secrets, Duration deadline, Duration refreshInterval) throws Exception {
        extension.startAndAwaitInit(ExtensionHarness.config(extension.dir, secrets, deadline, refreshInterval));
        Manifest ready = extension.manifest();
        assertEquals(Manifest.State.READY, ready.state());
        assertTrue(ready.writtenAtEpochMs() <= extension.pendingDeadlineAtRegister() + SLACK_MS,
                "the ready manifest came " + (ready.writtenAtEpochMs() - extension.pendingDeadlineAtRegister())
                        + " ms after the deadline readers wait for");
        return ready;
    }

    private void assertValues(Manifest manifest, String... names) {
        for (String name : names) {
            assertSameValue(values.get(name), text(manifest.secrets().get(name)), name);
        }
    }

    private static void assertCode(String code, Manifest manifest, String... names) {
        for (String name : names) {
            SecretValue.Failure failure = failure(manifest.secrets().get(name));
            assertEquals(code, failure.code(), name + ": " + failure.message());
        }
    }

    /** No value in the log nor in any error entry's message. */
    private void assertNothingLeaked(Manifest manifest) {
        String[] all = values.values().toArray(String[]::new);
        assertNoValueIn(extension.log(), "the extension's log", all);
        for (SecretEntry entry : manifest.secrets().values()) {
            if (entry.value() instanceof SecretValue.Failure failure) {
                assertNoValueIn(failure.message(), "an error entry's message", all);
            }
        }
    }

    @Test
    void throttledBatchIsRetriedAndItsValuesArrive() throws Exception {
        extension.proxy.inject("BatchGetSecretValue", Fault.throttling(), 2);
        Manifest ready = init(secrets("a", "b"), DEADLINE);
        assertValues(ready, "a", "b");
        assertEquals(3, extension.proxy.count("BatchGetSecretValue"));
        assertEquals(0, extension.proxy.count("GetSecretValue"));
        assertNothingLeaked(ready);
    }

    @Test
    void persistentlyThrottledBatchFallsBackToGetSecretValueWhichHasItsOwnQuota() throws Exception {
        extension.proxy.always("BatchGetSecretValue", Fault.throttling());
        Manifest ready = init(secrets("a", "b", "c"), DEADLINE);
        assertValues(ready, "a", "b", "c");
        assertTrue(extension.proxy.count("BatchGetSecretValue") <= Retries.MAX_ATTEMPTS);
        assertEquals(3, extension.proxy.count("GetSecretValue"));
        assertNothingLeaked(ready);
    }

    @Test
    void throttlingEverywhereFailsEverySecretWithThrottlingExceptionAndBoundedCalls() throws Exception {
        extension.proxy.always("*", Fault.throttling());
        Manifest ready = init(secrets("a", "b", "c"), DEADLINE);
        assertCode("ThrottlingException", ready, "a", "b", "c");
        assertTrue(extension.proxy.count("BatchGetSecretValue") <= Retries.MAX_ATTEMPTS);
        assertTrue(extension.proxy.count("GetSecretValue") <= 3 * Retries.MAX_ATTEMPTS,
                "every GetSecretValue is retried a bounded number of times");
        assertTrue(extension.log().contains("not fetched: ThrottlingException"), extension.log());
        assertNothingLeaked(ready);
    }

    @Test
    void internalServiceErrorIsRetried() throws Exception {
        extension.proxy.inject("GetSecretValue", Fault.internalServiceError(), 1);
        Manifest ready = init(secrets("single"), DEADLINE);
        assertValues(ready, "single");
        assertEquals(2, extension.proxy.count("GetSecretValue"));
        assertNothingLeaked(ready);
    }

    @Test
    void persistentServerErrorsKeepTheirCodes() throws Exception {
        extension.proxy.always("BatchGetSecretValue", Fault.internalServiceError());
        extension.proxy.always("GetSecretValue", Fault.unavailable());
        List<SecretSpec> secrets = secrets("a", "b");
        String pinned = SecretValues.next();
        moto.create("pinned", pinned);
        secrets.add(new SecretSpec("pinned", moto.name("pinned"), java.util.Optional.empty(),
                java.util.Optional.of("AWSCURRENT"), java.util.Optional.empty()));
        Manifest ready = init(secrets, DEADLINE);
        assertCode("InternalServiceError", ready, "a", "b");
        assertCode("ServiceUnavailable", ready, "pinned");
        assertEquals(Retries.MAX_ATTEMPTS, extension.proxy.count("GetSecretValue"));
        assertNothingLeaked(ready);
    }

    @Test
    void refusedConnectionsBecomeClientErrorEntriesAndTheFunctionStarts() throws Exception {
        extension.proxy.refuseConnections();
        Manifest ready = init(secrets("a", "b"), DEADLINE);
        assertCode(FetchErrors.CLIENT_ERROR, ready, "a", "b");
        assertTrue(failure(ready.secrets().get("a")).message().contains("Connection refused"),
                failure(ready.secrets().get("a")).message());
        assertTrue(extension.proxy.calls.isEmpty());
        assertEquals(0, extension.shutdown());
    }

    @Test
    void connectionResetHalfWayThroughAnAnswerIsRetried() throws Exception {
        extension.proxy.inject("BatchGetSecretValue", Fault.resetMidAnswer(), 1);
        Manifest ready = init(secrets("a", "b"), DEADLINE);
        assertValues(ready, "a", "b");
        assertEquals(2, extension.proxy.count("BatchGetSecretValue"));
        assertNothingLeaked(ready);
    }

    @Test
    void answersCutOffEveryTimeNeverPutTheirPartOfAValueAnywhere() throws Exception {
        extension.proxy.always("*", Fault.resetMidAnswer());
        Manifest ready = init(secrets("a", "b"), DEADLINE);
        assertCode(FetchErrors.CLIENT_ERROR, ready, "a", "b");
        assertNothingLeaked(ready);
    }

    @Test
    void answersSlowerThanTheDeadlineBecomeTimeoutEntriesAndInitEndsOnTime() throws Exception {
        extension.proxy.hold();
        List<SecretSpec> secrets = secrets("a", "b", "single-in-eu");
        secrets.set(2, SecretSpec.of("single-in-eu",
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:" + moto.name("single-in-eu")));
        Manifest ready = init(secrets, SHORT_DEADLINE);
        assertCode(FetchErrors.TIMEOUT, ready, "a", "b", "single-in-eu");
        assertTrue(extension.log().contains("prefetch: 3 secret(s), 0 fetched, 3 failed"), extension.log());
        assertEquals(0, extension.shutdown());
    }

    @Test
    void malformedAnswersNeverPutValueTextIntoEntriesOrLogs() throws Exception {
        extension.proxy.always("*", Fault.unquotedValues());
        Manifest ready = init(secrets("a", "b"), DEADLINE);
        assertCode(FetchErrors.CLIENT_ERROR, ready, "a", "b");
        assertTrue(failure(ready.secrets().get("a")).message().contains("not valid JSON"),
                failure(ready.secrets().get("a")).message());
        assertNothingLeaked(ready);
    }

    @Test
    void partialBatchErrorsFailOnlyTheirSecretsAndPassingOnesAreAskedForAgain() throws Exception {
        extension.proxy.always("BatchGetSecretValue", Fault.batchErrors(
                new Fault.BatchError("/undecryptable", "DecryptionFailure",
                        "Secrets Manager can't decrypt the protected secret text using the provided KMS key."),
                new Fault.BatchError("/busy", "InternalServiceError", "An error occurred on the server side.")));
        Manifest ready = init(secrets("fine", "undecryptable", "busy"), DEADLINE);
        assertValues(ready, "fine", "busy");
        assertCode("DecryptionFailure", ready, "undecryptable");
        assertEquals(1, extension.proxy.count("BatchGetSecretValue"));
        assertEquals(1, extension.proxy.count("GetSecretValue"), "only the secret that may pass is asked again");
        assertNothingLeaked(ready);
    }

    @Test
    void deniedBatchFallsBackToOneCallPerSecretEachRetriedOnItsOwn() throws Exception {
        extension.proxy.denyBatch();
        extension.proxy.inject("GetSecretValue", Fault.throttling(), 1);
        List<SecretSpec> secrets = secrets("a", "b");
        secrets.add(SecretSpec.of("missing", moto.name("missing")));
        Manifest ready = init(secrets, DEADLINE);
        assertValues(ready, "a", "b");
        assertCode("ResourceNotFoundException", ready, "missing");
        assertEquals(1, extension.proxy.count("BatchGetSecretValue"), "AccessDenied is not retried");
        assertEquals(4, extension.proxy.count("GetSecretValue"), "three secrets, one of them throttled once");
        assertNothingLeaked(ready);
    }

    @Test
    void refreshUnderFaultsKeepsThePreviousValuesUntilSecretsManagerRecovers() throws Exception {
        Manifest first = init(secrets("a", "b"), DEADLINE, REFRESH_INTERVAL);
        assertValues(first, "a", "b");

        extension.proxy.always("*", Fault.throttling());
        extension.passTime(REFRESH_INTERVAL.plusMillis(100));
        extension.invoke();
        Manifest kept = extension.manifest();
        assertEquals(first.generation(), kept.generation(), "a failed refresh writes no new generation");
        assertValues(kept, "a", "b");
        assertTrue(extension.log().contains("failed with ThrottlingException"), extension.log());
        assertTrue(extension.log().contains("keeping the previous value"), extension.log());

        extension.proxy.clearFaults();
        extension.proxy.refuseConnections();
        extension.passTime(REFRESH_INTERVAL.plusMillis(100));
        extension.invoke();
        assertEquals(first.generation(), extension.manifest().generation());
        assertValues(extension.manifest(), "a", "b");

        extension.proxy.acceptConnections();
        String rotated = SecretValues.next();
        moto.update("a", rotated);
        values.put("a", rotated);
        extension.passTime(REFRESH_INTERVAL.plusMillis(100));
        extension.invoke();
        Manifest recovered = extension.manifest();
        assertEquals(first.generation() + 1, recovered.generation());
        assertValues(recovered, "a", "b");
        assertNothingLeaked(recovered);
        assertEquals(0, extension.shutdown());
    }
}
