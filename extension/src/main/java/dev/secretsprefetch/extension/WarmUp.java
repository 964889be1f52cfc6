// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import dev.secretsprefetch.extension.aws.AwsService;
import dev.secretsprefetch.extension.aws.SignedCalls;
import dev.secretsprefetch.extension.config.Environment;
import java.math.BigDecimal;
import java.net.MalformedURLException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * Runs the largest one-time costs of a fresh JVM on a background thread while the main thread reads the
 * configuration, writes the pending manifest and registers: {@code BigDecimal}'s static initializer (20–30 ms on
 * JDK 25; every jackson-core parser triggers it), the URL handlers (looked up by opening every jar on the class
 * path), the first SigV4 signature (the signer's classes, the SHA-256
 * and HMAC providers, loaded by reflection) and the JDK's TLS set-up (~140 CA certificates parsed from {@code cacerts}, the TLS
 * context), all of it interpreted code. The JDK caches each, so the main thread finds them ready, or waits on the
 * same lock if it comes early.
 */
final class WarmUp {

    private WarmUp() {
    }

    static void start(Map<String, String> env) {
        // Only endpoint overrides can make every call plain HTTP; then the TLS stack is never needed. With a CA
        // bundle of its own (AWS_CA_BUNDLE) the calls do not use the default context warmed here.
        boolean tls = !java.util.Arrays.stream(AwsService.values()).allMatch(service -> plainHttp(env, service))
                && env.getOrDefault(Environment.AWS_CA_BUNDLE, "").isBlank();
        Thread thread = new Thread(() -> run(tls), "secrets-prefetch-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether the service's endpoint override, as {@link Environment} picks it, is an http URL. */
    private static boolean plainHttp(Map<String, String> env, AwsService service) {
        String endpoint = env.getOrDefault(service.endpointVariable(), "");
        if (endpoint.isBlank()) {
            endpoint = env.getOrDefault(Environment.AWS_ENDPOINT_URL, "");
        }
        return endpoint.strip().toLowerCase(java.util.Locale.ROOT).startsWith("http:");
    }

    private static void run(boolean tls) {
        BigDecimal.valueOf(1);
        try {
            // The first URL of a scheme looks for a URLStreamHandlerProvider in every jar on the class path.
            URI.create("http://localhost/").toURL();
            URI.create("https://localhost/").toURL();
        } catch (MalformedURLException | RuntimeException e) {
            // Cannot happen for these URLs; the calls would report it.
        }
        try {
            SignedCalls.signNothing();
        } catch (RuntimeException e) {
            // Only a head start: the first call signs again and reports what fails.
        }
        if (tls) {
            try {
                // What HttpsURLConnection's default socket factory does: default key and trust managers.
                SSLContext.getDefault();
            } catch (GeneralSecurityException | RuntimeException e) {
                // Only a head start: the first call repeats this and reports what fails.
            }
        }
    }
}
