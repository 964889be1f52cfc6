// SPDX-License-Identifier: Apache-2.0
/**
 * The Lambda extension that prefetches secrets and SSM parameters into the manifest ({@code docs/manifest.md}):
 * the lifecycle, fetch rounds, refresh and the one-shot {@code prefetch} command, over the packages
 * {@code config}, {@code aws}, {@code lambda} and {@code publish} (CONTRIBUTING.md has the map). Here only
 * {@link dev.secretsprefetch.extension.Main} is public; below, what the packages above them use.
 *
 * <p>Nothing here accepts or returns {@code null}; absent values are {@link java.util.Optional}.
 */
package dev.secretsprefetch.extension;
