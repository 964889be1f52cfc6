// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How the execution environment's processes ended at shutdown.
 *
 * @param reason the {@code shutdownReason} sent to extensions: spindown, timeout or failure
 * @param processes every process, in start order
 */
record ShutdownReport(String reason, List<ProcessEnd> processes) {

    /**
     * @param name the extension's executable name, or "runtime"
     * @param kind extension or runtime
     * @param exitCode the exit code (for a killed process, what the kill produced)
     * @param killed whether it outlived the deadline and was killed
     * @param untilExit from the start of shutdown until it was gone
     */
    record ProcessEnd(String name, FunctionProcess.Kind kind, OptionalInt exitCode, boolean killed,
            Duration untilExit) {
    }

    ShutdownReport {
        processes = List.copyOf(processes);
    }

    Optional<ProcessEnd> process(String name) {
        return processes.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    List<String> killed() {
        return processes.stream().filter(ProcessEnd::killed).map(ProcessEnd::name).toList();
    }
}
