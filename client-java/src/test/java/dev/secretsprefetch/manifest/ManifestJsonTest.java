// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.testing.FakeValues;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ManifestJsonTest {

    private static final String VALUE = "distinctive-value-spv-Hq2mX9";

    static Manifest sample() {
        Map<String, SecretEntry> secrets = new LinkedHashMap<>();
        secrets.put("db", new SecretEntry("prod/db", Optional.of("arn:aws:secretsmanager:eu-west-1:1:secret:prod/db-x"),
                Optional.of("v1"), List.of("AWSCURRENT"), Optional.empty(), Optional.empty(), 10,
                new SecretValue.Text(VALUE)));
        secrets.put("key", new SecretEntry("prod/key", Optional.empty(), Optional.empty(), List.of(),
                Optional.empty(), Optional.of("AWSPREVIOUS"), 11, new SecretValue.Binary(FakeValues.binary(0, 1, -1))));
        secrets.put("gone", SecretEntry.failed("prod/gone", Optional.empty(), Optional.empty(), 12,
                "ResourceNotFoundException", "not found"));
        secrets.put("url", new SecretEntry(new SecretEntry.Parameter("/prod/url", Optional.of("SecureString"),
                OptionalLong.of(4), OptionalLong.empty(), Optional.empty()),
                Optional.of("arn:aws:ssm:eu-west-1:1:parameter/prod/url"), 14, new SecretValue.Text(VALUE)));
        secrets.put("hosts", new SecretEntry(new SecretEntry.Parameter("/prod/hosts:live", Optional.of("StringList"),
                OptionalLong.of(2), OptionalLong.empty(), Optional.of("live")), Optional.empty(), 15,
                new SecretValue.Text("a,b,spv-Hq3mX0")));
        secrets.put("old-url", SecretEntry.failed(new SecretEntry.Parameter("/prod/url:3", Optional.empty(),
                OptionalLong.empty(), OptionalLong.of(3), Optional.empty()), 16, "ParameterVersionNotFound", "gone"));
        return Manifest.ready(7, 13, "test/1", secrets);
    }

    @Test
    void aParameterEntryIsWrittenWithParameterFieldsOnly() {
        String json = new String(ManifestJson.write(sample()), StandardCharsets.UTF_8);
        String url = json.substring(json.indexOf("\"url\":"), json.indexOf("\"hosts\":"));
        assertTrue(url.startsWith("\"url\":{\"parameter\":\"/prod/url\",\"arn\":"), "parameter first");
        assertTrue(url.contains("\"parameterType\":\"SecureString\",\"parameterVersion\":4,"), "type and version");
        assertFalse(url.contains("secretId") || url.contains("versionStages"), "no secret fields");
        assertTrue(json.contains("\"requestedVersion\":3,"), "a pinned version is an integer");
        assertTrue(json.contains("\"requestedLabel\":\"live\","), "a pinned label");
    }

    @Test
    void aParameterResolvesByParameterAndArnUnlessItPinsAVersion() {
        Manifest manifest = sample();
        assertEquals(manifest.secrets().get("url"), manifest.resolve("/prod/url").orElseThrow());
        assertEquals(manifest.secrets().get("url"),
                manifest.resolve("arn:aws:ssm:eu-west-1:1:parameter/prod/url").orElseThrow());
        assertTrue(manifest.resolve("/prod/hosts:live").isEmpty(), "a pinned label is found by its name only");
        assertTrue(manifest.resolve("/prod/url:3").isEmpty(), "a pinned version is found by its name only");
    }

    @Test
    void aParameterCannotHoldABinaryValue() {
        assertThrows(IllegalArgumentException.class, () -> new SecretEntry(new SecretEntry.Parameter("/p",
                Optional.empty(), OptionalLong.empty(), OptionalLong.empty(), Optional.empty()), Optional.empty(), 1,
                new SecretValue.Binary(FakeValues.binary(1))));
    }

    @Test
    void readyManifestSurvivesARoundTrip() throws Exception {
        Manifest manifest = sample();
        assertEquals(manifest, ManifestJson.read(ManifestJson.write(manifest)));
    }

    @Test
    void pendingManifestSurvivesARoundTrip() throws Exception {
        Manifest manifest = Manifest.pending(1, 9_000, 1_000, "test/1");
        assertEquals(manifest, ManifestJson.read(ManifestJson.write(manifest)));
    }

    @Test
    void formatVersionIsWrittenFirst() {
        String json = new String(ManifestJson.write(sample()), StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\"formatVersion\":1,"), json.substring(0, 30));
    }

    @Test
    void stringFormsNeverContainAValue() {
        Manifest manifest = sample();
        assertFalse(manifest.toString().contains(VALUE));
        assertFalse(manifest.secrets().get("db").toString().contains(VALUE));
    }

    @Test
    void errorMessagesNeverQuoteTheDocument() {
        byte[] bad = ("{\"formatVersion\":1,\"generation\":1,\"state\":\"ready\",\"writtenAtEpochMs\":1,"
                + "\"writer\":\"w\",\"secrets\":{\"db\":{\"secretId\":\"x\",\"fetchedAtEpochMs\":1,"
                + "\"secretString\":" + VALUE + "}}}").getBytes(StandardCharsets.UTF_8);
        ManifestFormatException e = assertThrows(ManifestFormatException.class, () -> ManifestJson.read(bad));
        assertFalse(e.getMessage().contains(VALUE), e.getMessage());
        assertEquals(null, e.getCause());
    }

    @Test
    void missingRequiredFieldIsNamed() {
        byte[] bad = "{\"formatVersion\":1,\"generation\":1,\"state\":\"pending\",\"writtenAtEpochMs\":1,\"writer\":\"w\"}"
                .getBytes(StandardCharsets.UTF_8);
        ManifestFormatException e = assertThrows(ManifestFormatException.class, () -> ManifestJson.read(bad));
        assertTrue(e.getMessage().contains("deadlineEpochMs"), e.getMessage());
    }

    @Test
    void emptyFileIsCorruptNotUnknownVersion() {
        ManifestFormatException e = assertThrows(ManifestFormatException.class, () -> ManifestJson.read(new byte[0]));
        assertFalse(e.unknownVersion());
    }
}
