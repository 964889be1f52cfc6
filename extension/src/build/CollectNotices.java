// SPDX-License-Identifier: Apache-2.0
/*
 * Build step for the native layer, not shipped: collects the licence and notice files of everything compiled into
 * the native executable into the layer's secrets-prefetch/legal/. `mvn package` runs it with the Temurin JDK's
 * source launcher right after native-image.
 *
 *   java src/build/CollectNotices.java OUT_DIR PROJECT_DIR JARS_DIR TOOLCHAIN_HOME README
 *
 * A native executable has no jars and no JDK directory left to carry their notices, so they are copied here:
 *   OUT_DIR/LICENSE, NOTICE          this project's (PROJECT_DIR is the repository root)
 *   OUT_DIR/lib/ARTIFACT/...         each jar's META-INF/LICENSE* and NOTICE* files, as the jar ships them
 *   OUT_DIR/jdk/NOTICE, jdk/MODULE/  the toolchain's NOTICE and its legal/ tree; a module's file identical to
 *                                    java.base's file of the same name is left out (most are the same text)
 *   OUT_DIR/README.md                what is where, and the licences of jars that ship no notice file
 * A jar with no licence or notice file in META-INF fails the build unless README names its artifact: nothing
 * goes into the executable without its licence being accounted for.
 */

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

public class CollectNotices {

    /** META-INF/LICENSE, LICENSE.txt, NOTICE.md, license/LICENSE.x ... but not classes or service files. */
    private static final Pattern NOTICE = Pattern.compile(
            "META-INF/(?:licen[cs]es?/)?(?:LICEN[CS]E|NOTICE)[^/]*", Pattern.CASE_INSENSITIVE);

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            throw new IllegalArgumentException(
                    "usage: java CollectNotices.java OUT_DIR PROJECT_DIR JARS_DIR TOOLCHAIN_HOME README");
        }
        Path out = Path.of(args[0]);
        Path project = Path.of(args[1]);
        Path jars = Path.of(args[2]);
        Path toolchain = Path.of(args[3]);
        Path readme = Path.of(args[4]);
        String readmeText = Files.readString(readme);

        deleteRecursively(out);
        Files.createDirectories(out);
        copy(project.resolve("LICENSE"), out.resolve("LICENSE"));
        copy(project.resolve("NOTICE"), out.resolve("NOTICE"));
        copy(readme, out.resolve("README.md"));

        List<String> unaccounted = new ArrayList<>();
        int files = 0;
        for (Path jar : list(jars, p -> p.toString().endsWith(".jar"))) {
            String artifact = jar.getFileName().toString().replaceFirst("\\.jar$", "");
            int copied = copyNotices(jar, out.resolve("lib").resolve(artifact));
            if (copied == 0 && !readmeText.contains("`" + artifact + "`")) {
                unaccounted.add(artifact);
            }
            files += copied;
        }
        if (!unaccounted.isEmpty()) {
            throw new IllegalStateException("no licence or notice file in META-INF of " + unaccounted
                    + ", which the native executable is compiled from: name each artifact (in backquotes) and its"
                    + " licence in " + readme + ", or drop the dependency");
        }

        Path legal = toolchain.resolve("legal");
        Path base = legal.resolve("java.base");
        if (!Files.isDirectory(base)) {
            throw new IllegalStateException(legal + " has no java.base/: the toolchain's JDK notices are missing;"
                    + " point GRAALVM_HOME at a complete GraalVM or Mandrel 25 home");
        }
        copy(toolchain.resolve("NOTICE"), out.resolve("jdk/NOTICE"));
        for (Path module : list(legal, Files::isDirectory)) {
            for (Path file : list(module, Files::isRegularFile)) {
                Path same = base.resolve(file.getFileName());
                boolean duplicate = !module.equals(base) && Files.isRegularFile(same) && Files.mismatch(file, same) == -1;
                if (!duplicate) {
                    copy(file, out.resolve("jdk").resolve(module.getFileName().toString()).resolve(file.getFileName()));
                    files++;
                }
            }
        }
        System.out.println("collected " + files + " licence and notice files into " + out);
    }

    private static int copyNotices(Path jar, Path target) throws IOException {
        int copied = 0;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            List<? extends ZipEntry> entries = zip.stream()
                    .filter(e -> !e.isDirectory() && NOTICE.matcher(e.getName()).matches())
                    .sorted(Comparator.comparing(ZipEntry::getName))
                    .toList();
            for (ZipEntry entry : entries) {
                Path file = target.resolve(entry.getName().substring("META-INF/".length()));
                Files.createDirectories(file.getParent());
                try (InputStream data = zip.getInputStream(entry)) {
                    Files.copy(data, file, StandardCopyOption.REPLACE_EXISTING);
                }
                copied++;
            }
        }
        return copied;
    }

    private static void copy(Path from, Path to) throws IOException {
        if (!Files.isRegularFile(from)) {
            throw new IllegalStateException(from + " is missing: the layer's legal/ directory needs it");
        }
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }

    private static List<Path> list(Path dir, java.util.function.Predicate<Path> filter) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(filter).sorted().toList();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
