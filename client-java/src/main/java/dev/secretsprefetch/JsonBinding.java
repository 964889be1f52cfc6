// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.secretsprefetch.SecretsException.Reason;
import dev.secretsprefetch.manifest.JsonValue;

/**
 * Whole JSON secrets bound to a type with Jackson databind, the only class that touches Jackson, on the first
 * {@code getJson}: setting up an object mapper costs tens of milliseconds that no other call must pay. The secret
 * is checked as strict JSON first ({@link JsonSecrets#parse}), so getJson accepts exactly what getField does.
 * Jackson's own messages quote the offending input, so they are never passed on, nor chained as causes.
 */
final class JsonBinding {

    private JsonBinding() {
    }

    /** Created when the class is first initialized, i.e. on the first getJson call. */
    private static final class Mapper {
        static final ObjectMapper INSTANCE = JsonMapper.builder(JsonFactory.builder()
                        // What the strict check accepted must bind: its only size limit is the secret's (64 KB).
                        .streamReadConstraints(StreamReadConstraints.builder()
                                .maxStringLength(Integer.MAX_VALUE)
                                .maxNumberLength(Integer.MAX_VALUE)
                                .maxNameLength(Integer.MAX_VALUE)
                                .build())
                        .build())
                // Secrets such as RDS credentials carry fields (engine, host, ...) a handler's type may not declare.
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /** The whole secret bound to {@code type}; fields the type does not declare are ignored. */
    static <T> T read(String name, String json, Class<T> type) {
        if (JsonSecrets.parse(name, json).kind() == JsonValue.Kind.NULL) {
            throw isNull(name, type);
        }
        try {
            T value = Mapper.INSTANCE.readValue(json, type);
            if (value == null) {
                throw isNull(name, type);
            }
            return value;
        } catch (JsonMappingException e) {
            throw new SecretsException(Reason.INVALID_JSON, name, "the JSON secret does not fit "
                    + type.getName() + where(e) + " (" + e.getClass().getSimpleName() + ")");
        } catch (JsonProcessingException e) {
            throw new SecretsException(Reason.INVALID_JSON, name, "Jackson cannot read the JSON secret ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static SecretsException isNull(String name, Class<?> type) {
        return new SecretsException(Reason.INVALID_JSON, name, "the secret is JSON null, not a " + type.getSimpleName());
    }

    /** The path to the field that did not fit, by names and indexes only. */
    private static String where(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "" : " at field " + path;
    }
}
