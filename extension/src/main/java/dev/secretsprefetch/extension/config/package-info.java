// SPDX-License-Identifier: Apache-2.0
/**
 * The extension's configuration, parsed once at start-up into immutable values: the file or
 * {@code SECRETS_PREFETCH_SECRETS} into a {@link dev.secretsprefetch.extension.config.Config} of secrets and SSM
 * parameters, and the rest of the process environment into an
 * {@link dev.secretsprefetch.extension.config.Environment} ({@code docs/configuration.md}). Depends on no other
 * package of the extension.
 *
 * <p>Nothing here accepts or returns {@code null}; absent values are {@link java.util.Optional}.
 */
package dev.secretsprefetch.extension.config;
