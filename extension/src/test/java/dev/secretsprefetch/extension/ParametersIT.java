// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import java.nio.file.Path;

/**
 * The SSM parameter cases of {@link ParametersTest} through the layer's {@code extensions/secrets-prefetch}: the
 * native executable (the JVM layer's launcher with {@code -DskipNativeBuild}), so that the SSM path's reachability
 * metadata is recorded and checked too.
 */
class ParametersIT extends ParametersTest {

    @Override
    ExtensionHarness harness(Path dir) {
        return ExtensionHarness.running(Layers.extensionUnderTest(), dir);
    }
}
