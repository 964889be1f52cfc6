// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The extension's one jackson-core factory, and its way of writing the small objects it sends. */
public final class Json {

    /** Built without the builder: fewer classes to load at start-up. */
    public static final JsonFactory FACTORY = new JsonFactory();

    public interface Fields {
        void write(JsonGenerator json) throws IOException;
    }

    private Json() {
    }

    /** An object of the given fields, as UTF-8. */
    public static byte[] object(Fields fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            fields.write(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON in memory", e);
        }
        return out.toByteArray();
    }
}
