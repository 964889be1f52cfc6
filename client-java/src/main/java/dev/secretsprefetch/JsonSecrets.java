package dev.secretsprefetch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.secretsprefetch.SecretsException.Reason;

/**
 * JSON secrets ({@code {"username": .., "password": ..}}). Jackson databind is touched only here, on the
 * first JSON call: setting up an object mapper costs tens of milliseconds that a plain {@code get} must not
 * pay. Jackson's own messages quote the offending input, so they are never passed on, nor chained as causes.
 */
final class JsonSecrets {

    private JsonSecrets() {
    }

    /** Created when the class is first initialized, i.e. on the first JSON call. */
    private static final class Mapper {
        static final ObjectMapper INSTANCE = JsonMapper.builder()
                // Secrets such as RDS credentials carry fields (engine, host, ...) a handler's type may not declare.
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /**
     * One top-level field as text: a string as it is, a number or boolean in its JSON form, an object or array
     * as JSON.
     */
    static String field(String name, String json, String field) {
        JsonNode root = tree(name, json);
        if (!root.isObject()) {
            throw new SecretsException(Reason.INVALID_JSON, name, "the secret is JSON but not an object, so it has "
                    + "no fields; use Secrets.get or Secrets.getJson");
        }
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            throw new SecretsException(Reason.NO_SUCH_FIELD, name, "the JSON secret has no field \"" + field + "\""
                    + (value == null ? "" : " (it is null)"));
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    /** The whole secret bound to {@code type}; fields the type does not declare are ignored. */
    static <T> T read(String name, String json, Class<T> type) {
        try {
            T value = Mapper.INSTANCE.readValue(json, type);
            if (value == null) {
                throw new SecretsException(Reason.INVALID_JSON, name, "the secret is JSON null, not a "
                        + type.getSimpleName());
            }
            return value;
        } catch (JsonMappingException e) {
            throw new SecretsException(Reason.INVALID_JSON, name, "the JSON secret does not fit "
                    + type.getName() + where(e) + " (" + e.getClass().getSimpleName() + ")");
        } catch (JsonProcessingException e) {
            throw notJson(name);
        }
    }

    private static JsonNode tree(String name, String json) {
        try {
            JsonNode root = Mapper.INSTANCE.readTree(json);
            if (root == null || root.isMissingNode()) {
                throw notJson(name);
            }
            return root;
        } catch (JsonProcessingException e) {
            throw notJson(name);
        }
    }

    private static SecretsException notJson(String name) {
        return new SecretsException(Reason.INVALID_JSON, name, "the secret is not valid JSON; use Secrets.get for "
                + "plain-text secrets");
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
