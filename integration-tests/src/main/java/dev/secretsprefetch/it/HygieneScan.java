// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import dev.secretsprefetch.testing.FakeValues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The suite's hygiene check (docs/reliability.md, "Hygiene"), run by the build after every module's tests:
 * scans everything the tests left in the modules' {@code target/} directories (test reports and captured
 * output, process and moto logs, the Ruby tests' output) for fake secret values, recognised by their marker
 * ({@link FakeValues#MARKER}), as text or base64. Each finding names the file and line and a short id of the
 * marker (a hash), never the value, so the check's own output leaks nothing.
 *
 * <pre>{@code java -cp ... dev.secretsprefetch.it.HygieneScan /path/to/repository}</pre>
 */
public final class HygieneScan {

    /**
     * Where fake values are expected, by design, relative to the repository root: compiled code and copied
     * resources (values in constant pools and test files), packaged code, the staged layer and example
     * functions. Everything else in a {@code target/} is scanned.
     */
    static final List<String> EXCLUDED = List.of(
            "*/target/classes/**",
            "*/target/test-classes/**",
            "*/target/*.jar",
            "*/target/*.zip",
            "extension/target/layer/**",
            "extension/target/layer-al2/**",
            "extension/target/native-image/**",
            "integration-tests/target/lambda-function/**",
            "integration-tests/target/lambda-runtime/**");

    /** Runs of base64 long enough to hold a marker. */
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]{8,}={0,2}");

    /** A marker found in a file: where, and a hash of it that tells markers apart without showing one. */
    record Finding(Path file, long line, String markerId, boolean base64) {
        @Override
        public String toString() {
            return file + ":" + line + ": fake secret value (marker #" + markerId + (base64 ? ", base64-encoded" : "")
                    + ")";
        }
    }

    private HygieneScan() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        List<Path> scanned = new ArrayList<>();
        List<Finding> findings = scan(root, scanned);
        if (findings.isEmpty()) {
            System.out.println("hygiene: no fake secret value in the " + scanned.size() + " output and log files "
                    + "under " + root + "/*/target");
            return;
        }
        findings.forEach(f -> System.out.println("hygiene: " + root.relativize(f.file()) + ":" + f.line()
                + ": fake secret value (marker #" + f.markerId() + (f.base64() ? ", base64-encoded" : "") + ")"));
        throw new IllegalStateException(findings.size() + " fake secret value(s) leaked into test output or logs "
                + "(listed above by file and line; the values are not shown). Find the code that printed them; see "
                + "docs/reliability.md, \"Hygiene\"");
    }

    /** Every marker in the scanned files of {@code root}'s modules; {@code scanned} receives the files read. */
    static List<Finding> scan(Path root, List<Path> scanned) throws IOException {
        List<PathMatcher> excluded = EXCLUDED.stream()
                .map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob)).toList();
        List<Finding> findings = new ArrayList<>();
        for (Path target : targets(root)) {
            Files.walkFileTree(target, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Path relative = root.relativize(file);
                    if (attributes.isRegularFile() && excluded.stream().noneMatch(m -> m.matches(relative))) {
                        scanned.add(file);
                        findings.addAll(scanFile(file));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        return findings;
    }

    /** {@code target/} of the root and of each module directly below it. */
    private static List<Path> targets(Path root) throws IOException {
        List<Path> targets = new ArrayList<>();
        try (Stream<Path> children = Files.list(root)) {
            for (Path dir : Stream.concat(Stream.of(root), children.sorted()).toList()) {
                if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("target"))) {
                    targets.add(dir.resolve("target"));
                }
            }
        }
        return targets;
    }

    static List<Finding> scanFile(Path file) throws IOException {
        // ISO-8859-1 maps each byte to one char: offsets are byte offsets, and binary files scan as well as text.
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        List<Finding> findings = new ArrayList<>();
        Matcher marker = FakeValues.MARKER.matcher(text);
        while (marker.find()) {
            findings.add(new Finding(file, line(text, marker.start()), id(marker.group()), false));
        }
        Matcher base64 = BASE64.matcher(text);
        while (base64.find()) {
            String decoded = decode(base64.group());
            Matcher inside = FakeValues.MARKER.matcher(decoded);
            if (inside.find()) {
                findings.add(new Finding(file, line(text, base64.start()), id(inside.group()), true));
            }
        }
        return findings;
    }

    private static String decode(String token) {
        String unpadded = token.replace("=", "");
        String whole = unpadded.substring(0, unpadded.length() - unpadded.length() % 4);
        return new String(Base64.getDecoder().decode(whole), StandardCharsets.ISO_8859_1);
    }

    private static long line(String text, int offset) {
        long line = 1;
        for (int i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
            line++;
        }
        return line;
    }

    private static String id(String marker) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(marker.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
