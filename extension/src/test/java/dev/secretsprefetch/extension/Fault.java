// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * How {@link SecretsManagerProxy} answers a call instead of passing moto's answer through unchanged: the ways
 * Secrets Manager, a load balancer or the network fail.
 */
@FunctionalInterface
interface Fault {

    void answer(SecretsManagerProxy.Exchange exchange) throws IOException;

    /** An error as Secrets Manager sends it: JSON with {@code __type} and {@code Message}. */
    static Fault error(int status, String type, String message) {
        String body = "{\"__type\":\"" + type + "\",\"Message\":\"" + message + "\"}";
        return exchange -> exchange.reply(new SecretsManagerProxy.Response(status,
                body.getBytes(StandardCharsets.UTF_8)));
    }

    /** 400 ThrottlingException, as Secrets Manager answers a caller over its request rate. */
    static Fault throttling() {
        return error(400, "ThrottlingException", "Rate exceeded");
    }

    /** 500 InternalServiceError, Secrets Manager's own server-side failure. */
    static Fault internalServiceError() {
        return error(500, "InternalServiceError", "An error occurred on the server side.");
    }

    /** 503 with an HTML page and no error code, as a load balancer in front of a service answers. */
    static Fault unavailable() {
        return exchange -> exchange.reply(new SecretsManagerProxy.Response(503, "text/html",
                "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"
                        .getBytes(StandardCharsets.UTF_8)));
    }

    /** AccessDeniedException for a role that may call GetSecretValue but not BatchGetSecretValue. */
    static Fault batchDenied() {
        return error(400, "AccessDeniedException", "User: arn:aws:sts::123456789012:assumed-role/fn is not authorized "
                + "to perform: secretsmanager:BatchGetSecretValue");
    }

    /**
     * AccessDeniedException for a GetParameters call that asks for {@code parameter}, as IAM refuses the whole call
     * when one of its parameters is denied; moto's answer for every other call.
     */
    static Fault parameterDenied(String parameter) {
        Fault denied = error(400, "AccessDeniedException", "User: arn:aws:sts::123456789012:assumed-role/fn is not "
                + "authorized to perform: ssm:GetParameters on resource: arn:aws:ssm:us-east-1:123456789012:parameter"
                + parameter);
        return exchange -> {
            String body = new String(exchange.request().body(), StandardCharsets.UTF_8);
            if (body.contains("\"" + parameter + "\"") || body.contains("\"" + parameter + ":")) {
                denied.answer(exchange);
            } else {
                exchange.reply(exchange.forward());
            }
        };
    }

    /** The connection is reset before any answer. */
    static Fault resetBeforeAnswer() {
        return SecretsManagerProxy.Exchange::reset;
    }

    /** Moto's answer is cut off half-way (values included) by a connection reset. */
    static Fault resetMidAnswer() {
        return exchange -> {
            SecretsManagerProxy.Response response = exchange.forward();
            exchange.replyPartlyThenReset(response, response.body().length / 2);
        };
    }

    /** Moto's answer, after {@code delay} (or when the proxy closes, whichever comes first). */
    static Fault delay(Duration delay) {
        return exchange -> {
            if (!exchange.proxy().awaitClose(delay)) {
                exchange.reply(exchange.forward());
            }
        };
    }

    /**
     * Moto's answer with the quotes around every {@code SecretString} value dropped: status 200 and a body
     * that is not JSON, whose parser would see a value as a bare token.
     */
    static Fault unquotedValues() {
        return exchange -> {
            SecretsManagerProxy.Response response = exchange.forward();
            String body = new String(response.body(), StandardCharsets.UTF_8)
                    .replaceAll("\"SecretString\": ?\"((?:[^\"\\\\]|\\\\.)*)\"", "\"SecretString\": $1");
            exchange.reply(new SecretsManagerProxy.Response(response.status(), body.getBytes(StandardCharsets.UTF_8)));
        };
    }

    /** A secret a {@link #batchErrors} answer reports as failed: the first whose name contains {@code namePart}. */
    record BatchError(String namePart, String code, String message) {
    }

    /**
     * Moto's BatchGetSecretValue answer with the values of the given secrets moved to {@code Errors}: a batch
     * that answers for some secrets and fails others.
     */
    static Fault batchErrors(BatchError... failing) {
        return exchange -> {
            SecretsManagerProxy.Response response = exchange.forward();
            Map<String, Object> answer = JsonTree.object(response.body());
            List<Object> values = new ArrayList<>(JsonTree.list(answer.get("SecretValues")));
            List<Object> errors = new ArrayList<>(JsonTree.list(answer.get("Errors")));
            values.removeIf(value -> {
                String name = String.valueOf(((Map<?, ?>) value).get("Name"));
                for (BatchError error : failing) {
                    if (name.contains(error.namePart())) {
                        errors.add(Map.of("SecretId", name, "ErrorCode", error.code(), "Message", error.message()));
                        return true;
                    }
                }
                return false;
            });
            answer.put("SecretValues", values);
            answer.put("Errors", errors);
            exchange.reply(new SecretsManagerProxy.Response(response.status(), JsonTree.write(answer)));
        };
    }

    /**
     * A first BatchGetSecretValue page (a request without NextToken) holds only the first value and NextToken
     * "1", as Secrets Manager may answer; moto reads the token as an offset and serves the rest.
     */
    static Fault firstPageOnly() {
        return exchange -> exchange.reply(firstPage(exchange));
    }

    /**
     * {@link #firstPageOnly()}, the first page sent in {@code pieces} with {@code gap} between them: each read
     * waits less than its timeout, yet the whole answer arrives after a deadline. {@code delivered} counts down
     * once it is sent.
     */
    static Fault firstPageOnlyArrivingSlowly(int pieces, Duration gap, CountDownLatch delivered) {
        return exchange -> {
            exchange.replyInPieces(firstPage(exchange), pieces, gap);
            delivered.countDown();
        };
    }

    private static SecretsManagerProxy.Response firstPage(SecretsManagerProxy.Exchange exchange) throws IOException {
        SecretsManagerProxy.Response response = exchange.forward();
        Map<String, Object> request = JsonTree.object(exchange.request().body());
        if (response.status() != 200 || request.containsKey("NextToken")) {
            return response;
        }
        Map<String, Object> answer = JsonTree.object(response.body());
        answer.put("SecretValues", JsonTree.list(answer.get("SecretValues")).subList(0, 1));
        answer.put("NextToken", "1");
        return new SecretsManagerProxy.Response(200, JsonTree.write(answer));
    }
}
