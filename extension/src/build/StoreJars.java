// SPDX-License-Identifier: Apache-2.0
/*
 * Build step for the layer, not shipped: copies every jar of a directory into another with its entries stored
 * instead of deflated. `mvn package` runs it with the Temurin JDK's source launcher before the AOT training run.
 *
 *   java src/build/StoreJars.java FROM_DIR TO_DIR
 *
 * The layer zip then deflates each jar as one stream, which compresses about 30 % better than a jar of
 * separately deflated classes (the jars' share of the zip goes from 5.2 to 3.6 MB), and the JVM reads classes
 * and resources that are not in the AOT cache without inflating them. Entries keep their order, names and
 * times, so the result is as reproducible as its input.
 */

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

public class StoreJars {

    public static void main(String[] args) throws IOException {
        Path from = Path.of(args[0]);
        Path to = Files.createDirectories(Path.of(args[1]));
        List<Path> jars;
        try (var files = Files.list(from)) {
            jars = files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
        long before = 0;
        long after = 0;
        for (Path jar : jars) {
            Path stored = to.resolve(jar.getFileName());
            store(jar, stored);
            before += Files.size(jar);
            after += Files.size(stored);
        }
        System.out.println("stored the entries of " + jars.size() + " jars into " + to + ": " + before / 1024
                + " KiB -> " + after / 1024 + " KiB on disk");
    }

    private static void store(Path jar, Path target) throws IOException {
        try (ZipFile in = new ZipFile(jar.toFile());
                OutputStream file = Files.newOutputStream(target);
                ZipOutputStream out = new ZipOutputStream(file)) {
            out.setMethod(ZipOutputStream.STORED);
            Enumeration<? extends ZipEntry> entries = in.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                byte[] bytes;
                try (InputStream data = in.getInputStream(entry)) {
                    bytes = data.readAllBytes();
                }
                CRC32 crc = new CRC32();
                crc.update(bytes);
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                copy.setMethod(ZipEntry.STORED);
                copy.setSize(bytes.length);
                copy.setCompressedSize(bytes.length);
                copy.setCrc(crc.getValue());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        }
    }
}
