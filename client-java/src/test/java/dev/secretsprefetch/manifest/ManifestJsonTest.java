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
        return Manifest.ready(7, 13, "test/1", secrets);
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
