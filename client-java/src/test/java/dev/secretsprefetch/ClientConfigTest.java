// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.manifest.EnvironmentVariables;
import dev.secretsprefetch.manifest.Log;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The environment is parsed once, with defaults, and bad values are rejected naming the variable. */
class ClientConfigTest {

    @Test
    void emptyEnvironmentGivesTheDocumentedDefaults() {
        ClientConfig config = ClientConfig.from(Map.of());

        assertEquals(Path.of("/tmp/secrets-prefetch"), config.directory());
        assertEquals(10_000, config.waitCapMs());
        assertEquals(Log.Level.INFO, config.logLevel());
        assertEquals(Optional.empty(), config.region());
        assertEquals(Optional.empty(), config.endpoint());
        assertEquals(Optional.empty(), config.callTimeout());
    }

    @Test
    void everySettingIsRead() {
        ClientConfig config = ClientConfig.from(Map.of(
                EnvironmentVariables.DIR, "/tmp/elsewhere",
                EnvironmentVariables.WAIT_MS, " 2500 ",
                EnvironmentVariables.LOG_LEVEL, "WARN",
                EnvironmentVariables.AWS_REGION, "eu-central-1",
                EnvironmentVariables.ENDPOINT_URL_SECRETS_MANAGER, "http://127.0.0.1:4566"));

        assertEquals(Path.of("/tmp/elsewhere"), config.directory());
        assertEquals(2500, config.waitCapMs());
        assertEquals(Log.Level.WARN, config.logLevel());
        assertEquals(Optional.of("eu-central-1"), config.region());
        assertEquals(Optional.of(URI.create("http://127.0.0.1:4566")), config.endpoint());
    }

    @Test
    void awsRegionWinsOverAwsDefaultRegion() {
        assertEquals(Optional.of("eu-west-1"), ClientConfig.from(Map.of(EnvironmentVariables.AWS_REGION, "eu-west-1",
                EnvironmentVariables.AWS_DEFAULT_REGION, "us-east-2")).region());
        assertEquals(Optional.of("us-east-2"), ClientConfig.from(Map.of(EnvironmentVariables.AWS_DEFAULT_REGION, "us-east-2"))
                .region());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ten", "-1", "900001", "1.5", "99999999999999999999"})
    void badWaitCapIsRejectedNamingTheVariableAndTheRange(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientConfig.from(Map.of(EnvironmentVariables.WAIT_MS, value)));

        assertTrue(e.getMessage().startsWith("SECRETS_PREFETCH_WAIT_MS must be a whole number of milliseconds from 0 "
                + "to 900000"), e.getMessage());
        assertTrue(e.getMessage().endsWith("was \"" + value + "\""), e.getMessage());
    }

    @Test
    void badLogLevelIsRejectedNamingTheVariable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientConfig.from(Map.of(EnvironmentVariables.LOG_LEVEL, "verbose")));

        assertTrue(e.getMessage().startsWith("SECRETS_PREFETCH_LOG_LEVEL must be one of"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:4566", "ftp://host", "http://", "not a url"})
    void badEndpointIsRejectedNamingTheVariable(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientConfig.from(Map.of(EnvironmentVariables.ENDPOINT_URL_SECRETS_MANAGER, value)));

        assertTrue(e.getMessage().startsWith("AWS_ENDPOINT_URL_SECRETS_MANAGER must be an absolute http or https URL"),
                e.getMessage());
        assertFalse(e.getMessage().contains(value), "an endpoint may carry credentials: never repeated");
    }

    @Test
    void unknownPrefixedVariablesAreReportedNotFatal() {
        ClientConfig config = ClientConfig.from(Map.of("SECRETS_PREFETCH_WAITMS", "5", EnvironmentVariables.SECRETS,
                "db=prod/db", "PATH", "/usr/bin"));

        assertEquals(List.of("SECRETS_PREFETCH_WAITMS"), config.unknownVariables());
        assertEquals(10_000, config.waitCapMs());
    }
}
