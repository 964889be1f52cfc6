// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.aws;

import dev.secretsprefetch.extension.aws.AwsJson.ErrorAnswer;
import dev.secretsprefetch.extension.config.Environment;
import dev.secretsprefetch.extension.config.Version;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * The one path of every AWS call the extension makes: an {@code awsJson1_1} POST to the {@link ServiceEndpoint} of
 * an {@link AwsService}, signed by the AWS SDK's standalone SigV4 signer, sent over the JDK's
 * {@code HttpURLConnection} (which keeps connections alive between calls) through the proxy and TLS set-up of the
 * environment, an error answer turned into an {@link AwsCallException}. {@link SecretsManager} and {@link Ssm} are
 * its users; they write the requests and read the answers.
 *
 * <p>Why not the SDK's service clients: start-up. The Secrets Manager client's ~1,450 classes, its request pipeline
 * and its own JSON stack made up most of the extension's start, while the runtime waits for it
 * (docs/benchmarks.md). The calls do not retry: {@link Retries} decides.
 */
public final class SignedCalls implements AutoCloseable {

    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Error answers are short; a longer one is not the service's and is not read further. */
    private static final int MAX_ERROR_BODY = 16 * 1024;

    private final Environment environment;
    private final SigningCredentials credentials;
    private final Map<AwsService, Map<String, URI>> endpoints = new ConcurrentHashMap<>();
    private final String userAgent;
    private final Supplier<SSLContext> tlsContext;
    private volatile ClientTls tls;

    public SignedCalls(Environment environment) {
        this(environment, () -> TrustedAuthorities.context(environment.caBundle()));
    }

    /** @param tlsContext the TLS context of https calls, asked for on the first one */
    SignedCalls(Environment environment, Supplier<SSLContext> tlsContext) {
        this.environment = environment;
        this.tlsContext = tlsContext;
        this.userAgent = "secrets-prefetch/" + Version.VALUE + " (AWS Lambda extension)";
        this.credentials = new SigningCredentials(environment);
    }

