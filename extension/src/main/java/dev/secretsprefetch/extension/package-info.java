/**
 * The Lambda extension that prefetches secrets into the manifest ({@code docs/manifest.md}): configuration
 * ({@code docs/configuration.md}), the Extensions API client, the batched fetch, refresh, and the one-shot
 * {@code prefetch} command. Only {@link dev.secretsprefetch.extension.Main} is public.
 *
 * <p>Nothing here accepts or returns {@code null}; absent values are {@link java.util.Optional}.
 */
package dev.secretsprefetch.extension;
