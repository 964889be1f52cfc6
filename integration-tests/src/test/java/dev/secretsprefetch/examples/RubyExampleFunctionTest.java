// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the example Ruby function's unit tests ({@code src/test/ruby/secrets_handler_test.rb}, minitest with
 * secrets_prefetch/testing) in the build, as its Java twin's run. Ruby and minitest are prerequisites of the
 * build (the Ruby shim's own tests need them too).
 */
class RubyExampleFunctionTest {

    @Test
    void theExampleRubyFunctionsUnitTestsPass() throws IOException, InterruptedException {
        Path module = Path.of("").toAbsolutePath();
        Path shim = module.resolveSibling("client-ruby-shim");
        ProcessBuilder builder = new ProcessBuilder("ruby", "-w", "-I", shim.resolve("lib").toString(), "-I",
                shim.resolve("testing/lib").toString(), module.resolve("src/test/ruby/secrets_handler_test.rb")
                .toString()).redirectErrorStream(true);
        builder.environment().remove("RUBYOPT");
        Process ruby = builder.start();
        String output = new String(ruby.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ruby.waitFor(120, TimeUnit.SECONDS), "the Ruby tests did not finish");
        System.out.println(output); // into the test report, which the hygiene scan reads
        assertEquals(0, ruby.exitValue(), output);
        assertTrue(output.contains("3 runs") && output.contains("0 failures, 0 errors"), output);
    }
}
