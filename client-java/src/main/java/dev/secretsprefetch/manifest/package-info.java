// SPDX-License-Identifier: Apache-2.0
/**
 * The one Java model of the manifest that the extension writes and the clients read, as specified in
 * {@code docs/manifest.md}: {@link dev.secretsprefetch.manifest.Manifest}, its JSON form
 * ({@link dev.secretsprefetch.manifest.ManifestJson}) and its files, read by
 * {@link dev.secretsprefetch.manifest.ManifestFiles} and written by
 * {@link dev.secretsprefetch.manifest.ManifestFilesWriter}.
 *
 * <p>This package is shared by the client and the extension; it is not part of the supported public API of
 * the client, which is {@link dev.secretsprefetch.Secrets} alone. Nothing here accepts or returns
 * {@code null}; absent values are {@link java.util.Optional}.
 */
package dev.secretsprefetch.manifest;
