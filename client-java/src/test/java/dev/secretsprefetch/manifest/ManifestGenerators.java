// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.manifest;

import dev.secretsprefetch.testing.Choices;
import dev.secretsprefetch.testing.FakeValues;
import dev.secretsprefetch.testing.QtChoices;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.CRC32;
import org.quicktheories.core.Gen;

/**
 * QuickTheories generators of manifests and documents for the property and differential tests. They are written
 * as plain code over {@link Choices}, so QuickTheories shrinks a failing case decision by decision. What they
 * generate is described by size and checksum only: every string in it carries a fake-value marker, and a failure
 * report must not print one (the hygiene scan would flag it). Replay a failure with its seed (docs/reliability.md).
 */
final class ManifestGenerators {

    private static final List<Long> EDGE_LONGS = List.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, 1L, -1L);
    private static final List<String> PAIRS = List.of("", "\ud83d\udd11", "\ud83d\ude00\u200d");
    private static final String ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private ManifestGenerators() {
    }

    /** Any manifest the model can hold: pending or (twice as often) ready with up to five entries. */
    static Gen<Manifest> manifests() {
        Gen<Manifest> gen = source -> manifest(new QtChoices(source));
        return gen.describedAs(ManifestGenerators::describe);
    }

    /** A generator of documents built from the choices; described by size and checksum only. */
    static Gen<byte[]> documents(java.util.function.Function<Choices, byte[]> build) {
        Gen<byte[]> gen = source -> build.apply(new QtChoices(source));
        return gen.describedAs(ManifestGenerators::describe);
    }

    static Manifest manifest(Choices c) {
        long generation = c.nextInt(8) == 0 ? c.pick(List.of(1L, Long.MAX_VALUE)) : 1 + (c.nextLong() >>> 1) % Long.MAX_VALUE;
        if (c.nextInt(3) == 0) {
            return Manifest.pending(generation, anyLong(c), anyLong(c), text(c));
        }
        Map<String, SecretEntry> secrets = new LinkedHashMap<>();
        for (int i = c.nextInt(6); i > 0; i--) {
            secrets.put(text(c), entry(c));
        }
        return Manifest.ready(generation, anyLong(c), text(c), secrets);
    }

    static long anyLong(Choices c) {
        return c.nextInt(5) == 0 ? c.pick(EDGE_LONGS) : c.nextLong();
    }

    /** Any text without half a surrogate pair (no UTF-8 can hold one), ending in a marker. */
    static String text(Choices c) {
        StringBuilder text = new StringBuilder();
        for (int i = c.nextInt(25); i > 0; i--) {
            int unit = c.nextInt(0xD800 + 0x2000); // U+0000..U+D7FF and U+E000..U+FFFF
            text.append((char) (unit < 0xD800 ? unit : unit + 0x800));
        }
        text.append(c.pick(PAIRS)).append("spv-");
        for (int i = 0; i < 4; i++) {
            text.append(ALPHANUMERIC.charAt(c.nextInt(ALPHANUMERIC.length())));
        }
        return text.toString();
    }

    private static Optional<String> optionalText(Choices c) {
        return c.nextBoolean() ? Optional.of(text(c)) : Optional.empty();
    }

    static SecretEntry entry(Choices c) {
        if (c.nextInt(3) == 0) {
            return parameterEntry(c);
        }
        List<String> stages = new ArrayList<>();
        for (int i = c.nextInt(4); i > 0; i--) {
            stages.add(text(c));
        }
        SecretValue value = switch (c.nextInt(3)) {
            case 0 -> new SecretValue.Text(text(c));
            case 1 -> {
                byte[] payload = new byte[c.nextInt(301)];
                c.nextBytes(payload);
                yield new SecretValue.Binary(FakeValues.binary(payload));
            }
            default -> new SecretValue.Failure(text(c), text(c));
        };
        return new SecretEntry(text(c), optionalText(c), optionalText(c), stages, optionalText(c), optionalText(c),
                anyLong(c), value);
    }

    private static SecretEntry parameterEntry(Choices c) {
        SecretValue value = c.nextBoolean() ? new SecretValue.Text(text(c)) : new SecretValue.Failure(text(c), text(c));
        SecretEntry.Parameter parameter = new SecretEntry.Parameter(text(c), optionalText(c), optionalLong(c),
                optionalLong(c), optionalText(c));
        return new SecretEntry(parameter, optionalText(c), anyLong(c), value);
    }

    private static OptionalLong optionalLong(Choices c) {
        return c.nextBoolean() ? OptionalLong.of(anyLong(c)) : OptionalLong.empty();
    }

    static String describe(Manifest manifest) {
        return "a " + manifest.state() + " manifest, generation " + manifest.generation() + ", "
                + manifest.secrets().size() + " entries, " + describe(ManifestJson.write(manifest));
    }

    static String describe(byte[] document) {
        CRC32 crc = new CRC32();
        crc.update(document);
        return document.length + " bytes, CRC-32 " + Long.toHexString(crc.getValue())
                + " (content not shown: it carries fake values; replay the seed to see it)";
    }

    static String describe(String document) {
        return describe(document.getBytes(StandardCharsets.UTF_8));
    }
}
