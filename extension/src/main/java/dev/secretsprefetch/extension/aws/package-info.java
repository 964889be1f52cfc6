// SPDX-License-Identifier: Apache-2.0
/**
 * The extension's AWS calls: one signed-call path ({@link dev.secretsprefetch.extension.aws.SignedCalls}: SigV4,
 * endpoint rules, proxy, TLS, service errors) with one retry policy, and its two users, Secrets Manager and SSM.
 *
 * <p>Nothing here accepts or returns {@code null}; absent values are {@link java.util.Optional}.
 */
package dev.secretsprefetch.extension.aws;
