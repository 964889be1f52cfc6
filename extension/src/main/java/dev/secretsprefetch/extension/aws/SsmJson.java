// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.aws;

import static dev.secretsprefetch.extension.aws.AwsJson.expect;
import static dev.secretsprefetch.extension.aws.AwsJson.forEach;
import static dev.secretsprefetch.extension.aws.AwsJson.integer;
import static dev.secretsprefetch.extension.aws.AwsJson.string;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.secretsprefetch.extension.config.Json;
import dev.secretsprefetch.manifest.SecretValue;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** The JSON of SSM's GetParameters: the request written, the answer read through {@link AwsJson}. */
public final class SsmJson {

    /**
     * One parameter of an answer. {@code value} is a failure when the answer has none.
     *
     * @param selector the {@code :version} or {@code :label} it was asked for with, when SSM says
     */
    public record ParameterValue(String name, Optional<String> arn, Optional<String> type, OptionalLong version,
            Optional<String> selector, SecretValue value) {
    }

    /** @param invalid the names as asked for that SSM did not find (or whose selector matched no version) */
    public record ParametersAnswer(List<ParameterValue> parameters, List<String> invalid) {
    }

    private SsmJson() {
    }

    /** Decryption is always asked for: a SecureString is useless to a handler without it. */
    static byte[] getParametersRequest(List<String> names) {
        return Json.object(json -> {
            json.writeArrayFieldStart("Names");
            for (String name : names) {
                json.writeString(name);
            }
            json.writeEndArray();
            json.writeBooleanField("WithDecryption", true);
        });
    }

    static ParametersAnswer parametersAnswer(InputStream body) {
        return AwsJson.read(AwsService.SSM, body, "GetParameters", json -> {
            List<ParameterValue> parameters = new ArrayList<>();
            List<String> invalid = new ArrayList<>();
            expect(json, JsonToken.START_OBJECT, "the answer");
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken token = json.nextToken();
                switch (field) {
                    case "Parameters" -> forEach(json, token, field, element -> parameters.add(parameter(element)));
                    case "InvalidParameters" -> forEach(json, token, field, element -> {
                        String name = string(element, element.currentToken(), field);
                        if (name != null) {
                            invalid.add(name);
                        }
                    });
                    default -> json.skipChildren();
                }
            }
            return new ParametersAnswer(List.copyOf(parameters), List.copyOf(invalid));
        });
    }

    private static ParameterValue parameter(JsonParser json) throws IOException {
        expect(json, JsonToken.START_OBJECT, "a parameter");
        String name = null;
        String arn = null;
        String type = null;
        Long version = null;
        String selector = null;
        String value = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken token = json.nextToken();
            switch (field) {
                case "Name" -> name = string(json, token, field);
                case "ARN" -> arn = string(json, token, field);
                case "Type" -> type = string(json, token, field);
                case "Version" -> version = integer(json, token, field);
                case "Selector" -> selector = string(json, token, field);
                case "Value" -> value = string(json, token, field);
                default -> json.skipChildren();
            }
        }
        if (name == null) {
            throw AwsCallException.unreadable("GetParameters answered a parameter without a Name");
        }
        SecretValue result = value != null ? new SecretValue.Text(value)
                : new SecretValue.Failure(FetchErrors.CLIENT_ERROR, "GetParameters answered the parameter without a "
                        + "value");
        return new ParameterValue(name, Optional.ofNullable(arn), Optional.ofNullable(type),
                version == null ? OptionalLong.empty() : OptionalLong.of(version), Optional.ofNullable(selector),
                result);
    }
}
