// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import static dev.secretsprefetch.extension.ExtensionHarness.failure;
import static dev.secretsprefetch.extension.ExtensionHarness.text;
import static dev.secretsprefetch.extension.SecretValues.assertNoValueIn;
import static dev.secretsprefetch.extension.SecretValues.assertSameValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.extension.aws.Retries;
import dev.secretsprefetch.extension.config.ParameterSpec;
import dev.secretsprefetch.extension.config.SecretSpec;
import dev.secretsprefetch.extension.config.SsmParameter;
import dev.secretsprefetch.extension.config.ValueSpec;
import dev.secretsprefetch.manifest.Manifest;
import dev.secretsprefetch.manifest.SecretEntry;
import dev.secretsprefetch.manifest.SecretValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * SSM parameters beside secrets while the real extension initialises and refreshes: moto behind the
 * fault-injecting proxy. Every parameter gets a value or an error entry of its own, and no value reaches the log.
 */
class ParametersTest {

    private static final Duration DEADLINE = Duration.ofMillis(3000);
    private static final Duration REFRESH_INTERVAL = Duration.ofSeconds(2);

    @TempDir
    Path tmp;

    private final MotoParameters parameters = new MotoParameters();
    private final MotoSecrets secrets = new MotoSecrets();
    private final Map<String, String> values = new LinkedHashMap<>();
    private ExtensionHarness extension;

    @BeforeEach
    void start() {
        extension = harness(tmp.resolve("secrets"));
    }

    /** The extension in this JVM. */
    ExtensionHarness harness(Path dir) {
        return new ExtensionHarness(dir);
    }

    @AfterEach
    void stop() {
        extension.close();
    }

    private String put(String suffix, ParameterType type, String value) {
        parameters.put(suffix, type, value);
        values.put(suffix, value);
        return parameters.name(suffix);
    }

    private Manifest init(List<ValueSpec> specs, Duration refreshInterval) throws Exception {
        extension.startAndAwaitInit(ExtensionHarness.config(extension.dir, specs, DEADLINE, refreshInterval));
        Manifest ready = extension.manifest();
        assertEquals(Manifest.State.READY, ready.state());
        return ready;
    }

    private static SecretEntry.Parameter parameter(SecretEntry entry) {
        return (SecretEntry.Parameter) entry.source();
    }

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
    void everyParameterTypeArrivesBesideSecretsInOneGetParametersCall() throws Exception {
        String secretValue = SecretValues.next();
        secrets.create("db", secretValue);
        values.put("db", secretValue);
        String list = SecretValues.next() + "," + SecretValues.next();
        List<ValueSpec> specs = List.of(SecretSpec.of("db", secrets.name("db")),
                ParameterSpec.of("url", put("url", ParameterType.STRING, SecretValues.next())),
                ParameterSpec.of("hosts", put("hosts", ParameterType.STRING_LIST, list)),
                ParameterSpec.of("password", put("password", ParameterType.SECURE_STRING, SecretValues.next())));
        Manifest ready = init(specs, Duration.ofSeconds(60));

        assertSameValue(secretValue, text(ready.secrets().get("db")), "db");
        for (String name : List.of("url", "hosts", "password")) {
            assertSameValue(values.get(name), text(ready.secrets().get(name)), name);
            assertEquals(OptionalLong.of(1), parameter(ready.secrets().get(name)).parameterVersion(), name);
            assertTrue(ready.secrets().get(name).arn().orElseThrow().endsWith(":parameter" + parameters.name(name)));
        }
        assertEquals(Optional.of("StringList"), parameter(ready.secrets().get("hosts")).parameterType());
        assertEquals(Optional.of("SecureString"), parameter(ready.secrets().get("password")).parameterType());
        assertEquals(1, extension.proxy.count("GetParameters"));
        assertTrue(extension.log().contains("1 GetParameters call(s)"), extension.log());
        assertNothingLeaked(ready);
    }

    @Test
    void aMissingParameterGetsParameterNotFoundAndOnlyIt() throws Exception {
        List<ValueSpec> specs = List.of(ParameterSpec.of("url", put("url", ParameterType.STRING, SecretValues.next())),
                ParameterSpec.of("missing", parameters.name("missing")));
        Manifest ready = init(specs, Duration.ofSeconds(60));
        assertSameValue(values.get("url"), text(ready.secrets().get("url")), "url");
        assertEquals(Fetcher.PARAMETER_NOT_FOUND, failure(ready.secrets().get("missing")).code());
        assertEquals(parameters.name("missing"), parameter(ready.secrets().get("missing")).parameter());
        assertTrue(extension.log().contains("parameter " + parameters.name("missing") + " (name missing) not fetched: "
                + "ParameterNotFound"), extension.log());
        assertNothingLeaked(ready);
    }

