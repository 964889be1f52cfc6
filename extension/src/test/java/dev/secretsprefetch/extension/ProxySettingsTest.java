package dev.secretsprefetch.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** HTTPS_PROXY, HTTP_PROXY and NO_PROXY as the AWS SDKs read them. */
class ProxySettingsTest {

    private static final URI SECRETS_MANAGER = URI.create("https://secretsmanager.eu-west-1.amazonaws.com");

    @Test
    void httpsEndpointsUseHttpsProxyAndHttpOnesHttpProxy() throws Exception {
        ProxySettings proxies = ProxySettings.from(Map.of("HTTPS_PROXY", "http://proxy.internal:3128",
                "http_proxy", "plain.internal:8080"));
        assertEquals(Optional.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("proxy.internal",
                3128))), proxies.proxyFor(SECRETS_MANAGER));
        assertEquals(Optional.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("plain.internal",
                8080))), proxies.proxyFor(URI.create("http://127.0.0.1:4566")));
        assertTrue(ProxySettings.from(Map.of()).proxyFor(SECRETS_MANAGER).isEmpty());
    }

    @Test
    void noProxyMatchesHostsAndDomainSuffixes() throws Exception {
        for (String noProxy : new String[] {"amazonaws.com", ".amazonaws.com", "other, secretsmanager.eu-west-1"
                + ".amazonaws.com", "*"}) {
            ProxySettings proxies = ProxySettings.from(Map.of("HTTPS_PROXY", "proxy:3128", "NO_PROXY", noProxy));
            assertTrue(proxies.proxyFor(SECRETS_MANAGER).isEmpty(), noProxy);
        }
        ProxySettings proxies = ProxySettings.from(Map.of("HTTPS_PROXY", "proxy:3128", "NO_PROXY", "zonaws.com"));
        assertFalse(proxies.proxyFor(SECRETS_MANAGER).isEmpty(), "a suffix matches whole labels only");
    }

    @Test
    void proxyCredentialsFailInitWithoutBeingEchoed() {
        ConfigException e = assertThrows(ConfigException.class, () -> ProxySettings.from(
                Map.of("HTTPS_PROXY", "http://user:spv-proxy-password-Pp01@proxy:3128")));
        assertTrue(e.getMessage().startsWith("HTTPS_PROXY carries credentials"), e.getMessage());
        assertFalse(e.getMessage().contains("spv-"), "the value was echoed");
        ConfigException port = assertThrows(ConfigException.class,
                () -> ProxySettings.from(Map.of("HTTPS_PROXY", "proxy.internal")));
        assertEquals("HTTPS_PROXY is not a proxy URL with a host and a port; write http://host:port",
                port.getMessage());
    }
}
