package dev.secretsprefetch.extension;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Whatever the configuration holds, reading it ends in a {@link Config} or a {@link ConfigException}, never in
 * another exception; the message is one line of bounded length; and it echoes names, secret ids, file names,
 * paths and keys (which are not secret) but never a value written where it does not belong, which might be a
 * secret pasted into the wrong place. Strings the generators put where messages may quote them start with
 * {@code cid-}; everywhere else they start with {@code spv-}.
 */
class ConfigPropertiesTest {

    /** The generous bound on a message: a source path, a key path, a quoted name and the fix. */
    private static final int MAX_MESSAGE = 1500;
    private static final List<String> ECHOED_KEYS =
            List.of("name", "secretId", "versionId", "versionStage", "file", "directory", "logLevel");

    private Path dir;

    @BeforeProperty
    void createDirectory() throws IOException {
        dir = Files.createTempDirectory("config-properties");
    }

    @AfterProperty
    void deleteDirectory() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    /** Loads {@code content} as the configuration file; the message of the error, if any. */
    private Optional<String> load(byte[] content, Map<String, String> env) {
        try {
            Path file = Files.write(dir.resolve("secrets-prefetch.json"), content);
            new ConfigLoader(file).load(env);
            return Optional.empty();
        } catch (ConfigException e) {
            return Optional.of(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertOneBoundedLine(String message) {
        assertTrue(message.codePoints().noneMatch(c -> c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029),
                "a message is one line without control characters");
        assertTrue(message.length() <= MAX_MESSAGE, "a message of " + message.length() + " characters");
    }

    @Property(tries = 300)
    void anyBytesAreAConfigurationOrAConfigError(@ForAll @Size(max = 200) byte[] content) {
        load(content, Map.of()).ifPresent(ConfigPropertiesTest::assertOneBoundedLine);
    }

    @Property(tries = 600)
    void anyJsonIsAConfigurationOrAnErrorThatEchoesNoMisplacedValue(@ForAll("documents") String json) {
        load(json.getBytes(StandardCharsets.UTF_8), Map.of()).ifPresent(message -> {
            assertOneBoundedLine(message);
            assertFalse(message.contains("spv"), "the message echoes a value written where it does not belong");
        });
    }

    @Property(tries = 300)
    void anyInlineListIsAConfigurationOrAConfigError(@ForAll("inline") String value) {
        try {
            new ConfigLoader(dir.resolve("absent.json")).load(Map.of("SECRETS_PREFETCH_SECRETS", value));
        } catch (ConfigException e) {
            assertOneBoundedLine(e.getMessage());
        }
    }

    @Property(tries = 300)
    void anyEnvironmentIsAConfigurationOrAConfigErrorThatNeverEchoesTheEndpoint(
            @ForAll("text") String directory, @ForAll("text") String logLevel, @ForAll("endpoints") String endpoint,
            @ForAll("text") String configPath) {
        Map<String, String> env = new HashMap<>(Map.of("SECRETS_PREFETCH_DIR", directory,
                "SECRETS_PREFETCH_LOG_LEVEL", logLevel, "AWS_ENDPOINT_URL_SECRETS_MANAGER", endpoint));
        if (!configPath.isEmpty()) {
            env.put("SECRETS_PREFETCH_CONFIG", configPath);
        }
        Optional<String> message = load("{\"secrets\": [{\"name\": \"db\", \"secretId\": \"prod/db\"}]}"
                .getBytes(StandardCharsets.UTF_8), env);
        if (message.isEmpty()) {
            try {
                Environment.from(env);
            } catch (ConfigException e) {
                message = Optional.of(e.getMessage());
            }
        }
        message.ifPresent(m -> {
            assertOneBoundedLine(m);
            assertFalse(m.contains("spv"), "the message echoes the endpoint, which may carry credentials");
        });
    }

    // Generators.

    private static String json(String value) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + "\"";
    }

    /** Hostile surroundings: nothing, arbitrary characters, path tricks, control characters, or a lot. */
    private static Arbitrary<String> junk() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just("")),
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(10)),
                Tuple.of(3, Arbitraries.of("../", "/", "\\", "\u0000", "\n", "\r\n", "\"", "\u2028",
                        "\u001b[31m", "é", "密码", "🔑", " ", ".", "=", ",", ":")),
                Tuple.of(1, Arbitraries.strings().withCharRange('a', 'z').ofLength(5000)))
                // Echoed text must never look like the fake secrets the assertions search for.
                .filter(text -> !text.contains("spv"));
    }

    private static Arbitrary<String> marked(String prefix) {
        return Combinators.combine(junk(), Arbitraries.strings().withCharRange('a', 'z').ofLength(8), junk())
                .as((before, letters, after) -> before + prefix + letters + after)
                // Eight random letters spell "spv" about once in 3,000 strings: an echoable one must not.
                .filter(text -> prefix.equals("spv-") || !text.contains("spv"));
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.oneOf(marked("cid-"), junk(), Arbitraries.of("/tmp/s", "/tmp", "debug", "LOUD"));
    }

    @Provide
    Arbitrary<String> endpoints() {
        return Arbitraries.oneOf(marked("spv-"), marked("spv-").map(s -> "http://user:" + s + "@localhost:1"),
                marked("spv-").map(s -> "https://" + s), Arbitraries.of("", "http://127.0.0.1:1"));
    }

    @Provide
    Arbitrary<String> inline() {
        Arbitrary<String> item = Arbitraries.oneOf(
                Combinators.combine(marked("cid-"), marked("cid-")).as((name, id) -> name + "=" + id),
                Arbitraries.of("db=prod/db", "a=arn:aws:secretsmanager:us-east-1:123456789012:secret:x", "=", "x="),
                junk());
        return item.list().ofMinSize(1).ofMaxSize(4).map(items -> String.join(",", items));
    }

    /** Any JSON value; strings are {@code spv-} ones: nothing here is where messages may quote it. */
    private static Arbitrary<String> value(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(marked("spv-").map(ConfigPropertiesTest::json),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.of("true", "false", "null", "1e400", "-0", "0.5", "99999999999999999999", "300", "100"));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> inner = value(depth - 1);
        // "name" is quoted by messages wherever it lands in a secret's object, so its value must be echoable.
        Arbitrary<String> entry = Arbitraries.oneOf(
                Combinators.combine(Arbitraries.oneOf(Arbitraries.just("secrets"), marked("cid-")), inner)
                        .as((key, value) -> json(key) + ":" + value),
                echoable(depth - 1).map(value -> json("name") + ":" + value));
        return Arbitraries.frequencyOf(Tuple.of(4, scalar),
                Tuple.of(1, inner.list().ofMaxSize(3).map(items -> "[" + String.join(",", items) + "]")),
                Tuple.of(1, entry.list().ofMaxSize(3).map(items -> "{" + String.join(",", items) + "}")));
    }

    /** A value under a key that messages may quote: a {@code cid-} string or a plausible one, else not a string. */
    private static Arbitrary<String> echoable(int depth) {
        Arbitrary<String> strings = Arbitraries.oneOf(marked("cid-"), Arbitraries.of("db", "api", "prod/db",
                "db.json", "AWSPREVIOUS", "/tmp/s", "debug", "0f6d4e2a-1b2c", "manifest.json",
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db",
                "arn:aws:secretsmanager:mars-1:12:secret:x")).map(ConfigPropertiesTest::json);
        return Arbitraries.frequencyOf(Tuple.of(6, strings),
                Tuple.of(1, value(depth).filter(v -> !v.startsWith("\""))));
    }

    /** An object of entries: known keys with values of fitting (or unfitting) shape, and unknown keys. */
    private static Arbitrary<String> object(List<String> echoedKeys, List<String> otherKeys, Arbitrary<String> secrets,
            int depth) {
        List<Arbitrary<String>> entries = new java.util.ArrayList<>();
        entries.add(Combinators.combine(Arbitraries.of(echoedKeys), echoable(depth))
                .as((key, value) -> json(key) + ":" + value));
        entries.add(Combinators.combine(Arbitraries.oneOf(Arbitraries.of(otherKeys), marked("cid-")), value(depth))
                .as((key, value) -> json(key) + ":" + value));
        if (secrets != null) {
            entries.add(secrets.map(value -> "\"secrets\":" + value));
            entries.add(secrets.map(value -> "\"secrets\":" + value));
        }
        return Arbitraries.oneOf(entries).list().ofMaxSize(6).map(items -> "{" + String.join(",", items) + "}");
    }

    private static Arbitrary<String> secretsArray() {
        Arbitrary<String> secret = object(List.of("name", "secretId", "name", "secretId", "file", "versionId",
                "versionStage"), List.of("region"), null, 1);
        return Arbitraries.frequencyOf(Tuple.of(8, secret), Tuple.of(1, value(1))).list().ofMaxSize(3)
                .map(items -> "[" + String.join(",", items) + "]");
    }

    @Provide
    Arbitrary<String> documents() {
        Arbitrary<String> config = object(List.of("directory", "logLevel"),
                List.of("fetchDeadlineMs", "refreshIntervalSeconds", "keepOnShutdown"), secretsArray(), 1);
        return Arbitraries.frequencyOf(Tuple.of(6, config), Tuple.of(1, value(3)),
                Tuple.of(1, config.map(j -> j.substring(0, j.length() / 2))));
    }
}
