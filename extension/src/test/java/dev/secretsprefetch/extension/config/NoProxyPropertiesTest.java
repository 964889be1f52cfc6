// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * {@link NoProxy} beyond the fixture's cases: any value is entries or an error naming the variable, and domains and
 * address ranges match exactly what a plain model of the rule says. QuickTheories shrinks a failing example; its
 * report ends with {@code Seed was N}: {@code -DQT_SEED=N} replays it.
 */
class NoProxyPropertiesTest {

    private static final List<URI> ENDPOINTS = List.of(URI.create("https://secretsmanager.eu-west-1.amazonaws.com"),
            URI.create("http://127.0.0.1:4566"), URI.create("http://[fd00::1]:8080"), URI.create("http://localhost"));

    /** Labels from a small alphabet, so that generated hosts and domains often share them. */
    private static final Gen<String> LABEL = Generate.pick(List.of("a", "b", "ab", "x-1", "aws", "com"));

    private static Gen<List<String>> labels(int min, int max) {
        return lists().of(LABEL).ofSizeBetween(min, max);
    }

    @Test
    void anyValueIsEntriesOrAnErrorNamingTheVariableAndTheFix() {
        Gen<String> alphabet = strings().betweenCodePoints(0x20, 0x7e).ofLengthBetween(0, 30);
        Gen<String> hostish = lists().of(Generate.pick(List.of("a", ".", "*", ":", "[", "]", "/", "1", "0", "f",
                ",", "|", " ", "9", "-", "_", "\t"))).ofSizeBetween(0, 20).map(parts -> String.join("", parts));
        qt().forAll(Generate.oneOf(alphabet, hostish)).checkAssert(value -> {
            NoProxy noProxy;
            try {
                noProxy = NoProxy.parse("no_proxy", value);
            } catch (ConfigException e) {
                assertTrue(e.getMessage().startsWith("no_proxy entry \""), e.getMessage());
                assertTrue(e.getMessage().endsWith("separated by commas; or * alone"), e.getMessage());
                return;
            }
            ENDPOINTS.forEach(noProxy::bypasses);
        });
    }

    @Test
    void aDomainCoversItselfAndTheHostsUnderItAndNothingElse() {
        qt().forAll(labels(1, 5), labels(1, 3), booleans().all(), booleans().all())
                .checkAssert((host, domain, leadingDot, upperCase) -> {
                    String h = String.join(".", host);
                    String d = String.join(".", domain);
                    String entry = (leadingDot ? "." : "") + (upperCase ? d.toUpperCase(Locale.ROOT) : d);
                    boolean expected = h.equals(d) || h.endsWith("." + d);
                    assertEquals(expected, bypasses(entry, "https://" + h), () -> entry + " for " + h);
                    // *.domain: the hosts under it only.
                    assertEquals(h.endsWith("." + d), bypasses("*." + d, "https://" + h),
                            () -> "*." + d + " for " + h);
                });
    }

    @Test
    void anAddressRangeCoversExactlyTheAddressesThatShareItsPrefix() {
        qt().forAll(integers().all(), integers().all(), integers().between(0, 32))
                .checkAssert((address, network, bits) -> {
                    int mask = bits == 0 ? 0 : -1 << (32 - bits);
                    boolean expected = (address & mask) == (network & mask);
                    String entry = dotted(network) + "/" + bits;
                    assertEquals(expected, bypasses(entry, "http://" + dotted(address) + ":4566"),
                            () -> entry + " for " + dotted(address));
                });
    }

    private static boolean bypasses(String entry, String endpoint) {
        try {
            Map<String, String> env =
                    Map.of("HTTPS_PROXY", "proxy:3128", "HTTP_PROXY", "proxy:3128", "NO_PROXY", entry);
            return ProxySettings.from(env, URI.create(endpoint).getScheme()).proxyFor(URI.create(endpoint)).isEmpty();
        } catch (ConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private static String dotted(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "."
                + (address & 0xff);
    }
}
