package dev.secretsprefetch.extension;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.secretsprefetch.manifest.SecretValue;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The JSON of the two calls (the {@code awsJson1_1} protocol): request bodies written, answers read with
 * jackson-core's streaming API. Fields the extension does not use are skipped. A malformed answer becomes an
 * {@link SecretsManagerException.Kind#UNREADABLE} failure that names what was wrong, never the text read.
 */
final class SecretsManagerJson {

    /** One secret version from either call. {@code value} is a failure when it has neither kind of value. */
    record SecretVersion(Optional<String> arn, Optional<String> name, Optional<String> versionId,
            List<String> versionStages, SecretValue value) {
    }

    record BatchError(String secretId, Optional<String> code, Optional<String> message) {
    }

    record BatchAnswer(List<SecretVersion> values, List<BatchError> errors, Optional<String> nextToken) {
    }

    record ErrorAnswer(Optional<String> code, Optional<String> message) {
    }

    private SecretsManagerJson() {
    }

    static byte[] getSecretValueRequest(String secretId, Optional<String> versionId, Optional<String> versionStage) {
        return Json.object(json -> {
            json.writeStringField("SecretId", secretId);
            if (versionId.isPresent()) {
                json.writeStringField("VersionId", versionId.get());
            }
            if (versionStage.isPresent()) {
                json.writeStringField("VersionStage", versionStage.get());
            }
        });
    }

    static byte[] batchGetSecretValueRequest(List<String> secretIds, Optional<String> nextToken) {
        return Json.object(json -> {
            json.writeArrayFieldStart("SecretIdList");
            for (String id : secretIds) {
                json.writeString(id);
            }
            json.writeEndArray();
            if (nextToken.isPresent()) {
                json.writeStringField("NextToken", nextToken.get());
            }
        });
    }

    static SecretVersion secretVersion(InputStream body) {
        return read(body, "GetSecretValue", SecretsManagerJson::version);
    }

    static BatchAnswer batchAnswer(InputStream body) {
        return read(body, "BatchGetSecretValue", json -> {
            List<SecretVersion> values = new ArrayList<>();
            List<BatchError> errors = new ArrayList<>();
            String nextToken = null;
            expect(json, JsonToken.START_OBJECT, "the answer");
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken token = json.nextToken();
                switch (field) {
                    case "SecretValues" -> forEach(json, token, field, element -> values.add(version(element)));
                    case "Errors" -> forEach(json, token, field, element -> errors.add(batchError(element)));
                    case "NextToken" -> nextToken = string(json, token, field);
                    default -> json.skipChildren();
                }
            }
            return new BatchAnswer(values, errors, Optional.ofNullable(nextToken));
        });
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
            return new ErrorAnswer(Optional.ofNullable(code).map(SecretsManagerJson::errorCode),
                    Optional.ofNullable(message));
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

    private static SecretVersion version(JsonParser json) throws IOException {
        expect(json, JsonToken.START_OBJECT, "a secret value");
        String arn = null;
        String name = null;
        String versionId = null;
        List<String> stages = new ArrayList<>();
        String string = null;
        byte[] binary = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken token = json.nextToken();
            switch (field) {
                case "ARN" -> arn = string(json, token, field);
                case "Name" -> name = string(json, token, field);
                case "VersionId" -> versionId = string(json, token, field);
                case "SecretString" -> string = string(json, token, field);
                case "SecretBinary" -> binary = base64(string(json, token, field));
                case "VersionStages" -> forEach(json, token, field,
                        element -> stages.add(string(element, element.currentToken(), field)));
                default -> json.skipChildren();
            }
        }
        SecretValue value = string != null ? new SecretValue.Text(string)
                : binary != null ? new SecretValue.Binary(binary)
                : new SecretValue.Failure(FetchErrors.CLIENT_ERROR, "the secret version has neither a string nor a "
                        + "binary value");
        return new SecretVersion(Optional.ofNullable(arn), Optional.ofNullable(name), Optional.ofNullable(versionId),
                List.copyOf(stages), value);
    }

    private static BatchError batchError(JsonParser json) throws IOException {
        expect(json, JsonToken.START_OBJECT, "an error entry");
        String secretId = null;
        String code = null;
        String message = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken token = json.nextToken();
            switch (field) {
                case "SecretId" -> secretId = string(json, token, field);
                case "ErrorCode" -> code = string(json, token, field);
                case "Message" -> message = string(json, token, field);
                default -> json.skipChildren();
            }
        }
        if (secretId == null) {
            throw SecretsManagerException.unreadable("BatchGetSecretValue answered an error entry without a SecretId");
        }
        return new BatchError(secretId, Optional.ofNullable(code), Optional.ofNullable(message));
    }

    private interface Element {
        void read(JsonParser json) throws IOException;
    }

    /** Reads each element of the array at {@code token} (null counts as empty) with the parser on its first token. */
    private static void forEach(JsonParser json, JsonToken token, String field, Element element) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return;
        }
        if (token != JsonToken.START_ARRAY) {
            throw SecretsManagerException.unreadable("the answer's " + field + " is not a list");
        }
        for (JsonToken next = json.nextToken(); next != JsonToken.END_ARRAY; next = json.nextToken()) {
            if (next == null) {
                throw SecretsManagerException.unreadable("the answer's " + field + " ends early");
            }
            element.read(json);
        }
    }

    private static String string(JsonParser json, JsonToken token, String field) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw SecretsManagerException.unreadable("the answer's " + field + " is not a string");
        }
        return json.getText();
    }

    private static byte[] base64(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw SecretsManagerException.unreadable("the answer's SecretBinary is not base64");
        }
    }

    private static void expect(JsonParser json, JsonToken expected, String what) throws IOException {
        JsonToken token = json.currentToken() == null ? json.nextToken() : json.currentToken();
        if (token != expected) {
            throw SecretsManagerException.unreadable(what + " in the answer is not a JSON object");
        }
    }

    private interface Reader<T> {
        T read(JsonParser json) throws IOException;
    }

    private static <T> T read(InputStream body, String call, Reader<T> reader) {
        try (JsonParser json = Json.FACTORY.createParser(body)) {
            T result = reader.read(json);
            if (json.nextToken() != null) {
                throw SecretsManagerException.unreadable("the answer to " + call + " has content after its JSON");
            }
            return result;
        } catch (SecretsManagerException e) {
            throw e;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // Its message quotes the text it choked on: that text may be a secret value.
            throw SecretsManagerException.unreadable("the answer to " + call + " is not valid JSON ("
                    + e.getClass().getSimpleName() + ")");
        } catch (IOException e) {
            throw SecretsManagerException.connection("the connection to Secrets Manager broke while reading the "
                    + "answer to " + call + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }
}
