package dev.secretsprefetch.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Secrets Manager emulator for tests: {@code python3 -m moto.server} on a free loopback port.
 *
 * <p>Use {@link #shared()} (one server per test JVM, stopped when the JVM exits) and give each test its own
 * secret names. A machine without moto fails the test with the command that installs it: tests that need
 * Secrets Manager are never skipped silently.
 */
public final class MotoServer implements AutoCloseable {

    /** Credentials moto accepts; never real ones. */
    public static final String ACCESS_KEY_ID = "testing";
    public static final String SECRET_ACCESS_KEY = "testing";
    public static final String REGION = "us-east-1";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static MotoServer shared;

    private final Process process;
    private final int port;

    private MotoServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The JVM-wide server, started on first use. */
    public static synchronized MotoServer shared() {
        if (shared == null) {
            shared = start();
            MotoServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "moto-stop"));
        }
        return shared;
    }

    /** Starts a server of its own, for tests that must not share one; close it when done. */
    public static MotoServer start() {
        String python = System.getenv().getOrDefault("PYTHON", "python3");
        requireMoto(python);
        int port = freePort();
        try {
            Path log = TestLogs.newFile("moto-" + port + "-", ".log");
            Process process = new ProcessBuilder(List.of(python, "-m", "moto.server", "-H", "127.0.0.1", "-p",
                    Integer.toString(port)))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            MotoServer server = new MotoServer(process, port);
            server.awaitListening(log);
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start moto with " + python + ": " + e.getMessage()
                    + "; install it with: pip install \"moto[server]\"", e);
        }
    }

    private static void requireMoto(String python) {
        try {
            Process check = new ProcessBuilder(python, "-c", "import moto.server").redirectErrorStream(true).start();
            String output = new String(check.getInputStream().readAllBytes());
            if (check.waitFor() != 0) {
                throw new IllegalStateException("moto (the Secrets Manager emulator these tests run against) is not "
                        + "installed for " + python + "; install it with: pip install \"moto[server]\"\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(python + " is needed to run moto (the Secrets Manager emulator): "
                    + e.getMessage() + "; install Python 3, then: pip install \"moto[server]\"", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking for moto", e);
        }
    }

    private void awaitListening(Path log) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto exited with " + process.exitValue() + " before listening:\n"
                        + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        close();
        throw new IllegalStateException("moto did not listen on port " + port + " within " + START_TIMEOUT + ":\n"
                + Files.readString(log));
    }

    /** The endpoint to give the SDKs, e.g. as {@code AWS_ENDPOINT_URL_SECRETS_MANAGER}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** Forgets every secret: moto's reset API. */
    public void reset() {
        try {
            var connection = (java.net.HttpURLConnection) endpoint().resolve("/moto-api/reset").toURL().openConnection();
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.getOutputStream().close();
            if (connection.getResponseCode() != 200) {
                throw new IllegalStateException("moto reset answered " + connection.getResponseCode());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot reset moto: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for moto", e);
        }
    }
}
