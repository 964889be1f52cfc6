// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.extension.JsonTree;
import dev.secretsprefetch.testing.Fixtures;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.ProxyConfiguration;
import uk.org.webcompere.systemstubs.environment.EnvironmentVariables;

/**
 * {@code fixtures/client-contract/proxies.json}: the extension routes every case as written there, and the AWS SDK
 * for Java v2's own classes route it the same way, or as the case's {@code sdk} says where the extension differs on
 * purpose (NO_PROXY entries as curl reads them, errors where the SDK ignores a value). A case whose {@code sdk}
 * note no longer holds, say once the SDK reads {@code .example.com} as a domain (aws/aws-sdk-java-v2#5573), fails
 * the second test: drop the note then.
 */
class ProxyRulesFixtureTest {

    private static final List<String> VARIABLES =
            List.of("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy");

    record Case(String name, Map<String, String> env, URI endpoint, String expected, Optional<String> sdk) {
        @Override
        public String toString() {
            return "\"" + name + "\"";
        }
    }

    @Test
    void theExtensionRoutesEveryCaseAsTheFixtureSays() throws Exception {
        List<String> wrong = new ArrayList<>();
        List<Case> cases = cases();
        for (Case c : cases) {
            String outcome = extension(c);
            if (!outcome.equals(c.expected())) {
                wrong.add(c + ": expected " + c.expected() + ", got " + outcome);
            }
        }
        assertEquals(List.of(), wrong, wrong.size() + " of " + cases.size() + " cases");
    }

    @Test
    void theAwsSdkForJavaRoutesEveryCaseTheSameWayOrAsNoted() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Case c : cases()) {
            String expected = c.sdk().orElse(c.expected().startsWith("error ") ? "error" : c.expected());
            String outcome = sdk(c);
            if (!outcome.equals(expected)) {
                wrong.add(c + ": the fixture says the SDK gives " + expected + ", it gives " + outcome);
            }
        }
        assertEquals(List.of(), wrong);
    }

    /** {@code direct}, {@code host:port}, or {@code error VARIABLE} (the first word of the error message). */
    private static String extension(Case c) {
        try {
            return ProxySettings.from(c.env(), c.endpoint().getScheme()).proxyFor(c.endpoint())
                    .map(proxy -> hostAndPort((InetSocketAddress) proxy.address())).orElse("direct");
        } catch (ConfigException e) {
            assertTrue(!e.getMessage().contains("spv-"), () -> c + ": the error repeats a value");
            return "error " + e.getMessage().split(" ", 2)[0];
        }
    }

    /** What the SDK's url-connection client does, its proxy scheme set to the endpoint's. */
    private static String sdk(Case c) throws Exception {
        EnvironmentVariables env = new EnvironmentVariables();
        // system-stubs applies removals after settings: remove only what the case does not set.
        VARIABLES.stream().filter(name -> !c.env().containsKey(name)).forEach(env::remove);
        c.env().forEach(env::set);
        return env.execute(() -> {
            ProxyConfiguration proxy = ProxyConfiguration.builder().scheme(c.endpoint().getScheme())
                    .useSystemPropertyValues(false).useEnvironmentVariablesValues(true).build();
            if (proxy.host() == null) {
                return "direct";
            }
            // UrlConnectionHttpClient.determineProxy: the host against every entry, then the proxy's address.
            String host = c.endpoint().getHost().toLowerCase(Locale.ROOT);
            try {
                if (proxy.nonProxyHosts().stream().anyMatch(host::matches)) {
                    return "direct";
                }
                return hostAndPort(InetSocketAddress.createUnresolved(proxy.host(), proxy.port()));
            } catch (IllegalArgumentException e) { // PatternSyntaxException, or a port out of range
                return "error";
            }
        });
    }

    private static String hostAndPort(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    @SuppressWarnings("unchecked")
    static List<Case> cases() throws Exception {
        Map<String, Object> fixture = JsonTree.object(Files.readAllBytes(
                Fixtures.root().resolve("client-contract").resolve("proxies.json")));
        List<Case> cases = new ArrayList<>();
        for (Object item : JsonTree.list(fixture.get("cases"))) {
            Map<String, Object> c = (Map<String, Object>) item;
            Map<String, String> env = new LinkedHashMap<>();
            ((Map<String, Object>) c.get("env")).forEach((k, v) -> env.put(k, (String) v));
            String expected = c.containsKey("error") ? "error " + c.get("error") : (String) c.get("route");
            cases.add(new Case((String) c.get("case"), env, URI.create((String) c.get("endpoint")), expected,
                    Optional.ofNullable((String) c.get("sdk"))));
        }
        assertTrue(cases.size() > 80, "the fixture has " + cases.size() + " cases");
        return cases;
    }
}
