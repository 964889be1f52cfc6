// SPDX-License-Identifier: Apache-2.0
/*
 * Build-time training run for the layer's AOT cache (JEP 483/514). Not shipped and not part of the
 * extension: `mvn package` runs it with the Temurin JDK's source launcher.
 *
 *   java src/build/AotTraining.java LAYER_HOME WORK_DIR
 *
 * It starts the layer's own runtime on the extension, in extension mode, against loopback servers that play
 * the Extensions API (register, one INVOKE, SHUTDOWN) and, over TLS as in Lambda, Secrets Manager
 * (BatchGetSecretValue and GetSecretValue with fake values), so the cache holds the classes of the real
 * start-up path, TLS set-up and handshake included (TlsFixture.java makes the throw-away certificates).
 * The JVM writes LAYER_HOME/secrets-prefetch.aot when the extension exits.
 */

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

public class AotTraining {

    private static final String CONFIG = """
            {
              "refreshIntervalSeconds": 300,
              "fetchDeadlineMs": 8000,
              "secrets": [
                { "name": "one", "secretId": "training/one", "file": "one.json" },
                { "name": "two", "secretId": "arn:aws:secretsmanager:us-east-1:123456789012:secret:training/two" },
                { "name": "three", "secretId": "training/three" },
                { "name": "missing", "secretId": "training/missing" },
                { "name": "previous", "secretId": "training/one", "versionStage": "AWSPREVIOUS" }
              ]
            }
            """;

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]).toAbsolutePath();
        Path work = Path.of(args[1]).toAbsolutePath();
        Files.createDirectories(work);
        Path config = work.resolve("secrets-prefetch.json");
        Files.writeString(config, CONFIG);
        Path cache = home.resolve("secrets-prefetch.aot");
        Files.deleteIfExists(cache);

        TlsFixture tls = TlsFixture.create(work.resolve("tls"));
        javax.net.ssl.SSLContext tlsContext = tls.serverContext();
        Path trustStore = tls.trustStoreFor(home.resolve("runtime"));
        AtomicInteger events = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/2020-01-01/extension/register", exchange -> {
            exchange.getResponseHeaders().add("Lambda-Extension-Identifier", "aot-training");
            respond(exchange, 200, "{}");
        });
        server.createContext("/2020-01-01/extension/event/next", exchange -> {
            long deadline = System.currentTimeMillis() + 60_000;
            respond(exchange, 200, events.getAndIncrement() == 0
                    ? "{\"eventType\":\"INVOKE\",\"deadlineMs\":" + deadline + ",\"requestId\":\"training\"}"
                    : "{\"eventType\":\"SHUTDOWN\",\"shutdownReason\":\"spindown\",\"deadlineMs\":" + deadline + "}");
        });
        server.createContext("/2020-01-01/extension/", exchange -> respond(exchange, 202, "{}"));
        server.start();
        HttpsServer secretsManager = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        secretsManager.setHttpsConfigurator(new HttpsConfigurator(tlsContext));
        secretsManager.createContext("/", AotTraining::secretsManager);
        secretsManager.start();
        try {
            String endpoint = "127.0.0.1:" + server.getAddress().getPort();
            ProcessBuilder extension = new ProcessBuilder(List.of(
                    home.resolve("runtime/bin/java").toString(),
                    "@" + home.resolve("jvm.options"),
                    // The runtime's own roots plus the throw-away CA: the trust store is read as cacerts is.
                    "-Djavax.net.ssl.trustStore=" + trustStore,
                    "-Djavax.net.ssl.trustStorePassword=" + TlsFixture.CACERTS_PASSWORD,
                    "-XX:AOTCacheOutput=" + cache,
                    "-Dsecretsprefetch.extension.name=secrets-prefetch",
                    "-cp", home.resolve("lib/secrets-prefetch-extension.jar").toString(),
                    "dev.secretsprefetch.extension.Main"))
                    .inheritIO();
            Map<String, String> env = extension.environment();
            env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SECRETS_PREFETCH_") || k.contains("JAVA_"));
            env.put("AWS_LAMBDA_RUNTIME_API", endpoint);
            env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", "https://127.0.0.1:" + secretsManager.getAddress().getPort());
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_ACCESS_KEY_ID", "AKIDAOTTRAINING");
            env.put("AWS_SECRET_ACCESS_KEY", "aot-training-not-a-secret");
            env.put("AWS_SESSION_TOKEN", "aot-training-token");
            env.put("SECRETS_PREFETCH_CONFIG", config.toString());
            env.put("SECRETS_PREFETCH_DIR", work.resolve("secrets").toString());
            env.put("SECRETS_PREFETCH_LOG_LEVEL", "error");
            Process process = extension.start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("the training run did not finish within 5 minutes");
            }
            if (process.exitValue() != 0 || !Files.isRegularFile(cache)) {
                throw new IllegalStateException("the training run exited with " + process.exitValue()
                        + (Files.isRegularFile(cache) ? "" : " and wrote no " + cache));
            }
            System.out.println("AOT cache written: " + cache + " (" + Files.size(cache) / 1024 + " KiB)");
        } finally {
            server.stop(0);
            secretsManager.stop(0);
        }
    }

    private static void secretsManager(HttpExchange exchange) throws IOException {
        String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (target.endsWith(".BatchGetSecretValue")) {
            respond(exchange, 200, "{\"SecretValues\":["
                    + value("training/one", "{\\\"user\\\":\\\"fake\\\"}", null) + ","
                    + value("training/two", null, "AAECAwQ=") + ","
                    + value("training/three", "fake-three", null)
                    + "],\"Errors\":[{\"SecretId\":\"training/missing\",\"ErrorCode\":\"ResourceNotFoundException\","
                    + "\"Message\":\"Secrets Manager can't find the specified secret.\"}]}");
        } else if (target.endsWith(".GetSecretValue") && body.contains("AWSPREVIOUS")) {
            respond(exchange, 200, value("training/one", "{\\\"user\\\":\\\"old\\\"}", null));
        } else {
            respond(exchange, 400, "{\"__type\":\"ResourceNotFoundException\",\"message\":\"not in the training set\"}");
        }
    }

    private static String value(String name, String string, String binary) {
        String arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + name + "-AbCdEf";
        return "{\"ARN\":\"" + arn + "\",\"Name\":\"" + name + "\",\"VersionId\":\"00000000-0000-0000-0000-000000000001\","
                + "\"VersionStages\":[\"AWSCURRENT\"],\"CreatedDate\":1.7e9,"
                + (string != null ? "\"SecretString\":\"" + string + "\"" : "\"SecretBinary\":\"" + binary + "\"") + "}";
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
