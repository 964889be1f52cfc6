package dev.secretsprefetch.extension;

import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;

/**
 * Sets up the JDK's TLS stack on a background thread while the main thread reads the configuration, writes the
 * pending manifest and registers. The first Secrets Manager call needs it, and in a fresh JVM it is the largest
 * single cost of start-up: the security providers, ~140 CA certificates parsed from {@code cacerts} and the
 * TLS context, all of it interpreted code. The JDK caches each part, so the SDK's HTTP client, which sets up its
 * own context the same way, finds them ready, or waits for this thread on the same locks if it comes early.
 */
final class TlsWarmUp {

    private TlsWarmUp() {
    }

    static void start() {
        Thread thread = new Thread(TlsWarmUp::run, "secrets-prefetch-tls-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private static void run() {
        try {
            // What UrlConnectionHttpClient does without TLS options: default key and trust managers.
            SSLContext.getInstance("TLS").init(null, null, null);
        } catch (GeneralSecurityException | RuntimeException e) {
            // Only a head start: the HTTP client repeats this and reports what fails.
        }
    }
}
