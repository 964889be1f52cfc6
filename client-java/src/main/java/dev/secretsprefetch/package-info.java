// SPDX-License-Identifier: Apache-2.0
/**
 * Secrets for Lambda handlers, prefetched by the secrets-prefetch extension: {@link dev.secretsprefetch.Secrets}
 * is the whole API, {@link dev.secretsprefetch.SecretsException} its one exception.
 *
 * <p>Nothing in this package accepts or returns {@code null}: arguments are checked, and a secret that cannot
 * be returned is reported by a {@link dev.secretsprefetch.SecretsException} naming it, never by {@code null}.
 */
package dev.secretsprefetch;
