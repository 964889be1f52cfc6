// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import java.nio.file.Path;

/**
 * Every Secrets Manager fault of docs/reliability.md, as {@link SecretsManagerFaultsTest} has them, through the
 * layer's {@code extensions/secrets-prefetch}: the native executable (the JVM layer's launcher with
 * {@code -DskipNativeBuild}).
 */
class SecretsManagerFaultsIT extends SecretsManagerFaultsTest {

    @Override
    ExtensionHarness harness(Path dir) {
        return ExtensionHarness.running(Layers.extensionUnderTest(), dir);
    }
}
