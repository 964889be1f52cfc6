// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import static dev.secretsprefetch.extension.SecretValues.assertNoValueIn;
import static dev.secretsprefetch.extension.SecretValues.assertSameBytes;
import static dev.secretsprefetch.extension.SecretValues.assertSameValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.secretsprefetch.extension.config.ConfigException;
import dev.secretsprefetch.extension.config.ConfigLoader;
import dev.secretsprefetch.extension.config.SecretNames;
import dev.secretsprefetch.manifest.Manifest;
import dev.secretsprefetch.manifest.ManifestFiles;
import dev.secretsprefetch.manifest.SecretValue;
import dev.secretsprefetch.testing.FakeValues;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names, ids and values built to break things: path tricks, control characters, unicode, the longest allowed
 * and far longer, 64 KB values and every byte value, through the configuration and through moto into the
 * manifest and the per-secret files.
 */
class HostileInputTest {

    @TempDir
    Path tmp;

    private final MotoSecrets moto = new MotoSecrets();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private static String json(String value) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + "\"";
    }

    private static String secret(String name, String secretId, String file) {
        return "{\"name\": " + json(name) + ", \"secretId\": " + json(secretId)
                + (file == null ? "" : ", \"file\": " + json(file)) + "}";
    }

    private Path config(String... secrets) throws Exception {
        return Files.writeString(tmp.resolve("config.json"), "{\"secrets\": [" + String.join(",", secrets) + "]}");
    }

    private String configError(String... secrets) throws Exception {
        Path file = config(secrets);
        return assertThrows(ConfigException.class, () -> new ConfigLoader(file).load(Map.of())).getMessage();
    }

    /** The one-shot command, the extension's own fetch and write path; the manifest it wrote. */
    private Manifest prefetch(Path config) throws Exception {
        int status = PrefetchCommand.run(List.of("--config", config.toString(), "--dir", dir().toString()),
                MotoSecrets.environment(MotoSecrets.moto().endpoint(), null), new ConfigLoader(tmp.resolve("absent")),
                new PrintStream(out, true, StandardCharsets.UTF_8), Clock.systemUTC());
        assertEquals(PrefetchCommand.OK, status, out.toString(StandardCharsets.UTF_8));
        return ManifestFiles.read(dir()).orElseThrow();
    }

    private Path dir() {
        return tmp.resolve("secrets");
    }

    @Test
    void namesThatWouldLeaveOrHideInTheSecretsDirectoryAreRefused() throws Exception {
        for (String name : List.of("../db", "a/b", "..", ".", ".hidden", "a\\b", "")) {
            String message = configError(secret(name, "prod/db", null));
            assertTrue(message.contains("path separator") || message.contains("starts with a dot")
                    || message.contains("is empty"), message);
        }
        assertTrue(configError(secret("db", "prod/db", "../db.txt")).contains("file \"../db.txt\" contains a path "
                + "separator"));
    }

    @Test
    void controlCharactersAreRefusedAndShownEscapedSoNoLogLineCanBeForged() throws Exception {
        String forged = configError(secret("db\n[secrets-prefetch] INFO all good", "prod/db", null));
        assertTrue(forged.contains("\"db\\u000a[secrets-prefetch] INFO all good\" contains a control character"),
                forged);
        assertFalse(forged.contains("\n"));
        assertTrue(configError(secret("db\u0000x", "prod/db", null)).contains("\"db\\u0000x\""));
        assertTrue(configError(secret("db", "prod/db\u0000", null))
                .contains("characters Secrets Manager does not allow"));
        assertTrue(configError(secret("db", "prod db", null)).contains("characters Secrets Manager does not allow"));
        assertTrue(configError(secret("db", "密码", null)).contains("characters Secrets Manager does not allow"));
    }

    @Test
    void farTooLongNamesIdsKeysAndPathsGiveBoundedMessages() throws Exception {
        String huge = "x".repeat(1_000_000);
        for (String message : List.of(configError(secret(huge, "prod/db", null)),
                configError(secret("db", huge, null)), configError(secret("db", "prod/db", huge)),
                configError("{\"name\": \"db\", \"secretId\": \"prod/db\", " + json(huge) + ": 1}"),
                configError(secret("db", "arn:aws:secretsmanager:" + huge + ":123456789012:secret:x", null)))) {
            assertTrue(message.length() < 1000, () -> message.substring(0, 200));
        }
        Path file = Files.writeString(tmp.resolve("dir.json"), "{\"directory\": " + json("/tmp/" + huge)
                + ", \"secrets\": [" + secret("db", "prod/db", null) + "]}");
        String message = assertThrows(ConfigException.class,
                () -> new ConfigLoader(file).load(Map.of("SECRETS_PREFETCH_DIR", "/tmp/other"))).getMessage();
        assertTrue(message.contains("but SECRETS_PREFETCH_DIR is /tmp/other") && message.length() < 1000,
                () -> message.substring(0, Math.min(200, message.length())));
    }

    @Test
    void configurationThatIsADeviceIsRefusedWithoutReadingIt() {
        String message = assertThrows(ConfigException.class, () -> new ConfigLoader(tmp.resolve("absent.json"))
                .load(Map.of("SECRETS_PREFETCH_CONFIG", "/dev/zero"))).getMessage();
        assertTrue(message.contains("/dev/zero (set by SECRETS_PREFETCH_CONFIG) is not a regular file"), message);
    }

    @Test
    void sixtyFourKilobyteValuesAndEveryByteValueRoundTripIntoTheManifestAndFiles() throws Exception {
        StringBuilder text = new StringBuilder(SecretValues.next())
                .append("\u0000\"\\\n\r\t\u2028\u2029\u001b[0m</script>é密码🔑");
        for (int bytes = text.toString().getBytes(StandardCharsets.UTF_8).length; bytes < 65_536; bytes++) {
            text.append((char) ('a' + bytes % 26));
        }
        String largestText = text.toString();
        assertEquals(65_536, largestText.getBytes(StandardCharsets.UTF_8).length);
        byte[] marker = FakeValues.binary(new byte[0]);
        byte[] everyByte = new byte[65_536];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) (i * 7 + i / 256);
        }
        System.arraycopy(marker, 0, everyByte, 0, marker.length);
        moto.create("text", largestText);
        moto.createBinary("binary", everyByte);

        Manifest manifest = prefetch(config(secret("text", moto.name("text"), "text.txt"),
                secret("binary", moto.name("binary"), "binary.dat")));
        assertSameValue(largestText, ((SecretValue.Text) manifest.secrets().get("text").value()).value(), "text");
        assertSameBytes(everyByte, assertInstanceOf(SecretValue.Binary.class,
                manifest.secrets().get("binary").value()).bytes(), "binary");
        assertSameBytes(largestText.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(dir().resolve("text.txt")),
                "text.txt");
        assertSameBytes(everyByte, Files.readAllBytes(dir().resolve("binary.dat")), "binary.dat");
        assertNoValueIn(out.toString(StandardCharsets.UTF_8), "the command's output", largestText);
    }

    @Test
    void secretIdsWithDotDotAndSlashesAreOnlyNamesToSecretsManager() throws Exception {
        String value = SecretValues.next();
        moto.create("../../etc/passwd", value);
        Manifest manifest = prefetch(config(secret("passwd", moto.name("../../etc/passwd"), "passwd.txt")));
        assertSameValue(value, ((SecretValue.Text) manifest.secrets().get("passwd").value()).value(), "passwd");
        try (Stream<Path> files = Files.walk(tmp)) {
            assertEquals(List.of("config.json", "secrets", "secrets/manifest.json", "secrets/passwd.txt"),
                    files.filter(f -> !f.equals(tmp)).map(f -> tmp.relativize(f).toString()).sorted().toList(),
                    "nothing is written outside the secrets directory");
        }
    }

    @Test
    void unicodeAndTheLongestAllowedNamesAndIdsRoundTrip() throws Exception {
        String unicodeValue = SecretValues.next();
        String longValue = SecretValues.next();
        String unicodeName = "пароль-密码-🔑";
        String longestName = "密".repeat(66) + "ab";
        assertEquals(SecretNames.MAX_NAME_BYTES, longestName.getBytes(StandardCharsets.UTF_8).length);
        String longestId = moto.name("");
        longestId = longestId + "i".repeat(SecretNames.MAX_SECRET_NAME_CHARS - longestId.length());
        moto.create("unicode", unicodeValue);
        moto.create(longestId.substring(moto.name("").length()), longValue);

        Manifest manifest = prefetch(config(secret(unicodeName, moto.name("unicode"), unicodeName + ".txt"),
                secret(longestName, longestId, null)));
        assertSameValue(unicodeValue, ((SecretValue.Text) manifest.secrets().get(unicodeName).value()).value(),
                "the unicode-named secret");
        assertSameValue(longValue, ((SecretValue.Text) manifest.secrets().get(longestName).value()).value(),
                "the longest-named secret");
        assertSameBytes(unicodeValue.getBytes(StandardCharsets.UTF_8),
                Files.readAllBytes(dir().resolve(unicodeName + ".txt")), "the unicode-named file");

        assertTrue(configError(secret(longestName + "c", "prod/db", null)).contains("201 bytes long, more than 200"));
        assertTrue(configError(secret("db", longestId + "i", null)).contains("513 characters long, more than 512"));
    }
}
