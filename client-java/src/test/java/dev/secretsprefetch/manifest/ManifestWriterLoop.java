// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.manifest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rewrites the manifest in a directory as fast as it can until killed: the process ManifestWriteFaultsTest
 * kills with SIGKILL in the middle of a write. Every value of a generation is tagged with it, so a reader can
 * tell a whole manifest from a mix. The documents are serialised up front, so the loop spends its time in
 * {@link ManifestFilesWriter#writeAtomically} and a kill lands mid-write. Prints nothing: values never reach output.
 */
final class ManifestWriterLoop {

    private static final int GENERATIONS = 12;

    private ManifestWriterLoop() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        long first = Long.parseLong(args[1]);
        List<byte[]> documents = new ArrayList<>();
        for (long generation = first; generation < first + GENERATIONS; generation++) {
            documents.add(ManifestJson.write(large(generation)));
        }
        ManifestFilesWriter.ensureDirectory(dir);
        for (int i = 0; ; i = Math.min(i + 1, GENERATIONS - 1)) {
            ManifestFilesWriter.writeAtomically(dir, ManifestFiles.MANIFEST_FILE, documents.get(i));
        }
    }

    /** 32 values of 64 KB: a 2 MB file takes a while to write. */
    static Manifest large(long generation) {
        Map<String, SecretEntry> secrets = new LinkedHashMap<>();
        for (int i = 0; i < 32; i++) {
            String value = "fixture-g" + generation + "-spv-Kill" + i + "-" + "k".repeat(65_000);
            secrets.put("s" + i, new SecretEntry("prod/s" + i, Optional.empty(), Optional.empty(), List.of(),
                    Optional.empty(), Optional.empty(), generation, new SecretValue.Text(value)));
        }
        return Manifest.ready(generation, generation, "writer-loop/1", secrets);
    }
}
