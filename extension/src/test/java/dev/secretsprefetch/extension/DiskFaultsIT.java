// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import java.nio.file.Path;

/**
 * Every disk fault of docs/reliability.md, as {@link DiskFaultsTest} has them, through the layer's
 * {@code extensions/secrets-prefetch}: the native executable (the JVM layer's launcher with
 * {@code -DskipNativeBuild}).
 */
class DiskFaultsIT extends DiskFaultsTest {

    @Override
    ExtensionHarness harness(Path dir) {
        return ExtensionHarness.running(Layers.extensionUnderTest(), dir);
    }
}
