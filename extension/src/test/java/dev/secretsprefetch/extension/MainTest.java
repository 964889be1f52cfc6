// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.extension.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The extension mode's entry: a configuration it cannot use fails the init through the Extensions API. */
class MainTest {

    @TempDir
    Path tmp;

    private final FakeExtensionsApi api = new FakeExtensionsApi();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @AfterEach
    void close() {
        api.close();
    }

    private int run(Map<String, String> env) {
        return Main.runExtension(env, "my-layer-name", new ConfigLoader(tmp.resolve("secrets-prefetch.json")),
                new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @Test
    void theLoggingProviderItNamesIsTheOneTheLayerCarries() throws ClassNotFoundException {
        // Named but missing, SLF4J would print an error and scan the class path after all.
        assertTrue(org.slf4j.spi.SLF4JServiceProvider.class.isAssignableFrom(Class.forName(Main.SLF4J_PROVIDER)));
    }

    @Test
    void badConfigurationIsReportedThroughInitErrorAndExitsNonZero() {
        int status = run(Map.of("AWS_LAMBDA_RUNTIME_API", api.runtimeApi(),
                "SECRETS_PREFETCH_SECRETS", "db=arn:aws:secretsmanager:us-east-1:12:secret:x"));
        assertEquals(1, status);
        assertEquals(1, api.registrations.size(), "Lambda takes an init error only from a registered extension");
        assertEquals("my-layer-name", api.registrations.get(0).name());
        assertEquals(1, api.errors.size());
        FakeExtensionsApi.ErrorReport report = api.errors.get(0);
        assertEquals("/2020-01-01/extension/init/error", report.path());
        assertEquals(FakeExtensionsApi.IDENTIFIER, report.identifier());
        assertEquals("Extension.ConfigInvalid", report.errorType());
        assertTrue(report.body().startsWith("{\"errorMessage\":\"SECRETS_PREFETCH_SECRETS: entry 1 (\\\"db\\\"): "
                + "secretId is not a valid Secrets Manager ARN: account \\\"12\\\""), report.body());
        assertTrue(report.body().endsWith("\"errorType\":\"Extension.ConfigInvalid\",\"stackTrace\":[]}"), report.body());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("[secrets-prefetch] ERROR invalid configuration: "));
    }

    @Test
    void missingConfigurationIsAConfigurationError() {
        assertEquals(1, run(Map.of("AWS_LAMBDA_RUNTIME_API", api.runtimeApi())));
        assertTrue(api.errors.get(0).body().contains("no configuration"), api.errors.get(0).body());
    }

    @Test
    void badEndpointVariableIsAConfigurationError() {
        assertEquals(1, run(Map.of("AWS_LAMBDA_RUNTIME_API", api.runtimeApi(), "SECRETS_PREFETCH_SECRETS", "a=b",
                "AWS_ENDPOINT_URL_SECRETS_MANAGER", "localhost:4566")));
        assertTrue(api.errors.get(0).body().contains("AWS_ENDPOINT_URL_SECRETS_MANAGER must be an absolute http or https URL"));
    }

    @Test
    void outsideLambdaItPointsAtTheOneShotCommand() {
        assertEquals(2, run(Map.of("SECRETS_PREFETCH_SECRETS", "a=b")));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("secrets-prefetch prefetch --config FILE --dir DIR"));
        assertEquals(List.of(), api.registrations);
    }

    @Test
    void unreachableExtensionsApiFailsWithoutHanging() {
        api.close();
        assertEquals(1, run(Map.of("AWS_LAMBDA_RUNTIME_API", api.runtimeApi(), "SECRETS_PREFETCH_SECRETS", "a=")));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("cannot report the error (Extension.ConfigInvalid)"));
    }

    @Test
    void aotCacheThatTheJvmDidNotUseIsReportedWithItsPath() {
        assertEquals(Optional.empty(), Main.unusedAotCache(null, "mixed mode"), "no cache given, nothing to report");
        assertEquals(Optional.empty(), Main.unusedAotCache("/opt/secrets-prefetch/secrets-prefetch.aot",
                "mixed mode, emulated-client, sharing"));
        String warning = Main.unusedAotCache("/opt/secrets-prefetch/secrets-prefetch.aot",
                "mixed mode, emulated-client").orElseThrow();
        assertTrue(warning.startsWith("the start-up cache /opt/secrets-prefetch/secrets-prefetch.aot was not used"),
                warning);
    }
}
