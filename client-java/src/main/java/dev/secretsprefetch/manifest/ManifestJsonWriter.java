// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Writes the manifest's JSON form (docs/manifest.md) with jackson-core, which only the extension, the writer,
 * loads: {@link ManifestJson}, the reader, needs no JSON library, so a function reading the manifest never loads
 * or verifies this code.
 */
final class ManifestJsonWriter {

    private static final JsonFactory FACTORY = new JsonFactory();

    private ManifestJsonWriter() {
    }

    /** The manifest as UTF-8 JSON, in the field order docs/manifest.md shows. */
    static byte[] write(Manifest manifest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 512 * manifest.secrets().size());
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("formatVersion", Manifest.FORMAT_VERSION);
            json.writeNumberField("generation", manifest.generation());
            json.writeStringField("state", manifest.state().json());
            if (manifest.state() == Manifest.State.PENDING) {
                json.writeNumberField("deadlineEpochMs", manifest.deadlineEpochMs());
            }
            json.writeNumberField("writtenAtEpochMs", manifest.writtenAtEpochMs());
            json.writeStringField("writer", manifest.writer());
            json.writeObjectFieldStart("secrets");
            for (Map.Entry<String, SecretEntry> e : manifest.secrets().entrySet()) {
                json.writeFieldName(e.getKey());
                writeEntry(json, e.getValue());
            }
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise manifest", e);
        }
        return out.toByteArray();
    }

    private static void writeEntry(JsonGenerator json, SecretEntry entry) throws IOException {
        json.writeStartObject();
        if (entry.source() instanceof SecretEntry.Secret secret) {
            json.writeStringField("secretId", secret.secretId());
            writeOptional(json, "arn", entry.arn());
            writeOptional(json, "versionId", secret.versionId());
            if (!secret.versionStages().isEmpty()) {
                json.writeArrayFieldStart("versionStages");
                for (String stage : secret.versionStages()) {
                    json.writeString(stage);
                }
                json.writeEndArray();
            }
            writeOptional(json, "requestedVersionId", secret.requestedVersionId());
            writeOptional(json, "requestedVersionStage", secret.requestedVersionStage());
        } else if (entry.source() instanceof SecretEntry.Parameter parameter) {
            json.writeStringField("parameter", parameter.parameter());
            writeOptional(json, "arn", entry.arn());
            writeOptional(json, "parameterType", parameter.parameterType());
            writeOptional(json, "parameterVersion", parameter.parameterVersion());
            writeOptional(json, "requestedVersion", parameter.requestedVersion());
            writeOptional(json, "requestedLabel", parameter.requestedLabel());
        }
        json.writeNumberField("fetchedAtEpochMs", entry.fetchedAtEpochMs());
        SecretValue value = entry.value();
        if (value instanceof SecretValue.Text text) {
            json.writeStringField("secretString", text.value());
        } else if (value instanceof SecretValue.Binary binary) {
            json.writeStringField("secretBinary", Base64.getEncoder().encodeToString(binary.bytes()));
        } else if (value instanceof SecretValue.Failure failure) {
            json.writeObjectFieldStart("error");
            json.writeStringField("code", failure.code());
            json.writeStringField("message", failure.message());
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    private static void writeOptional(JsonGenerator json, String field, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            json.writeStringField(field, value.get());
        }
    }

    private static void writeOptional(JsonGenerator json, String field, OptionalLong value) throws IOException {
        if (value.isPresent()) {
            json.writeNumberField(field, value.getAsLong());
        }
    }
}
