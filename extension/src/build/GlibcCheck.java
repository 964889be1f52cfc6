// SPDX-License-Identifier: Apache-2.0
/*
 * Build check, not shipped: the native executable must load on Lambda's Amazon Linux 2023 runtimes, whose glibc
 * is 2.34. An executable linked on a newer system records the version of every glibc symbol it uses; one newer
 * than that would stop the extension before main ("version `GLIBC_2.xx' not found"), and the function's init with it.
 *
 *   java src/build/GlibcCheck.java EXECUTABLE MAX_VERSION      (reads `objdump -T`; binutils)
 */

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class GlibcCheck {

    private static final Pattern SYMBOL = Pattern.compile("\\(?GLIBC_([0-9]+(?:\\.[0-9]+)*)\\)?\\s+(\\S+)\\s*$");
    private static final Comparator<String> BY_VERSION = (a, b) -> Arrays.compare(parts(a), parts(b));

    public static void main(String[] args) throws IOException, InterruptedException {
        String executable = args[0];
        String max = args[1];
        String dump = objdump(executable);
        TreeSet<String> versions = new TreeSet<>(BY_VERSION);
        TreeSet<String> tooNew = new TreeSet<>();
        for (String line : dump.split("\n")) {
            Matcher m = SYMBOL.matcher(line.trim());
            if (m.find()) {
                versions.add(m.group(1));
                if (BY_VERSION.compare(m.group(1), max) > 0) {
                    tooNew.add(m.group(2) + "@GLIBC_" + m.group(1));
                }
            }
        }
        if (versions.isEmpty()) {
            fail(executable + " needs no versioned glibc symbol at all according to objdump -T: that is not the "
                    + "dynamically linked executable native-image makes; check the build output above");
        }
        if (!tooNew.isEmpty()) {
            fail(executable + " needs glibc symbols newer than " + max + " (Lambda's Amazon Linux 2023 runtimes): "
                    + String.join(", ", tooNew) + ". The executable links against the build machine's glibc, and a "
                    + "symbol it uses is newer there: build on a system with an older glibc (Amazon Linux 2023 itself) "
                    + "or drop what needs the symbol (docs/layers.md)");
        }
        System.out.println("[glibc] " + executable + ": highest glibc symbol version " + versions.last()
                + " (at most " + max + ")");
    }

    private static String objdump(String executable) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(List.of("objdump", "-T", executable)).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("cannot run objdump (" + e.getMessage() + "): install binutils, which the native-image toolchain "
                    + "needs anyway (apt-get install binutils)");
            throw e;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            fail("objdump -T " + executable + " failed:\n" + output);
        }
        return output;
    }

    private static int[] parts(String version) {
        return Arrays.stream(version.split("\\.")).mapToInt(Integer::parseInt).toArray();
    }

    private static void fail(String message) {
        System.err.println("[glibc] " + message);
        System.exit(1);
    }
}
