// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SSM parameters in the configuration file and in SECRETS_PREFETCH_SECRETS: what is read, what is refused and why. */
class ParameterConfigTest {

    private static final String ARN = "arn:aws:ssm:eu-west-1:123456789012:parameter/prod/db/url";

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

    private Config inline(String value) throws Exception {
        return new ConfigLoader(file()).load(Map.of("SECRETS_PREFETCH_SECRETS", value));
    }

    private String inlineError(String value) {
        return assertThrows(ConfigException.class, () -> inline(value)).getMessage();
    }

    private static SsmParameter parameter(ValueSpec spec) {
        return ((ParameterSpec) spec).parameter();
    }

    @Test
    void parametersSitBesideSecretsWithTheirSelectorsAndFiles() throws Exception {
        Config config = load("""
                {"secrets": [
                  {"name": "db", "secretId": "prod/db"},
                  {"name": "url", "parameter": "/prod/db/url", "file": "url.txt"},
                  {"name": "old", "parameter": "/prod/db/url:3"},
                  {"name": "live", "parameter": "%s:live"},
                  {"name": "flat", "parameter": "flat_name.v2"}
                ]}
                """.formatted(ARN));
        assertEquals(SecretSpec.of("db", "prod/db"), config.secrets().get(0));
        assertEquals(new ParameterSpec("url", SsmParameter.parse("/prod/db/url"), Optional.of("url.txt")),
                config.secrets().get(1));
        SsmParameter old = parameter(config.secrets().get(2));
        assertEquals("/prod/db/url", old.id());
        assertEquals(OptionalLong.of(3), old.version());
        SsmParameter live = parameter(config.secrets().get(3));
        assertEquals(ARN, live.id());
        assertEquals(ARN + ":live", live.configured());
        assertEquals("/prod/db/url", live.name());
        assertEquals(Optional.of("eu-west-1"), live.region());
        assertEquals(Optional.of("live"), live.label());
        assertEquals("flat_name.v2", parameter(config.secrets().get(4)).name());
    }

    @Test
    void anEntryNamesExactlyOneOfSecretIdAndParameter() throws Exception {
        String both = error("{\"secrets\": [{\"name\": \"db\", \"secretId\": \"prod/db\", \"parameter\": \"/prod/db\"}]}");
        assertTrue(both.contains("secrets[0] (line 1, column ") && both.contains("(\"db\") has both \"secretId\" and "
                + "\"parameter\"; an entry names one value: keep one"), both);
        String neither = error("{\"secrets\": [{\"name\": \"db\", \"file\": \"db\"}]}");
        assertTrue(neither.contains("(\"db\") has neither \"secretId\" nor \"parameter\"; add the secret's name or ARN"),
                neither);
        assertTrue(neither.contains("\"parameter\": \"/prod/db/url\""), neither);
    }

    @Test
    void secretVersionKeysOnAParameterPointAtTheSelector() throws Exception {
        String message = error("{\"secrets\": [{\"name\": \"u\", \"parameter\": \"/a/u\", \"versionId\": \"abc\"}]}");
        assertTrue(message.contains("sets versionId, which is for secrets; pin a parameter's version or label with "
                + "SSM's selector instead, e.g. \"parameter\": \"/prod/db/url:3\""), message);
    }

    @Test
    void invalidParametersAreExplainedWithoutRepeatingThem() throws Exception {
        Map<String, String> cases = Map.of(
                "prod/db/url", "name has a path but does not start with /",
                "/prod//url", "name has an empty path segment",
                "/prod/db url", "name contains characters SSM does not allow",
                "/prod/url:", "selector after the colon is empty",
                "/prod/url:3x", "selector after the colon is neither a version",
                "/prod/url:aws-live", "is a label starting with aws or ssm",
                "arn:aws:ssm:eu-west-1:123456789012:secret/x", "the resource does not start with parameter/",
                "arn:aws:ssm:eu-west-1:1234:parameter/x", "account \"1234\" is not a 12-digit account id");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String message = error("{\"secrets\": [{\"name\": \"p\", \"parameter\": \"" + c.getKey() + "\"}]}");
            assertTrue(message.contains(c.getValue()), c.getKey() + " -> " + message);
            assertTrue(message.contains("give the parameter's name (e.g. /prod/db/url) or its ARN ("
                    + SsmParameter.FORM + ")"), message);
        }
    }

    @Test
    void inlineItemsStartingWithSsmOrGivingAnSsmArnAreParameters() throws Exception {
        Config config = inline("db=prod/db,url=ssm:/prod/db/url:2,shared=" + ARN + ",path=/looks/like/a/path");
        assertEquals(SecretSpec.of("db", "prod/db"), config.secrets().get(0));
        assertEquals("/prod/db/url:2", parameter(config.secrets().get(1)).configured());
        assertEquals(ARN, parameter(config.secrets().get(2)).configured());
        // The bare-name rule: a secret's name may hold slashes too, so only ssm: makes a name a parameter.
        assertEquals(SecretSpec.of("path", "/looks/like/a/path"), config.secrets().get(3));
    }

    @Test
    void invalidInlineParametersAreNamedByEntry() {
        String message = inlineError("a=b,url=ssm:prod/url");
        assertTrue(message.startsWith("SECRETS_PREFETCH_SECRETS: entry 2 (\"url\"): parameter name has a path but "
                + "does not start with /"), message);
        assertTrue(inlineError("url=ssm:").contains("is not name=secretIdOrArn")
                || inlineError("url=ssm:").contains("parameter name is empty"), inlineError("url=ssm:"));
    }

    @Test
    void twoEntriesWritingOneFileAreRejectedWhateverTheirKind() throws Exception {
        String message = error("{\"secrets\": [{\"name\": \"a\", \"secretId\": \"x\", \"file\": \"f\"}, "
                + "{\"name\": \"b\", \"parameter\": \"/x\", \"file\": \"f\"}]}");
        assertTrue(message.contains("writes the same file \"f\""), message);
    }

    @Test
    void parsingKeepsTheParameterAsWrittenForTheManifest() throws Exception {
        assertEquals(List.of("/a:1", "/a", "a"), List.of(SsmParameter.parse("/a:1").configured(),
                SsmParameter.parse("/a:1").id(), SsmParameter.parse("a:live").id()));
        assertEquals("/x/a", SsmParameter.parse("arn:aws:ssm:us-east-1:123456789012:parameter/x/a:1").name());
        assertEquals("a", SsmParameter.parse("arn:aws:ssm:us-east-1:123456789012:parameter/a").name());
        assertTrue(SsmParameter.looksLikeArn(ARN));
        assertTrue(!SsmParameter.looksLikeArn("arn:aws:secretsmanager:us-east-1:123456789012:secret:x"));
    }
}
