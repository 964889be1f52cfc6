// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.manifest.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf";

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("secrets-prefetch.json");
    }

    private Config load(String json) throws Exception {
        Files.writeString(file(), json);
        return new ConfigLoader(file()).load(Map.of());
    }

    private String error(String json) throws IOException {
        Files.writeString(file(), json);
        return assertThrows(ConfigException.class, () -> new ConfigLoader(file()).load(Map.of())).getMessage();
    }

    private static String secrets(String... items) {
        return "{\"secrets\": [" + String.join(",", items) + "]}";
    }

    @Test
    void fileWithEverySettingIsParsedIntoTheRecord() throws Exception {
        Config config = load("""
                {
                  "directory": "/tmp/my-secrets",
                  "refreshIntervalSeconds": 60,
                  "fetchDeadlineMs": 2500,
                  "keepOnShutdown": true,
                  "logLevel": "debug",
                  "secrets": [
                    { "name": "db", "secretId": "prod/db", "file": "db.json" },
                    { "name": "old", "secretId": "%s", "versionStage": "AWSPREVIOUS" },
                    { "name": "pinned", "secretId": "prod/key", "versionId": "0f6d4e2a-1b2c-4d5e-8f90-123456789abc" }
                  ]
                }
                """.formatted(ARN));
        assertEquals(Path.of("/tmp/my-secrets"), config.directory());
        assertEquals(Duration.ofSeconds(60), config.refreshInterval());
        assertEquals(Duration.ofMillis(2500), config.fetchDeadline());
        assertTrue(config.keepOnShutdown());
        assertEquals(Log.Level.DEBUG, config.logLevel());
        assertEquals(List.of(
                new SecretSpec("db", "prod/db", Optional.empty(), Optional.empty(), Optional.of("db.json")),
                new SecretSpec("old", ARN, Optional.empty(), Optional.of("AWSPREVIOUS"), Optional.empty()),
                new SecretSpec("pinned", "prod/key", Optional.of("0f6d4e2a-1b2c-4d5e-8f90-123456789abc"),
                        Optional.empty(), Optional.empty())),
                config.secrets());
        assertEquals(Optional.of("eu-west-1"), config.secrets().get(1).arnRegion());
    }

    @Test
    void defaultsApplyWhenOnlySecretsAreGiven() throws Exception {
        Config config = load(secrets("{\"name\": \"db\", \"secretId\": \"prod/db\"}"));
        assertEquals(Path.of("/tmp/secrets-prefetch"), config.directory());
        assertEquals(Duration.ofSeconds(300), config.refreshInterval());
        assertEquals(Duration.ofMillis(5000), config.fetchDeadline());
        assertFalse(config.keepOnShutdown());
        assertEquals(Log.Level.INFO, config.logLevel());
        assertEquals(Config.RuntimeStart.OVERLAP, config.runtimeStart());
    }

    @Test
    void runtimeStartComesFromTheFileAndTheVariableOverridesIt() throws Exception {
        assertEquals(Config.RuntimeStart.AFTER_SECRETS, load("{\"runtimeStart\": \"afterSecrets\", \"secrets\": "
                + "[{\"name\": \"a\", \"secretId\": \"b\"}]}").runtimeStart());
        assertEquals(Config.RuntimeStart.OVERLAP, new ConfigLoader(file())
                .load(Map.of("SECRETS_PREFETCH_RUNTIME_START", " Overlap ")).runtimeStart());
        assertEquals(Config.RuntimeStart.AFTER_SECRETS, new ConfigLoader(dir.resolve("absent.json")).load(Map.of(
                "SECRETS_PREFETCH_SECRETS", "db=prod/db", "SECRETS_PREFETCH_RUNTIME_START", "aftersecrets"))
                .runtimeStart());
    }

    @Test
    void anUnknownRuntimeStartIsNamedWithBothChoices() throws Exception {
        String message = error("{\"runtimeStart\": \"before\", \"secrets\": [{\"name\": \"a\", \"secretId\": "
                + "\"b\"}]}");
        assertTrue(message.contains(": \"runtimeStart\" is \"before\"; use overlap (the runtime starts while the "
                + "secrets are fetched) or afterSecrets (it starts once every file and the ready manifest are "
                + "written)"), message);
        String notAString = error("{\"runtimeStart\": true, \"secrets\": [{\"name\": \"a\", \"secretId\": \"b\"}]}");
        assertTrue(notAString.contains("\"runtimeStart\" (line 1, column 18) must be a string"), notAString);
        Files.writeString(file(), secrets("{\"name\": \"a\", \"secretId\": \"b\"}"));
        assertTrue(assertThrows(ConfigException.class, () -> new ConfigLoader(file()).load(Map.of(
                "SECRETS_PREFETCH_RUNTIME_START", "later"))).getMessage()
                .startsWith("SECRETS_PREFETCH_RUNTIME_START is \"later\"; use overlap"));
    }

    @Test
    void inlineVariableGivesNamesAndIds() throws Exception {
        Config config = new ConfigLoader(file()).load(Map.of("SECRETS_PREFETCH_SECRETS",
                " db = prod/db ,api=" + ARN, "SECRETS_PREFETCH_DIR", "/tmp/elsewhere"));
        assertEquals(List.of(SecretSpec.of("db", "prod/db"), SecretSpec.of("api", ARN)), config.secrets());
        assertEquals(Path.of("/tmp/elsewhere"), config.directory());
        assertEquals("SECRETS_PREFETCH_SECRETS", config.source());
    }

    @Test
    void configVariablePointsAtAnotherFile() throws Exception {
        Path other = dir.resolve("other.json");
        Files.writeString(other, secrets("{\"name\": \"db\", \"secretId\": \"prod/db\"}"));
        Config config = new ConfigLoader(file()).load(Map.of("SECRETS_PREFETCH_CONFIG", other.toString()));
        assertEquals(other.toString(), config.source());
    }

    @Test
    void logLevelVariableOverridesTheFile() throws Exception {
        Files.writeString(file(), "{\"logLevel\": \"debug\", \"secrets\": [{\"name\": \"a\", \"secretId\": \"b\"}]}");
        Config config = new ConfigLoader(file()).load(Map.of("SECRETS_PREFETCH_LOG_LEVEL", "WARN"));
        assertEquals(Log.Level.WARN, config.logLevel());
    }

    @Test
    void unknownKeyIsNamedWithASuggestion() throws Exception {
        String message = error("{\"refreshInterval\": 5, \"secrets\": []}");
        assertTrue(message.contains("unknown key \"refreshInterval\""), message);
        assertTrue(message.contains("did you mean \"refreshIntervalSeconds\"?"), message);
        assertTrue(message.contains("line 1, column 2"), message);
    }

    @Test
    void unknownKeyInASecretIsNamedWithItsPath() throws Exception {
        String message = error(secrets("{\"name\": \"db\", \"secretID\": \"prod/db\"}"));
        assertTrue(message.contains("unknown key \"secrets[0].secretID\""), message);
        assertTrue(message.contains("did you mean \"secretId\"?"), message);
    }

    @Test
    void duplicateNamesAreRejected() throws Exception {
        String message = error(secrets("{\"name\": \"db\", \"secretId\": \"a\"}", "{\"name\": \"db\", \"secretId\": \"b\"}"));
        assertTrue(message.contains("secrets[1]"), message);
        assertTrue(message.contains("same name \"db\" as secrets[0]"), message);
        assertTrue(message.contains("rename one"), message);
    }

    @Test
    void duplicateKeysAreRejected() throws Exception {
        String message = error("{\"secrets\": [{\"name\": \"a\", \"name\": \"b\", \"secretId\": \"x\"}]}");
        assertTrue(message.contains("key \"secrets[0].name\" appears twice"), message);
    }

    @Test
    void namesThatCouldLeaveTheDirectoryAreRejected() throws Exception {
        for (String name : List.of("../db", "a/b", "..", ".hidden", "nul\\u0000byte", "tab\\there", "x".repeat(201))) {
            String message = error(secrets("{\"name\": \"" + name + "\", \"secretId\": \"prod/db\"}"));
            assertTrue(message.contains("secrets[0]") && message.contains(": name "), message);
            assertTrue(message.contains("must not leave the secrets directory"), message);
        }
        assertTrue(error(secrets("{\"name\": \"a/b\", \"secretId\": \"x\"}")).contains("path separator"));
        assertTrue(error(secrets("{\"name\": \".env\", \"secretId\": \"x\"}")).contains("starts with a dot"));
        assertTrue(error(secrets("{\"name\": \"a\\u0000\", \"secretId\": \"x\"}")).contains("control character"));
        assertTrue(error(secrets("{\"name\": \"" + "x".repeat(201) + "\", \"secretId\": \"x\"}")).contains("201 bytes"));
    }

    @Test
    void filesThatCouldLeaveTheDirectoryOrReplaceTheManifestAreRejected() throws Exception {
        for (String file : List.of("../../etc/passwd", "/etc/passwd", ".db", "manifest.json", "a\\nb")) {
            String message = error(secrets("{\"name\": \"db\", \"secretId\": \"prod/db\", \"file\": \"" + file + "\"}"));
            assertTrue(message.contains("(\"db\"): file "), message);
            assertTrue(message.contains("plain file name inside the secrets directory"), message);
        }
    }

    @Test
    void twoSecretsWritingOneFileAreRejected() throws Exception {
        String message = error(secrets("{\"name\": \"a\", \"secretId\": \"x\", \"file\": \"f\"}",
                "{\"name\": \"b\", \"secretId\": \"y\", \"file\": \"f\"}"));
        assertTrue(message.contains("same file \"f\""), message);
    }

    @Test
    void arnsOfTheEuropeanSovereignCloudAreAConfiguration() throws Exception {
        Config config = load(secrets("{\"name\": \"db\", \"secretId\": "
                + "\"arn:aws-eusc:secretsmanager:eusc-de-east-1:123456789012:secret:prod/db-AbCdEf\"}"));
        assertEquals(Optional.of("eusc-de-east-1"), config.secrets().get(0).arnRegion());
    }

    @Test
    void invalidArnsAreExplained() throws Exception {
        Map<String, String> cases = Map.of(
                "arn:aws:secretsmanager:us-east-1:123456789012", "colon-separated parts",
                "arn:aws:ssm:us-east-1:123456789012:parameter:x", "service is \"ssm\"",
                "arn:aws:secretsmanager:useast1:123456789012:secret:x", "region \"useast1\"",
                "arn:aws:secretsmanager:us-east-1:1234:secret:x", "12-digit account",
                "arn:aws:secretsmanager:us-east-1:123456789012:key:x", "resource type is \"key\"",
                "arn:nope:secretsmanager:us-east-1:123456789012:secret:x", "partition \"nope\"",
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:bad name", "secret name contains characters");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String message = error(secrets("{\"name\": \"db\", \"secretId\": \"" + c.getKey() + "\"}"));
            assertTrue(message.contains("secretId is not a valid Secrets Manager ARN"), message);
            assertTrue(message.contains(c.getValue()), message);
            assertTrue(message.contains("expected arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME"), message);
        }
    }

    @Test
    void invalidSecretNamesAreRejected() throws Exception {
        String message = error(secrets("{\"name\": \"db\", \"secretId\": \"prod db\"}"));
        assertTrue(message.contains("secretId contains characters Secrets Manager does not allow"), message);
    }

    @Test
    void versionIdAndStageTogetherAreRejected() throws Exception {
        String message = error(secrets("{\"name\": \"db\", \"secretId\": \"x\", \"versionId\": \"abc\", "
                + "\"versionStage\": \"AWSCURRENT\"}"));
        assertTrue(message.contains("sets both versionId and versionStage; keep one"), message);
    }

    @Test
    void emptySecretListIsRejected() throws Exception {
        String message = error("{\"secrets\": []}");
        assertTrue(message.contains("\"secrets\" (line 1, column 13) is empty"), message);
        assertTrue(message.contains("list at least one secret"), message);
    }

    @Test
    void missingSecretsKeyAndMissingFieldsAreRejected() throws Exception {
        assertTrue(error("{}").contains("has no \"secrets\""));
        assertTrue(error(secrets("{\"secretId\": \"x\"}")).contains("has no \"name\""));
        assertTrue(error(secrets("{\"name\": \"x\"}")).contains("has neither \"secretId\" nor \"parameter\""));
    }

    @Test
    void malformedJsonGivesLineAndColumnButNoContent() throws Exception {
        String message = error("{\n  \"secrets\": [\n    {\"name\": \"db\" \"secretId\": \"SUPERSECRETCONTENT\"}\n  ]\n}");
        assertTrue(message.contains("is not valid JSON (line 3, column"), message);
        assertFalse(message.contains("SUPERSECRETCONTENT"), "the message must not quote the file");
        String truncated = error("{\"secrets\": [{\"name\": \"db\"");
        assertTrue(truncated.contains("it ends early"), truncated);
        assertTrue(error("[1, 2]").contains("must be a JSON object"));
        assertTrue(error("{\"secrets\": [{\"name\": \"a\", \"secretId\": \"b\"}]} trailing").contains("not valid JSON"));
    }

    @Test
    void wrongTypesAndRangesAreNamed() throws Exception {
        String item = "{\"name\": \"a\", \"secretId\": \"b\"}";
        assertTrue(error("{\"refreshIntervalSeconds\": \"300\", \"secrets\": [" + item + "]}")
                .contains("\"refreshIntervalSeconds\" (line 1, column 28) must be a whole number from 0 to 86400"));
        assertTrue(error("{\"refreshIntervalSeconds\": -1, \"secrets\": [" + item + "]}").contains("is -1, outside"));
        assertTrue(error("{\"fetchDeadlineMs\": 20000, \"secrets\": [" + item + "]}")
                .contains("\"fetchDeadlineMs\" (line 1, column 21) is 20000, outside 100 to 9000"));
        assertTrue(error("{\"keepOnShutdown\": \"yes\", \"secrets\": [" + item + "]}").contains("must be true or false"));
        assertTrue(error("{\"logLevel\": \"verbose\", \"secrets\": [" + item + "]}")
                .contains("\"logLevel\" is \"verbose\"; use one of debug, info, warn, error, off"));
        assertTrue(error("{\"secrets\": {\"db\": \"x\"}}").contains("\"secrets\" (line 1, column 13) must be an array"));
        assertTrue(error(secrets("{\"name\": 7, \"secretId\": \"b\"}")).contains("\"secrets[0].name\""));
    }

    @Test
    void directoryMustBeAbsoluteDeepAndAgreeWithTheVariable() throws Exception {
        String item = "{\"name\": \"a\", \"secretId\": \"b\"}";
        assertTrue(error("{\"directory\": \"secrets\", \"secrets\": [" + item + "]}").contains("must be an absolute path"));
        assertTrue(error("{\"directory\": \"/tmp\", \"secrets\": [" + item + "]}").contains("at least two levels deep"));
        assertTrue(error("{\"directory\": \"/tmp/../etc\", \"secrets\": [" + item + "]}").contains("without . or .."));
        Files.writeString(file(), "{\"directory\": \"/tmp/a\", \"secrets\": [" + item + "]}");
        String message = assertThrows(ConfigException.class, () -> new ConfigLoader(file())
                .load(Map.of("SECRETS_PREFETCH_DIR", "/tmp/b"))).getMessage();
        assertTrue(message.contains("the clients read the variable"), message);
        assertThrows(ConfigException.class, () -> new ConfigLoader(file()).load(Map.of("SECRETS_PREFETCH_DIR", "/")));
    }

    @Test
    void missingConfigurationSaysWhereToPutIt() {
        String message = assertThrows(ConfigException.class, () -> new ConfigLoader(file()).load(Map.of())).getMessage();
        assertTrue(message.startsWith("no configuration: " + file() + " does not exist"), message);
        assertTrue(message.contains("SECRETS_PREFETCH_SECRETS=name=secretIdOrArn"), message);
        String variable = assertThrows(ConfigException.class, () -> new ConfigLoader(file())
                .load(Map.of("SECRETS_PREFETCH_CONFIG", "/nonexistent/x.json"))).getMessage();
        assertTrue(variable.contains("(set by SECRETS_PREFETCH_CONFIG) does not exist"), variable);
    }

    @Test
    void twoSourcesAtOnceAreRejected() throws Exception {
        String both = assertThrows(ConfigException.class, () -> new ConfigLoader(file()).load(Map.of(
                "SECRETS_PREFETCH_SECRETS", "a=b", "SECRETS_PREFETCH_CONFIG", "/x.json"))).getMessage();
        assertTrue(both.contains("both SECRETS_PREFETCH_SECRETS and SECRETS_PREFETCH_CONFIG are set"), both);
        Files.writeString(file(), secrets("{\"name\": \"a\", \"secretId\": \"b\"}"));
        String shadowed = assertThrows(ConfigException.class, () -> new ConfigLoader(file())
                .load(Map.of("SECRETS_PREFETCH_SECRETS", "a=b"))).getMessage();
        assertTrue(shadowed.contains("unset the variable or remove the file"), shadowed);
    }

    @Test
    void malformedInlineEntriesAreNamed() {
        for (String inline : List.of("db", "db=", "=prod/db", "a=b,,c=d", "a=b,")) {
            String message = assertThrows(ConfigException.class, () -> new ConfigLoader(file())
                    .load(Map.of("SECRETS_PREFETCH_SECRETS", inline))).getMessage();
            assertTrue(message.startsWith("SECRETS_PREFETCH_SECRETS: entry "), message);
        }
        String badName = assertThrows(ConfigException.class, () -> new ConfigLoader(file())
                .load(Map.of("SECRETS_PREFETCH_SECRETS", "../x=prod/db"))).getMessage();
        assertTrue(badName.contains("SECRETS_PREFETCH_SECRETS: entry 1: name \"../x\""), badName);
    }

    @Test
    void commandLineOverridesFileAndDirectory() throws Exception {
        Path config = dir.resolve("ci.json");
        Files.writeString(config, "{\"directory\": \"/tmp/a\", \"secrets\": [{\"name\": \"a\", \"secretId\": \"b\"}]}");
        Config loaded = new ConfigLoader(file()).load(Map.of("SECRETS_PREFETCH_SECRETS", "x=y"), Optional.of(config),
                Optional.of(Path.of("/tmp/ci-secrets")));
        assertEquals(Path.of("/tmp/ci-secrets"), loaded.directory());
        assertEquals(List.of(SecretSpec.of("a", "b")), loaded.secrets());
    }
}
