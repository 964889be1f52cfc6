// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import java.nio.file.Path;
import org.graalvm.nativeimage.ProcessProperties;

/**
 * What only a native executable knows about itself. The one class that touches GraalVM's API, and only when
 * {@link #running()} says so: on the JVM the API is not on the class path (it is a compile-time dependency).
 */
final class NativeExecutable {

    /** GraalVM sets it to {@code runtime} in a native executable ({@code ImageInfo.PROPERTY_IMAGE_CODE_KEY}). */
    private static final String IMAGE_CODE_PROPERTY = "org.graalvm.nativeimage.imagecode";

    private NativeExecutable() {
    }

    /** Whether this process is the native executable rather than a JVM. */
    static boolean running() {
        return "runtime".equals(System.getProperty(IMAGE_CODE_PROPERTY));
    }

    /**
     * The file name the executable was started as ({@code argv[0]}'s last element), which Lambda requires as the
     * extension's registered name; empty when {@code argv[0]} has none.
     */
    static String fileName() {
        String program = ProcessProperties.getArgumentVectorProgramName();
        Path name = program == null || program.isBlank() ? null : Path.of(program).getFileName();
        return name == null ? "" : name.toString();
    }
}