    @Test
    void versionAndLabelSelectorsGetThoseVersionsAndSayWhatWasPinned() throws Exception {
        String first = SecretValues.next();
        String second = SecretValues.next();
        put("app", ParameterType.STRING, first);
        values.put("app-2", second);
        String name = parameters.name("app");
        parameters.put("app", ParameterType.STRING, second);
        parameters.label("app", 1, "live");
        List<ValueSpec> specs = List.of(ParameterSpec.of("current", name), ParameterSpec.of("first", name + ":1"),
                ParameterSpec.of("live", name + ":live"), ParameterSpec.of("nine", name + ":9"));
        Manifest ready = init(specs, Duration.ofSeconds(60));

        assertSameValue(second, text(ready.secrets().get("current")), "current");
        assertSameValue(first, text(ready.secrets().get("first")), "first");
        assertSameValue(first, text(ready.secrets().get("live")), "live");
        assertEquals(OptionalLong.of(1), parameter(ready.secrets().get("first")).requestedVersion());
        assertEquals(Optional.of("live"), parameter(ready.secrets().get("live")).requestedLabel());
        assertEquals(name + ":live", parameter(ready.secrets().get("live")).parameter());
        assertEquals(OptionalLong.of(2), parameter(ready.secrets().get("current")).parameterVersion());
        assertEquals(Fetcher.PARAMETER_NOT_FOUND, failure(ready.secrets().get("nine")).code());
        // An answer names the parameter, not the selector: one call per selector of the same parameter.
        assertEquals(4, extension.proxy.count("GetParameters"));
        assertNothingLeaked(ready);
    }

    @Test
    void aDeniedParameterFailsAloneAndTheOthersInItsCallArrive() throws Exception {
        List<ValueSpec> specs = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            specs.add(ParameterSpec.of(name, put(name, ParameterType.SECURE_STRING, SecretValues.next())));
        }
        extension.proxy.always("GetParameters", Fault.parameterDenied(parameters.name("b")));
        Manifest ready = init(specs, Duration.ofSeconds(60));
        assertSameValue(values.get("a"), text(ready.secrets().get("a")), "a");
        assertSameValue(values.get("c"), text(ready.secrets().get("c")), "c");
        assertEquals("AccessDeniedException", failure(ready.secrets().get("b")).code());
        assertEquals(4, extension.proxy.count("GetParameters"), "the refused call, then one per parameter");
        assertNothingLeaked(ready);
    }

    @Test
    void throttledGetParametersIsRetriedAndPersistentThrottlingKeepsItsCode() throws Exception {
        List<ValueSpec> specs = List.of(ParameterSpec.of("a", put("a", ParameterType.STRING, SecretValues.next())),
                ParameterSpec.of("b", put("b", ParameterType.STRING, SecretValues.next())));
        extension.proxy.inject("GetParameters", Fault.throttling(), 2);
        Manifest ready = init(specs, Duration.ofSeconds(60));
        assertSameValue(values.get("a"), text(ready.secrets().get("a")), "a");
        assertEquals(3, extension.proxy.count("GetParameters"));
        assertNothingLeaked(ready);
    }

    @Test
    void persistentThrottlingFailsEveryParameterOfTheCallWithThrottlingException() throws Exception {
        List<ValueSpec> specs = List.of(ParameterSpec.of("a", put("a", ParameterType.STRING, SecretValues.next())),
                ParameterSpec.of("b", put("b", ParameterType.STRING, SecretValues.next())));
        extension.proxy.always("GetParameters", Fault.throttling());
        Manifest ready = init(specs, Duration.ofSeconds(60));
        assertEquals("ThrottlingException", failure(ready.secrets().get("a")).code());
        assertEquals("ThrottlingException", failure(ready.secrets().get("b")).code());
        assertTrue(extension.proxy.count("GetParameters") <= Retries.MAX_ATTEMPTS);
    }

    @Test
    void aParameterWithAFileIsWrittenThereLikeASecret() throws Exception {
        String url = put("url", ParameterType.SECURE_STRING, SecretValues.next());
        Manifest ready = init(List.of(new ParameterSpec("url", SsmParameter.parse(url), Optional.of("url.txt"))),
                Duration.ofSeconds(60));
        assertSameValue(values.get("url"), text(ready.secrets().get("url")), "url");
        assertSameValue(values.get("url"), Files.readString(extension.dir.resolve("url.txt")), "url.txt");
    }

    @Test
    void refreshWritesANewGenerationOnlyForANewParameterVersion() throws Exception {
        List<ValueSpec> specs = List.of(ParameterSpec.of("url", put("url", ParameterType.STRING, SecretValues.next())));
        Manifest first = init(specs, REFRESH_INTERVAL);

        extension.passTime(REFRESH_INTERVAL.plusMillis(100));
        extension.invoke();
        assertEquals(first.generation(), extension.manifest().generation(), "same Version, no new generation");

        String rotated = SecretValues.next();
        parameters.put("url", ParameterType.STRING, rotated);
        values.put("url-2", rotated);
        extension.passTime(REFRESH_INTERVAL.plusMillis(100));
        extension.invoke();
        Manifest refreshed = extension.manifest();
        assertEquals(first.generation() + 1, refreshed.generation());
        assertSameValue(rotated, text(refreshed.secrets().get("url")), "url");
        assertEquals(OptionalLong.of(2), parameter(refreshed.secrets().get("url")).parameterVersion());
        assertNothingLeaked(refreshed);
        assertEquals(0, extension.shutdown());
    }
}
