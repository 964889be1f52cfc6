// SPDX-License-Identifier: Apache-2.0
/**
 * Fake secrets for unit tests of handlers that use {@link dev.secretsprefetch.Secrets}:
 * {@link dev.secretsprefetch.test.FakeSecrets} declares them and opens a scope in which the client serves them
 * from a real manifest without any AWS call; {@link dev.secretsprefetch.test.FakeSecretsExtension} does it around
 * every test of a JUnit 5 class. Add {@code secrets-prefetch-testing} to the test scope of your build only.
 *
 * <p>Nothing in this package accepts or returns {@code null}, and nothing prints a secret value.
 */
package dev.secretsprefetch.test;
