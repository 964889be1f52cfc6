// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.aws;

import static dev.secretsprefetch.extension.aws.AwsJson.expect;
import static dev.secretsprefetch.extension.aws.AwsJson.forEach;
import static dev.secretsprefetch.extension.aws.AwsJson.string;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.secretsprefetch.extension.config.Json;
import dev.secretsprefetch.manifest.SecretValue;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The JSON of the two Secrets Manager calls: request bodies written, answers read through {@link AwsJson}.
 * Fields the extension does not use are skipped.
 */
public final class SecretsManagerJson {

    /** One secret version from either call. {@code value} is a failure when it has neither kind of value. */
    public record SecretVersion(Optional<String> arn, Optional<String> name, Optional<String> versionId,
            List<String> versionStages, SecretValue value) {
    }

    public record BatchError(String secretId, Optional<String> code, Optional<String> message) {
    }

    public record BatchAnswer(List<SecretVersion> values, List<BatchError> errors, Optional<String> nextToken) {
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
        return AwsJson.read(AwsService.SECRETS_MANAGER, body, "GetSecretValue", SecretsManagerJson::version);
    }

    static BatchAnswer batchAnswer(InputStream body) {
        return AwsJson.read(AwsService.SECRETS_MANAGER, body, "BatchGetSecretValue", json -> {
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
            throw AwsCallException.unreadable("BatchGetSecretValue answered an error entry without a SecretId");
        }
        return new BatchError(secretId, Optional.ofNullable(code), Optional.ofNullable(message));
    }

    private static byte[] base64(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw AwsCallException.unreadable("the answer's SecretBinary is not base64");
        }
    }
}
