// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.test;

import static dev.secretsprefetch.test.Fingerprints.assertSameBytes;
import static dev.secretsprefetch.test.Fingerprints.assertSameValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.SecretsException.Reason;
import dev.secretsprefetch.manifest.Manifest;
import dev.secretsprefetch.manifest.ManifestFiles;
import dev.secretsprefetch.manifest.SecretValue;
import dev.secretsprefetch.testing.FakeValues;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.org.webcompere.systemstubs.environment.EnvironmentVariables;
import uk.org.webcompere.systemstubs.jupiter.SystemStub;
import uk.org.webcompere.systemstubs.jupiter.SystemStubsExtension;

/** The manifest of fake secrets is a real one, written as the extension writes it, and gone afterwards. */
@ExtendWith(SystemStubsExtension.class)
class ManifestDirectoryTest {

    private static final String API_KEY = "fixture-dir-api-key-spv-D1rk";
    private static final byte[] KEY = FakeValues.binary(7, 7);

    private static final FakeSecrets SECRETS = FakeSecrets.builder()
            .string("api-key", API_KEY)
            .binary("key", KEY)
            .failing("gone", Reason.NOT_FOUND)
            .build();

    @SystemStub
    private EnvironmentVariables environment = new EnvironmentVariables();

    @Test
    void theManifestIsAReadyOneTheClientsReaderAcceptsWithOwnerOnlyModes() throws Exception {
        try (ManifestDirectory directory = ManifestDirectory.write(SECRETS.entries())) {
            Manifest manifest = ManifestFiles.read(directory.path()).orElseThrow();

            assertEquals(Manifest.State.READY, manifest.state());
            assertEquals(3, manifest.secrets().size());
            assertSameValue(API_KEY, ((SecretValue.Text) manifest.secrets().get("api-key").value()).value(), "api-key");
            assertSameBytes(KEY, ((SecretValue.Binary) manifest.secrets().get("key").value()).bytes(), "key");
            SecretValue.Failure gone = assertInstanceOf(SecretValue.Failure.class, manifest.secrets().get("gone").value());
            assertEquals("ResourceNotFoundException", gone.code(), "the code the extension writes for NOT_FOUND");
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.path())));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    directory.path().resolve(ManifestFiles.MANIFEST_FILE))));
            assertTrue(directory.path().startsWith(Path.of(System.getProperty("java.io.tmpdir"))),
                    "under java.io.tmpdir, never in the build's output");
        }
    }

    @Test
    void closingRemovesTheDirectoryAndTheValuesInIt() {
        ManifestDirectory directory = ManifestDirectory.write(SECRETS.entries());
        Path path = directory.path();

        directory.close();

        assertFalse(Files.exists(path.getParent()));
    }

    @Test
    void insideALambdaFunctionFakesAreRefused() {
        environment.set("AWS_LAMBDA_FUNCTION_NAME", "orders");

        IllegalStateException e = assertThrows(IllegalStateException.class, SECRETS::open);

        assertTrue(e.getMessage().contains("refuse to run inside a Lambda function (AWS_LAMBDA_FUNCTION_NAME is set)"),
                e.getMessage());
    }
}
