// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lambda's shutdown phase: SIGTERM to the runtime, a SHUTDOWN event with a deadline to every extension that
 * registered for it, and SIGKILL (to the whole process tree) for whatever is still running at the deadline.
 */
final class Shutdown {

    private final Lifecycle lifecycle;
    private final List<FunctionProcess> processes = new ArrayList<>();
    private final FunctionProcess runtime;
    private final Duration deadline;
    private final Map<FunctionProcess, Long> exitNanos = new ConcurrentHashMap<>();

    Shutdown(Lifecycle lifecycle, FunctionProcess runtime, Collection<FunctionProcess> extensions, Duration deadline) {
        this.lifecycle = lifecycle;
        this.runtime = runtime;
        this.processes.addAll(extensions);
        if (runtime != null) {
            this.processes.add(runtime);
        }
        this.deadline = deadline;
    }

    ShutdownReport run(String reason) throws InterruptedException {
        long start = System.nanoTime();
        for (FunctionProcess process : processes) {
            process.onExit(() -> {
                exitNanos.putIfAbsent(process, System.nanoTime());
                lifecycle.wake();
            });
        }
        if (runtime != null) {
            runtime.terminate();
        }
        long deadlineNanos = start + deadline.toNanos();
        lifecycle.sendShutdown(reason, System.currentTimeMillis() + deadline.toMillis());
        lifecycle.await(() -> processes.stream().noneMatch(FunctionProcess::isAlive), deadlineNanos);
        List<FunctionProcess> killed = new ArrayList<>();
        for (FunctionProcess process : processes) {
            if (process.isAlive()) {
                process.kill();
                killed.add(process);
            }
        }
        List<ShutdownReport.ProcessEnd> ends = new ArrayList<>();
        for (FunctionProcess process : processes) {
            process.awaitExit(Duration.ofSeconds(5).toNanos());
            long exitedAt = exitNanos.getOrDefault(process, System.nanoTime());
            ends.add(new ShutdownReport.ProcessEnd(process.name(), process.kind(), process.exitCode(),
                    killed.contains(process), Duration.ofNanos(Math.max(0, exitedAt - start))));
        }
        lifecycle.close();
        return new ShutdownReport(reason, ends);
    }
}
