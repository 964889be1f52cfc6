// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/** Layer zips for the simulator's own tests: stand-in extensions behind /bin/sh launchers. */
final class TestLayers {

    private TestLayers() {
    }

    /** A zip with an executable {@code extensions/<name>} per entry of {@code launchers}. */
    static Path withExtensions(Path directory, Map<String, String> launchers) throws IOException {
        Path zip = Files.createTempFile(directory, "layer-", ".zip");
        Files.delete(zip);
        try (FileSystem layer = FileSystems.newFileSystem(zip, Map.of("create", "true",
                "enablePosixFileAttributes", "true"))) {
            Files.createDirectories(layer.getPath("/extensions"));
            for (Map.Entry<String, String> launcher : launchers.entrySet()) {
                Path file = layer.getPath("/extensions", launcher.getKey());
                Files.writeString(file, launcher.getValue());
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        return zip;
    }

    /** A launcher for {@code stand_in_extension.rb} acting out {@code behaviour}. */
    static String rubyExtension(String behaviour) {
        Path ruby = SystemPath.find("ruby").orElseThrow(() -> new IllegalStateException("these tests need ruby"));
        return "#!/bin/sh\nexec " + ruby + " " + resource("stand_in_extension.rb") + " " + behaviour + " \"$0\"\n";
    }

    /** A launcher for {@link StandInExtension} on this JVM's Java and class path, its own "runtime". */
    static String javaExtension() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return "#!/bin/sh\nexec " + java + " -XX:TieredStopAtLevel=1 -cp '" + System.getProperty("java.class.path")
                + "' " + StandInExtension.class.getName() + " \"$0\"\n";
    }

    /** A test resource next to these classes, as a file. */
    static Path resource(String name) {
        try {
            return Path.of(TestLayers.class.getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource " + name, e);
        }
    }
}
