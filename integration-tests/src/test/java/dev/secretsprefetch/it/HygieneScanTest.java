// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.testing.FakeValues;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hygiene scan finds a planted fake value by file and line, as text or base64, and never shows it. */
class HygieneScanTest {

    @TempDir
    Path repository;

    private Path reports;
    private final String planted = FakeValues.text("planted-by-HygieneScanTest");

    @BeforeEach
    void aRepositoryWithOneModule() throws Exception {
        Files.writeString(repository.resolve("pom.xml"), "<project/>");
        Files.writeString(Files.createDirectory(repository.resolve("module")).resolve("pom.xml"), "<project/>");
        reports = Files.createDirectories(repository.resolve("module/target/surefire-reports"));
        Files.writeString(reports.resolve("Clean-output.txt"), "[secrets-prefetch] INFO nothing to see\nspv- alone\n");
    }

    private List<HygieneScan.Finding> scan() throws Exception {
        return HygieneScan.scan(repository, new ArrayList<>());
    }

    @Test
    void cleanOutputPasses() throws Exception {
        List<Path> scanned = new ArrayList<>();
        assertEquals(List.of(), HygieneScan.scan(repository, scanned));
        assertEquals(List.of(reports.resolve("Clean-output.txt")), scanned);
    }

    @Test
    void aPlantedValueIsFoundByFileAndLine() throws Exception {
        Path log = Files.writeString(reports.resolve("Leaky-output.txt"), "line one\nline two\nvalue=" + planted + "\n");

        List<HygieneScan.Finding> findings = scan();

        assertEquals(1, findings.size(), findings.toString());
        assertEquals(log, findings.get(0).file());
        assertEquals(3, findings.get(0).line());
        assertFalse(findings.get(0).toString().contains("spv-"), "a finding shows no marker");
    }

    @Test
    void aBase64EncodedValueIsFoundToo() throws Exception {
        byte[] binary = FakeValues.binary(0, 1, 2, 0xff);
        Path logs = Files.createDirectories(repository.resolve("module/target/test-logs"));
        Files.writeString(logs.resolve("process.log"),
                "{\"SecretBinary\":\"" + Base64.getEncoder().encodeToString(binary) + "\"}\n");

        List<HygieneScan.Finding> findings = scan();

        assertEquals(1, findings.size(), findings.toString());
        assertTrue(findings.get(0).base64());
        assertEquals(1, findings.get(0).line());
    }

    @Test
    void locationsThatHoldValuesByDesignAreNotScanned() throws Exception {
        Path classes = Files.createDirectories(repository.resolve("module/target/test-classes/dev"));
        Files.writeString(classes.resolve("Test.class"), planted);
        Files.writeString(repository.resolve("module/target/module-tests.jar"), planted);

        assertEquals(List.of(), scan());
    }

    @Test
    void theCheckFailsNamingFileAndLineButNotTheValue() throws Exception {
        Files.writeString(reports.resolve("Leaky-output.txt"), planted);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> HygieneScan.main(new String[] {repository.toString()}));
            assertTrue(e.getMessage().startsWith("1 fake secret value(s) leaked"), e.getMessage());
        } finally {
            System.setOut(original);
        }
        String output = printed.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("module/target/surefire-reports/Leaky-output.txt:1: fake secret value (marker #"),
                "names the file and line");
        assertFalse(output.contains("spv-"), "shows no value");
    }
}
