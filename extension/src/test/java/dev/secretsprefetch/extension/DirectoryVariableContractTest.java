// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.extension.config.ConfigException;
import dev.secretsprefetch.extension.config.ConfigLoader;
import dev.secretsprefetch.manifest.EnvironmentVariables;
import dev.secretsprefetch.manifest.JsonValue;
import dev.secretsprefetch.manifest.ManifestFiles;
import dev.secretsprefetch.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The extension writes the manifest where the clients read it: it reads SECRETS_PREFETCH_DIR as
 * fixtures/client-contract/settings.json says (trimmed, absolute), and a value the clients would refuse fails the
 * init as a configuration error naming the variable.
 */
class DirectoryVariableContractTest {

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> theDirectoryIsReadAsTheClientsReadIt() throws Exception {
        char[] settings = Files.readString(Fixtures.root().resolve("client-contract").resolve("settings.json"),
                StandardCharsets.UTF_8).toCharArray();
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonValue c : JsonValue.parse(settings).members().get("cases").items()) {
            Map<String, JsonValue> fields = c.members();
            Map<String, String> env = new HashMap<>();
            fields.get("env").members().forEach((name, value) -> env.put(name, value.string()));
            boolean aboutTheDirectory = fields.containsKey("manifest") || (fields.containsKey("error")
                    && fields.get("error").string().equals(EnvironmentVariables.DIR));
            if (aboutTheDirectory && !env.containsKey(EnvironmentVariables.WAIT_MS)) {
                tests.add(DynamicTest.dynamicTest(fields.get("case").string(), () -> check(env, fields)));
            }
        }
        return tests.stream();
    }

    private void check(Map<String, String> caseEnv, Map<String, JsonValue> expected) throws Exception {
        Map<String, String> env = new HashMap<>(caseEnv);
        env.put(EnvironmentVariables.SECRETS, "db=prod/db");
        ConfigLoader loader = new ConfigLoader(tmp.resolve("no-such-config.json"));
        if (expected.containsKey("error")) {
            String message = assertThrows(ConfigException.class, () -> loader.load(env)).getMessage();
            assertTrue(message.startsWith(EnvironmentVariables.DIR + " must be an absolute path"), message);
        } else {
            assertEquals(expected.get("manifest").string(),
                    loader.load(env).directory().resolve(ManifestFiles.MANIFEST_FILE).toString());
        }
    }

    @Test
    void aRelativeDirectoryFailsTheInitAsConfigInvalidNamingTheVariable() {
        try (FakeExtensionsApi api = new FakeExtensionsApi()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int status = Main.runExtension(Map.of("AWS_LAMBDA_RUNTIME_API", api.runtimeApi(),
                    EnvironmentVariables.SECRETS, "db=prod/db", EnvironmentVariables.DIR, "sp-dir"), "layer",
                    new ConfigLoader(tmp.resolve("no-such-config.json")), new PrintStream(out, true, StandardCharsets.UTF_8));

            assertEquals(1, status);
            assertEquals(Extension.CONFIG_INVALID, api.errors.get(0).errorType());
            String body = api.errors.get(0).body();
            assertTrue(body.contains("SECRETS_PREFETCH_DIR must be an absolute path, such as /tmp/secrets-prefetch; "
                    + "was \\\"sp-dir\\\": make it absolute or unset it"), body);
            assertFalse(Files.exists(Path.of("sp-dir")), "nothing was written");
        }
    }
}
