// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.aws;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.secretsprefetch.extension.config.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Reading answers of the {@code awsJson1_1} protocol with jackson-core's streaming API, for every service's JSON
 * ({@link SecretsManagerJson}, {@link SsmJson}). A malformed answer becomes an
 * {@link AwsCallException.Kind#UNREADABLE} failure that names what was wrong, never the text read.
 */
final class AwsJson {

    record ErrorAnswer(Optional<String> code, Optional<String> message) {
    }

    interface Reader<T> {
        T read(JsonParser json) throws IOException;
    }

    interface Element {
        void read(JsonParser json) throws IOException;
    }

    private AwsJson() {
    }

    /** Reads a whole answer to {@code call} of {@code service} with {@code reader}. */
    static <T> T read(AwsService service, InputStream body, String call, Reader<T> reader) {
        try (JsonParser json = Json.FACTORY.createParser(body)) {
            T result = reader.read(json);
            if (json.nextToken() != null) {
                throw AwsCallException.unreadable("the answer to " + call + " has content after its JSON");
            }
            return result;
        } catch (AwsCallException e) {
            throw e;
        } catch (JsonProcessingException e) {
            // Its message quotes the text it choked on: that text may be a secret value.
            throw AwsCallException.unreadable("the answer to " + call + " is not valid JSON ("
                    + e.getClass().getSimpleName() + ")");
        } catch (IOException e) {
            throw AwsCallException.connection("the connection to " + service.title() + " broke while reading the "
                    + "answer to " + call + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** The error code and message of an error answer; an unreadable body gives neither. */
    static ErrorAnswer errorAnswer(byte[] body) {
        try (JsonParser json = Json.FACTORY.createParser(body)) {
            String code = null;
            String message = null;
            if (json.nextToken() == JsonToken.START_OBJECT) {
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String field = json.currentName();
                    JsonToken token = json.nextToken();
                    if (token == JsonToken.VALUE_STRING && (field.equals("__type") || field.equals("code"))) {
                        code = json.getText();
                    } else if (token == JsonToken.VALUE_STRING
                            && (field.equals("message") || field.equals("Message"))) {
                        message = json.getText();
                    } else {
                        json.skipChildren();
                    }
                }
            }
            return new ErrorAnswer(Optional.ofNullable(code).map(AwsJson::errorCode), Optional.ofNullable(message));
        } catch (IOException | RuntimeException e) {
            return new ErrorAnswer(Optional.empty(), Optional.empty());
        }
    }

    /**
     * The bare error code: {@code __type} and the {@code x-amzn-ErrorType} header may carry a namespace before a
     * {@code #} and details after a {@code :}, e.g. {@code aws.secretsmanager#ResourceNotFoundException:http://...}.
     */
    static String errorCode(String raw) {
        String code = raw;
        int colon = code.indexOf(':');
        if (colon >= 0) {
            code = code.substring(0, colon);
        }
        int hash = code.lastIndexOf('#');
        return code.substring(hash + 1).strip();
    }

    /** Reads each element of the array at {@code token} (null counts as empty) with the parser on its first token. */
    static void forEach(JsonParser json, JsonToken token, String field, Element element) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return;
        }
        if (token != JsonToken.START_ARRAY) {
            throw AwsCallException.unreadable("the answer's " + field + " is not a list");
        }
        for (JsonToken next = json.nextToken(); next != JsonToken.END_ARRAY; next = json.nextToken()) {
            if (next == null) {
                throw AwsCallException.unreadable("the answer's " + field + " ends early");
            }
            element.read(json);
        }
    }

    static String string(JsonParser json, JsonToken token, String field) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw AwsCallException.unreadable("the answer's " + field + " is not a string");
        }
        return json.getText();
    }

    static Long integer(JsonParser json, JsonToken token, String field) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_NUMBER_INT || json.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw AwsCallException.unreadable("the answer's " + field + " is not a whole number");
        }
        return json.getLongValue();
    }

    static void expect(JsonParser json, JsonToken expected, String what) throws IOException {
        JsonToken token = json.currentToken() == null ? json.nextToken() : json.currentToken();
        if (token != expected) {
            throw AwsCallException.unreadable(what + " in the answer is not a JSON object");
        }
    }
}
