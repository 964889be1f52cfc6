// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.extension.config.ConfigLoader;
import dev.secretsprefetch.manifest.Manifest;
import dev.secretsprefetch.manifest.ManifestFiles;
import dev.secretsprefetch.manifest.SecretEntry;
import dev.secretsprefetch.manifest.SecretValue;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The extension's process killed with SIGKILL while it writes the manifest (the one-shot command, run as its
 * own JVM, killed the moment its ready manifest's temporary file appears): a reader running all along only
 * ever sees a whole manifest, the old one or the new one.
 *
 * <p>Where strace is available, the killed runs have every rename slowed down by 200 ms, so that each kill
 * lands between the temporary file and the rename for certain; elsewhere, where it lands depends on timing.
 */
class KillMidWriteTest {

    private static final int SECRETS = 8;
    private static final int KILLS = 3;
    private static final List<String> SLOW_RENAME = List.of("strace", "-f", "-qq", "-o", "/dev/null", "--seccomp-bpf",
            "-e", "trace=rename,renameat,renameat2", "-e", "inject=rename,renameat,renameat2:delay_enter=200000");

    @TempDir
    Path tmp;

    private final MotoSecrets moto = new MotoSecrets();
    /** Every value each secret has had: a manifest may hold any of them, never anything else. */
    private final Map<String, Set<String>> versions = new ConcurrentHashMap<>();
    private final List<String> readerProblems = new CopyOnWriteArrayList<>();
    private final AtomicInteger wholeReads = new AtomicInteger();

    /** The one-shot command in this JVM, for the runs that are not killed. */
    private int prefetchHere(Path config, Path dir) {
        return PrefetchCommand.run(List.of("--config", config.toString(), "--dir", dir.toString()),
                MotoSecrets.environment(MotoSecrets.moto().endpoint(), null), new ConfigLoader(tmp.resolve("absent")),
                new PrintStream(OutputStream.nullOutputStream()), Clock.systemUTC());
    }

    private Process prefetch(Path config, Path dir, int run, boolean slowRename) throws Exception {
        List<String> command = new ArrayList<>(slowRename ? SLOW_RENAME : List.of());
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "prefetch", "--config", config.toString(), "--dir", dir.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("run-" + run + ".log").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SECRETS_PREFETCH_")
                || k.equals("JAVA_TOOL_OPTIONS"));
        builder.environment().putAll(MotoSecrets.environment(MotoSecrets.moto().endpoint(), null));
        return builder.start();
    }

    private void read(Path dir) {
        try {
            Manifest manifest = ManifestFiles.read(dir).orElseThrow(() -> new IllegalStateException("no manifest"));
            if (manifest.state() == Manifest.State.READY) {
                for (Map.Entry<String, SecretEntry> entry : manifest.secrets().entrySet()) {
                    if (!(entry.getValue().value() instanceof SecretValue.Text text)
                            || !versions.get(entry.getKey()).contains(text.value())) {
                        readerProblems.add(entry.getKey() + " holds a value it never had");
                    }
                }
            }
            wholeReads.incrementAndGet();
        } catch (Exception e) {
            readerProblems.add(e.getClass().getSimpleName());
        }
    }

    /** Waits for the second temporary manifest file (the first is the pending manifest's): the ready write. */
    private static boolean awaitReadyWrite(Path dir, Process process) throws Exception {
        try (WatchService watcher = dir.getFileSystem().newWatchService()) {
            dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
            int manifestWrites = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && process.isAlive()) {
                WatchKey key = watcher.poll(100, TimeUnit.MILLISECONDS);
                if (key == null) {
                    continue;
                }
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.context() instanceof Path file && file.toString().startsWith(".manifest.json.")
                            && ++manifestWrites == 2) {
                        return true;
                    }
                }
                key.reset();
            }
            return false;
        }
    }

    /** SIGKILL to the JVM (under strace, the tracee: killing strace would only detach it) and then the rest. */
    private static int kill(Process process) throws Exception {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        return process.exitValue();
    }

    private static boolean straceWorks() {
        try {
            List<String> probe = new ArrayList<>(SLOW_RENAME);
            probe.set(probe.size() - 1, "inject=rename,renameat,renameat2:delay_enter=1");
            probe.add("true");
            return new ProcessBuilder(probe).redirectErrorStream(true).start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void readersSeeTheOldOrTheNewManifestNeverAPartialOne() throws Exception {
        boolean slowRename = straceWorks();
        StringBuilder config = new StringBuilder("{\"secrets\": [");
        for (int i = 0; i < SECRETS; i++) {
            String value = SecretValues.next(16_000);
            moto.create("s" + i, value);
            versions.computeIfAbsent("s" + i, k -> ConcurrentHashMap.newKeySet()).add(value);
            config.append(i == 0 ? "" : ",").append("{\"name\":\"s").append(i).append("\",\"secretId\":\"")
                    .append(moto.name("s" + i)).append("\"}");
        }
        Path configFile = Files.writeString(tmp.resolve("config.json"), config.append("]}").toString());
        Path dir = tmp.resolve("secrets");
        assertEquals(0, prefetchHere(configFile, dir));

        AtomicBoolean reading = new AtomicBoolean(true);
        Thread reader = new Thread(() -> {
            while (reading.get()) {
                read(dir);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }, "manifest-reader");
        reader.start();
        int killedMidWrite = 0;
        try {
            for (int run = 1; run <= KILLS; run++) {
                String rotated = SecretValues.next(16_000);
                versions.get("s" + run).add(rotated);
                moto.update("s" + run, rotated);
                Process process = prefetch(configFile, dir, run, slowRename);
                boolean writing = awaitReadyWrite(dir, process);
                int status = kill(process);
                killedMidWrite += writing && status != 0 && !temporaryFiles(dir).isEmpty() ? 1 : 0;
                read(dir);
            }
        } finally {
            reading.set(false);
            reader.join();
        }
        assertTrue(readerProblems.isEmpty(),
                () -> readerProblems.size() + " bad reads, the first: " + readerProblems.get(0));
        assertTrue(wholeReads.get() > KILLS, "the reader read " + wholeReads.get() + " times");

        if (slowRename) {
            assertEquals(KILLS, killedMidWrite, "every kill landed between the temporary file and the rename");
        }
        assertEquals(0, prefetchHere(configFile, dir), "a run after the kills completes");
        assertEquals(List.of(), temporaryFiles(dir), "what the killed writers left behind is removed");
        Manifest last = ManifestFiles.read(dir).orElseThrow();
        assertEquals(Manifest.State.READY, last.state());
        assertEquals(SECRETS, last.secrets().size());
        read(dir);
        assertTrue(readerProblems.isEmpty(), readerProblems.toString());
    }

    private static List<String> temporaryFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".tmp")).toList();
        }
    }
}