    /**
     * Makes one call.
     *
     * @param operation the operation, e.g. {@code GetParameters}
     * @param body the request's JSON
     * @param timeout the call's time, connecting included
     * @param answer reads the body of a 200 answer
     * @throws AwsCallException whatever went wrong
     */
    <T> T call(AwsService service, String region, String operation, byte[] body, Duration timeout,
            Function<InputStream, T> answer) {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI endpoint = endpoints.computeIfAbsent(service, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(region, r -> ServiceEndpoint.resolve(service, r, environment));
        SdkHttpRequest signed;
        try {
            signed = sign(Signer.INSTANCE, credentials.resolve(), service, endpoint, operation, body, region);
        } catch (RuntimeException e) {
            throw e instanceof AwsCallException known ? known : AwsCallException.setup(
                    "cannot sign the request to " + service.title() + " (" + e.getClass().getSimpleName() + ")", e);
        }
        try {
            return send(service, endpoint, signed, body, deadline, answer);
        } catch (AwsCallException e) {
            // A server that refused the single key share ClientTls offers gets the JDK's defaults (see there).
            if (e.getCause() instanceof SSLException && tls().widen()) {
                return send(service, endpoint, signed, body, deadline, answer);
            }
            throw e;
        }
    }

    private <T> T send(AwsService service, URI endpoint, SdkHttpRequest signed, byte[] body, long deadline,
            Function<InputStream, T> answer) {
        HttpURLConnection connection = null;
        try {
            Optional<Proxy> proxy = environment.proxies(endpoint.getScheme()).proxyFor(endpoint);
            connection = (HttpURLConnection) (proxy.isPresent() ? endpoint.toURL().openConnection(proxy.get())
                    : endpoint.toURL().openConnection());
            if (connection instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(tls().socketFactory());
            }
            connection.setRequestMethod("POST");
            connection.setConnectTimeout(millis(remaining(deadline).compareTo(MAX_CONNECT_TIMEOUT) < 0
                    ? remaining(deadline) : MAX_CONNECT_TIMEOUT));
            connection.setReadTimeout(millis(remaining(deadline)));
            connection.setUseCaches(false);
            connection.setInstanceFollowRedirects(false);
            HttpURLConnection c = connection;
            // The JDK sets Host itself, to the value the signer signed.
            signed.forEachHeader((name, values) -> {
                if (!name.equalsIgnoreCase("Host")) {
                    c.setRequestProperty(name, String.join(",", values));
                }
            });
            connection.setRequestProperty("User-Agent", userAgent);
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
            int status = connection.getResponseCode();
            if (status == 200) {
                return answer.apply(connection.getInputStream());
            }
            throw error(service, status, connection);
        } catch (SocketTimeoutException e) {
            connection.disconnect();
            throw remaining(deadline).toMillis() <= 1 ? AwsCallException.timeout()
                    : AwsCallException.connection(describe(service, e), e);
        } catch (IOException e) {
            if (connection != null) {
                connection.disconnect();
            }
            throw AwsCallException.connection(describe(service, e), e);
        }
    }

    private ClientTls tls() {
        ClientTls current = tls;
        if (current == null) {
            synchronized (this) {
                if (tls == null) {
                    tls = new ClientTls(tlsContext.get(), environment.fipsEndpoint());
                }
                current = tls;
            }
        }
        return current;
    }

    private static SdkHttpRequest sign(AwsV4HttpSigner signer, AwsCredentialsIdentity identity, AwsService service,
            URI endpoint, String operation, byte[] body, String region) {
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint)
                .putHeader("Content-Type", CONTENT_TYPE)
                .putHeader("X-Amz-Target", service.target(operation))
                .build();
        return signer.sign(r -> r
                        .identity(identity)
                        .request(request)
                        .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service.signingName())
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region))
                .request();
    }

    /**
     * Signs a request that is never sent, with made-up keys: the first signature in a JVM loads the signer, the
     * digest and MAC providers and the lambdas on its path, which the extension's warm-up thread gets out of the way early.
     */
    public static void signNothing() {
        sign(Signer.INSTANCE, AwsSessionCredentialsIdentity.create("AKIDWARMUPONLY", "warm-up-only",
                "warm-up-only"), AwsService.SECRETS_MANAGER, URI.create("https://secretsmanager.us-east-1.amazonaws.com"),
                "GetSecretValue",
                new byte[] {'{', '}'}, "us-east-1");
    }

    private static AwsCallException error(AwsService service, int status, HttpURLConnection connection)
            throws IOException {
        ErrorAnswer body;
        try (InputStream in = connection.getErrorStream()) {
            body = in == null ? new ErrorAnswer(Optional.empty(), Optional.empty())
                    : AwsJson.errorAnswer(in.readNBytes(MAX_ERROR_BODY));
        }
        Optional<String> code = Optional.ofNullable(connection.getHeaderField("X-Amzn-ErrorType"))
                .map(AwsJson::errorCode)
                .filter(c -> !c.isEmpty())
                .or(body::code);
        return AwsCallException.service(service, status, code.orElse(null), body.message().orElse(null));
    }

    /**
     * Socket-level messages come from the operating system ("Connection refused", "Connection reset") and are
     * kept; anything else is named by its kind only.
     */
    private static String describe(AwsService service, IOException e) {
        String type = e.getClass().getName();
        if (type.startsWith("java.net.") && e.getMessage() != null) {
            return "connection to " + service.title() + " failed: " + e.getMessage() + " (" + e.getClass().getSimpleName()
                    + ")";
        }
        if (type.startsWith("javax.net.ssl.") && e.getMessage() != null) {
            return "TLS connection to " + service.title() + " failed: " + e.getMessage();
        }
        return "the connection to " + service.title() + " broke (" + e.getClass().getSimpleName() + ")";
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /** A timeout for the JDK, where 0 means none: at least 1 ms. */
    private static int millis(Duration duration) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(duration.toNanos())));
    }

    @Override
    public void close() {
        credentials.close();
    }

    /**
     * Created with the first call, not with this object: the signer's class initializers set up the SDK's logging,
     * which the extension would otherwise do before {@code /register}, while the runtime waits (docs/benchmarks.md,
     * native executable). One per process: the signer keeps no state between signatures.
     */
    private static final class Signer {
        static final AwsV4HttpSigner INSTANCE = AwsV4HttpSigner.create();
    }
}
