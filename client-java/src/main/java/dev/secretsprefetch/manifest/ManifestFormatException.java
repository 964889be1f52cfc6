// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.manifest;

/**
 * A manifest file exists but cannot be used: it is not JSON, is truncated, has fields of the wrong type, or
 * has a format version this reader does not know. Readers treat such a manifest as absent. The message names
 * the problem, never the file's content.
 */
public final class ManifestFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean unknownVersion;

    ManifestFormatException(String message, boolean unknownVersion, Throwable cause) {
        super(message, cause);
        this.unknownVersion = unknownVersion;
    }

    static ManifestFormatException corrupt(String message) {
        return new ManifestFormatException(message, false, null);
    }

    static ManifestFormatException corrupt(String message, Throwable cause) {
        return new ManifestFormatException(message, false, cause);
    }

    static ManifestFormatException unknownVersion(long version) {
        return new ManifestFormatException("manifest formatVersion " + version + " is not supported (this reader knows "
                + Manifest.FORMAT_VERSION + "); upgrade the client to match the extension layer", true, null);
    }

    /** Whether the file is well-formed but of a format version this reader does not know. */
    public boolean unknownVersion() {
        return unknownVersion;
    }
}
