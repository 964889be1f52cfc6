// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the errors say; which call goes through which proxy is {@code ProxyRulesFixtureTest}'s (the shared fixture,
 * held against the AWS SDK's own classes).
 */
class ProxySettingsTest {

    private static final URI SECRETS_MANAGER = URI.create("https://secretsmanager.eu-west-1.amazonaws.com");

    @Test
    void proxyCredentialsFailInitWithoutBeingEchoed() {
        ConfigException e = assertThrows(ConfigException.class, () -> ProxySettings.from(
                Map.of("HTTPS_PROXY", "http://user:spv-proxy-password-Pp01@proxy:3128"), "https"));
        assertTrue(e.getMessage().startsWith("HTTPS_PROXY carries credentials"), e.getMessage());
        assertFalse(e.getMessage().contains("spv-"), "the value was echoed");
    }

    @Test
    void eachMalformedProxyGetsItsOwnMessageNamingTheVariableRead() {
        assertEquals("https_proxy has no port; write http://host:port", message("https_proxy", "proxy.internal"));
        assertEquals("HTTPS_PROXY has a port that is not a number from 1 to 65535; write http://host:port",
                message("HTTPS_PROXY", "http://proxy.internal:65536"));
        assertEquals("HTTPS_PROXY is not an http:// proxy URL (the extension speaks to HTTP proxies only, not SOCKS); "
                + "write http://host:port", message("HTTPS_PROXY", "socks5h://proxy.internal:1080"));
        assertEquals("HTTPS_PROXY is not a proxy URL with a host name; write http://host:port",
                message("HTTPS_PROXY", "http://:3128"));
    }

    @Test
    void aNoProxyEntryThatIsNoHostNameIsNamedWithTheFix() {
        String forms = "; write host names (example.com, .example.com, *.example.com), addresses (10.0.0.1, fd00::1) "
                + "or ranges (10.0.0.0/8), each with an optional :port, separated by commas; or * alone";
        assertEquals("no_proxy entry \"*.internal)\" is not a host name, address or address range" + forms,
                noProxyMessage("no_proxy", "localhost, *.Internal)"));
        assertEquals("NO_PROXY entry \"localhost 127.0.0.1\" is not a host name, address or address range" + forms,
                noProxyMessage("NO_PROXY", "localhost 127.0.0.1"));
        assertEquals("NO_PROXY entry \"localhost:99999\" has a port that is not a number from 1 to 65535" + forms,
                noProxyMessage("NO_PROXY", "localhost:99999"));
        assertEquals("NO_PROXY entry \"fd00::/129\" is an address range whose prefix length is not a number from 0 "
                + "to 128" + forms, noProxyMessage("NO_PROXY", "fd00::/129"));
    }

    @Test
    void anEndpointOverrideOverHttpTakesHttpProxy() throws Exception {
        Environment environment = Environment.from(Map.of("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:4566",
                "AWS_ENDPOINT_URL_SSM", "http://127.0.0.1:4566", "HTTP_PROXY", "http://plain.internal:8080",
                "HTTPS_PROXY", "socks5://ignored.internal:1080"));
        assertEquals("plain.internal:8080", environment.proxies("http").proxy().orElseThrow().getHostString()
                + ":" + environment.proxies("http").proxy().orElseThrow().getPort());
        assertTrue(Environment.from(Map.of("HTTPS_PROXY", "http://proxy.internal:3128",
                "NO_PROXY", "*.amazonaws.com")).proxies("https").proxyFor(SECRETS_MANAGER)
                .isEmpty());
    }

    private static String noProxyMessage(String name, String value) {
        return assertThrows(ConfigException.class, () -> ProxySettings.from(
                Map.of("HTTPS_PROXY", "proxy:3128", name, value), "https")).getMessage();
    }

    private static String message(String name, String value) {
        return assertThrows(ConfigException.class, () -> ProxySettings.from(Map.of(name, value), "https"))
                .getMessage();
    }
}
