package dev.secretsprefetch.extension;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The proxies the AWS SDKs take from the environment, for the extension's Secrets Manager calls:
 * {@code HTTPS_PROXY} for https endpoints, {@code HTTP_PROXY} for http ones (either in lower case too), and
 * {@code NO_PROXY}, a comma-separated list of hosts and domain suffixes ({@code .internal} or {@code internal}),
 * or {@code *}, that go direct. A proxy is {@code host:port} or {@code http://host:port}; the JDK tunnels https
 * through it with CONNECT. Proxy credentials are not supported: the JDK will not send Basic credentials to a
 * tunnelling proxy, so a proxy URL with a user fails init rather than every call.
 *
 * @param https the proxy for https endpoints
 * @param http the proxy for http endpoints
 * @param noProxy hosts and domain suffixes that go direct, in lower case
 */
record ProxySettings(Optional<InetSocketAddress> https, Optional<InetSocketAddress> http, List<String> noProxy) {

    static ProxySettings from(Map<String, String> env) throws ConfigException {
        return new ProxySettings(proxy(env, "HTTPS_PROXY"), proxy(env, "HTTP_PROXY"),
                Environment.value(env, "NO_PROXY").map(v -> List.of(v.toLowerCase(Locale.ROOT).split("\\s*,\\s*")))
                        .orElse(List.of()).stream().filter(h -> !h.isBlank()).toList());
    }

    /** The proxy for a call to {@code endpoint}, if one applies. */
    Optional<Proxy> proxyFor(URI endpoint) {
        Optional<InetSocketAddress> proxy = "https".equalsIgnoreCase(endpoint.getScheme()) ? https : http;
        if (proxy.isEmpty() || bypasses(endpoint.getHost())) {
            return Optional.empty();
        }
        return Optional.of(new Proxy(Proxy.Type.HTTP, proxy.get()));
    }

    private boolean bypasses(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        for (String entry : noProxy) {
            String suffix = entry.startsWith(".") ? entry.substring(1) : entry;
            if (entry.equals("*") || name.equals(suffix) || name.endsWith("." + suffix)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<InetSocketAddress> proxy(Map<String, String> env, String name) throws ConfigException {
        Optional<String> value = Environment.value(env, name)
                .or(() -> Environment.value(env, name.toLowerCase(Locale.ROOT)));
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String text = value.get();
        URI uri;
        try {
            uri = URI.create(text.contains("://") ? text : "http://" + text);
        } catch (IllegalArgumentException e) {
            // The value is not echoed: a proxy URL can carry credentials.
            throw new ConfigException(name + " is not a proxy URL; write http://host:port");
        }
        if (uri.getRawUserInfo() != null) {
            throw new ConfigException(name + " carries credentials, which the extension cannot send to a proxy: "
                    + "use a proxy that admits the function by its address, or a VPC endpoint for Secrets Manager");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getPort() <= 0) {
            throw new ConfigException(name + " is not a proxy URL with a host and a port; write http://host:port");
        }
        return Optional.of(InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort()));
    }
}
