// SPDX-License-Identifier: Apache-2.0
/**
 * The client of Lambda's Extensions API: register, next event, init error.
 *
 * <p>Nothing here accepts or returns {@code null}; absent values are {@link java.util.Optional}.
 */
package dev.secretsprefetch.extension.lambda;
