// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import dev.secretsprefetch.SecretsException.Reason;
import dev.secretsprefetch.manifest.JsonSyntaxException;
import dev.secretsprefetch.manifest.JsonValue;

/**
 * JSON secrets ({@code {"username": .., "password": ..}}) read as strict JSON, the manifest's rules
 * (docs/manifest.md, "Syntax"): every client reads the same secret the same way (fixtures/client-contract,
 * json-values.json). Fields need no JSON library; {@link JsonBinding} binds whole secrets with Jackson databind,
 * after the same check.
 */
final class JsonSecrets {

    private JsonSecrets() {
    }

    /**
     * One top-level field as text: a string decoded, anything else (a number, a boolean, an object, an array)
     * exactly as the secret spells it, so {@code 1.10} stays {@code 1.10}. A {@code null} field is no field.
     */
    static String field(String name, String json, String field) {
        JsonValue root = parse(name, json);
        if (root.kind() != JsonValue.Kind.OBJECT) {
            throw new SecretsException(Reason.INVALID_JSON, name, "the secret is JSON but not an object, so it has "
                    + "no fields; use Secrets.get or Secrets.getJson");
        }
        JsonValue value = root.members().get(field);
        if (value == null || value.kind() == JsonValue.Kind.NULL) {
            throw new SecretsException(Reason.NO_SUCH_FIELD, name, "the JSON secret has no field \"" + field + "\""
                    + (value == null ? "" : " (it is null)"));
        }
        return value.kind() == JsonValue.Kind.STRING ? value.string() : value.text();
    }

    /**
     * The secret as strict JSON.
     *
     * @throws SecretsException ({@link Reason#INVALID_JSON}) naming the rule it breaks and where, never its text
     */
    static JsonValue parse(String name, String json) {
        try {
            return JsonValue.parse(json);
        } catch (JsonSyntaxException e) {
            throw new SecretsException(Reason.INVALID_JSON, name, "the secret " + e.getMessage() + "; JSON secrets "
                    + "must be strict JSON (RFC 8259, no key twice); use Secrets.get for plain-text secrets");
        }
    }
}
