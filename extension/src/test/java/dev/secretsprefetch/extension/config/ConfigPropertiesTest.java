// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Whatever the configuration holds, reading it ends in a {@link Config} or a {@link ConfigException}, never in
 * another exception; the message is one line of bounded length; and it echoes names, secret ids, file names,
 * paths and keys (which are not secret) but never a value written where it does not belong, which might be a
 * secret pasted into the wrong place. Strings the generators put where messages may quote them start with
 * {@code cid-}; everywhere else they start with {@code spv-}.
 *
 * <p>QuickTheories runs each property with a fresh seed and shrinks a failing example; its report ends with
 * {@code Seed was N}: {@code mvn -pl extension -am verify -Dtest=ConfigPropertiesTest -DQT_SEED=N} replays it.
 */
@SuppressWarnings("unchecked") // generic varargs of Generate.oneOf and Generate.frequency
class ConfigPropertiesTest {

    /** The generous bound on a message: a source path, a key path, a quoted name and the fix. */
    private static final int MAX_MESSAGE = 1500;

    @TempDir
    Path dir;

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

    @Test
    void anyBytesAreAConfigurationOrAConfigError() {
        qt().withExamples(300)
                .forAll(Generate.byteArrays(Generate.range(0, 200), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE,
                        (byte) 0)).describedAs(Arrays::toString))
                .checkAssert(content -> load(content, Map.of()).ifPresent(ConfigPropertiesTest::assertOneBoundedLine));
    }

    @Test
    void anyJsonIsAConfigurationOrAnErrorThatEchoesNoMisplacedValue() {
        qt().withExamples(600).forAll(documents()).checkAssert(json ->
                load(json.getBytes(StandardCharsets.UTF_8), Map.of()).ifPresent(message -> {
                    assertOneBoundedLine(message);
                    assertFalse(message.contains("spv"), "the message echoes a value written where it does not belong");
                }));
    }

    @Test
    void anyInlineListIsAConfigurationOrAConfigError() {
        qt().withExamples(300).forAll(inline()).checkAssert(value -> {
            try {
                new ConfigLoader(dir.resolve("absent.json")).load(Map.of("SECRETS_PREFETCH_SECRETS", value));
            } catch (ConfigException e) {
                assertOneBoundedLine(e.getMessage());
            }
        });
    }

    @Test
    void anyEnvironmentIsAConfigurationOrAConfigErrorThatNeverEchoesTheEndpointOrTheProxy() {
        qt().withExamples(300).forAll(text(), text().zip(text(), Pair::of), endpoints().zip(endpoints(), Pair::of),
                text()).checkAssert((directory, settings, endpointAndProxy, configPath) -> {
                    String endpoint = endpointAndProxy._1;
                    String proxy = endpointAndProxy._2;
                    Map<String, String> env = new HashMap<>(Map.of("SECRETS_PREFETCH_DIR", directory,
                            "SECRETS_PREFETCH_LOG_LEVEL", settings._1, "SECRETS_PREFETCH_RUNTIME_START", settings._2,
                            "AWS_ENDPOINT_URL_SECRETS_MANAGER", endpoint, "HTTPS_PROXY", proxy, "http_proxy", proxy));
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
                        assertFalse(m.contains("spv"), "the message echoes the endpoint or the proxy, which may carry "
                                + "credentials");
                    });
                });
    }

    // Generators.

    private static String json(String value) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + "\"";
    }

    private static <T> Gen<T> pick(T... values) {
        return Generate.pick(List.of(values));
    }

    private static Gen<String> joined(Gen<String> item, int min, int max, String open, String close) {
        return lists().of(item).ofSizeBetween(min, max).map(items -> open + String.join(",", items) + close);
    }

    /** Hostile surroundings: nothing, arbitrary characters, path tricks, control characters, or a lot. */
    private static Gen<String> junk() {
        return Generate.frequency(
                Pair.of(6, Generate.constant("")),
                Pair.of(3, strings().allPossible().ofLengthBetween(0, 10)),
                Pair.of(3, pick("../", "/", "\\", "\u0000", "\n", "\r\n", "\"", "\u2028",
                        "\u001b[31m", "é", "密码", "🔑", " ", ".", "=", ",", ":")),
                Pair.of(1, strings().betweenCodePoints('a', 'z').ofLength(5000)))
                // Echoed text must never look like the fake secrets the assertions search for.
                .assuming(text -> !text.contains("spv"));
    }

    private static Gen<String> marked(String prefix) {
        return junk().zip(strings().betweenCodePoints('a', 'z').ofLength(8), junk(),
                (before, letters, after) -> before + prefix + letters + after)
                // Eight random letters spell "spv" about once in 3,000 strings: an echoable one must not.
                .assuming(text -> prefix.equals("spv-") || !text.contains("spv"));
    }

    private static Gen<String> text() {
        return Generate.oneOf(marked("cid-"), junk(), pick("/tmp/s", "/tmp", "debug", "LOUD"));
    }

    private static Gen<String> endpoints() {
        return Generate.oneOf(marked("spv-"), marked("spv-").map(s -> "http://user:" + s + "@localhost:1"),
                marked("spv-").map(s -> "https://" + s), pick("", "http://127.0.0.1:1"));
    }

    private static Gen<String> inline() {
        Gen<String> item = Generate.oneOf(
                marked("cid-").zip(marked("cid-"), (name, id) -> name + "=" + id),
                pick("db=prod/db", "a=arn:aws:secretsmanager:us-east-1:123456789012:secret:x", "=", "x="),
                junk());
        return lists().of(item).ofSizeBetween(1, 4).map(items -> String.join(",", items));
    }

    /** Any JSON value; strings are {@code spv-} ones: nothing here is where messages may quote it. */
    private static Gen<String> value(int depth) {
        Gen<String> scalar = Generate.oneOf(marked("spv-").map(ConfigPropertiesTest::json),
                longs().all().map(n -> Long.toString(n)),
                pick("true", "false", "null", "1e400", "-0", "0.5", "99999999999999999999", "300", "100"));
        if (depth == 0) {
            return scalar;
        }
        Gen<String> inner = value(depth - 1);
        // "name" is quoted by messages wherever it lands in a secret's object, so its value must be echoable.
        Gen<String> entry = Generate.oneOf(
                Generate.oneOf(Generate.constant("secrets"), marked("cid-")).zip(inner,
                        (key, value) -> json(key) + ":" + value),
                echoable(depth - 1).map(value -> json("name") + ":" + value));
        return Generate.frequency(Pair.of(4, scalar),
                Pair.of(1, joined(inner, 0, 3, "[", "]")),
                Pair.of(1, joined(entry, 0, 3, "{", "}")));
    }

    /** A value under a key that messages may quote: a {@code cid-} string or a plausible one, else not a string. */
    private static Gen<String> echoable(int depth) {
        Gen<String> strings = Generate.oneOf(marked("cid-"), pick("db", "api", "prod/db",
                "db.json", "AWSPREVIOUS", "/tmp/s", "debug", "0f6d4e2a-1b2c", "manifest.json",
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db",
                "arn:aws:secretsmanager:mars-1:12:secret:x")).map(ConfigPropertiesTest::json);
        return Generate.frequency(Pair.of(6, strings),
                Pair.of(1, value(depth).assuming(v -> !v.startsWith("\""))));
    }

    /** An object of entries: known keys with values of fitting (or unfitting) shape, and unknown keys. */
    private static Gen<String> object(List<String> echoedKeys, List<String> otherKeys, Gen<String> secrets,
            int depth) {
        Gen<String> echoed = Generate.pick(echoedKeys).zip(echoable(depth), (key, value) -> json(key) + ":" + value);
        Gen<String> other = Generate.oneOf(Generate.pick(otherKeys), marked("cid-"))
                .zip(value(depth), (key, value) -> json(key) + ":" + value);
        Gen<String> entries = secrets == null ? Generate.oneOf(echoed, other)
                // A "secrets" entry is twice as likely as each other kind.
                : Generate.oneOf(echoed, other, secrets.map(value -> "\"secrets\":" + value),
                        secrets.map(value -> "\"secrets\":" + value));
        return joined(entries, 0, 6, "{", "}");
    }

    private static Gen<String> secretsArray() {
        Gen<String> secret = object(List.of("name", "secretId", "name", "secretId", "file", "versionId",
                "versionStage"), List.of("region"), null, 1);
        return joined(Generate.frequency(Pair.of(8, secret), Pair.of(1, value(1))), 0, 3, "[", "]");
    }

    private static Gen<String> documents() {
        Gen<String> config = object(List.of("directory", "logLevel", "runtimeStart"),
                List.of("fetchDeadlineMs", "refreshIntervalSeconds", "keepOnShutdown"), secretsArray(), 1);
        return Generate.frequency(Pair.of(6, config), Pair.of(1, value(3)),
                Pair.of(1, config.map(j -> j.substring(0, j.length() / 2))));
    }
}
