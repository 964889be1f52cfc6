// SPDX-License-Identifier: Apache-2.0
/**
 * The extension's output: the secrets directory, the manifest (through {@code dev.secretsprefetch.manifest}) and
 * the per-entry files.
 *
 * <p>Nothing here accepts or returns {@code null}; absent values are {@link java.util.Optional}.
 */
package dev.secretsprefetch.extension.publish;
