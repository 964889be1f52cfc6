// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.config;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The proxy for the extension's Secrets Manager calls, taken from the environment
 * ({@code fixtures/client-contract/proxies.json} lists the rules case by case; {@code ProxyRulesFixtureTest} holds
 * this class to them, and the AWS SDK for Java v2's own classes to them where no case says the SDK differs). The
 * variables are read as the SDK reads them: {@code HTTPS_PROXY} for https endpoints, {@code HTTP_PROXY} for http
 * ones, and {@code NO_PROXY}, each in lower case first; a lower-case variable that is set decides alone, and a blank
 * value is unset. {@code NO_PROXY} entries match as curl and Python match them ({@link NoProxy}), not as the
 * SDK's regular expressions (aws/aws-sdk-java-v2#5573). Where the SDK silently ignores a value or fails every call,
 * init fails with a message naming the variable (never repeating a proxy URL: it may carry credentials); a value
 * without a scheme is taken as {@code http://}. Proxy credentials are refused: the JDK sends none to a tunnelling
 * proxy.
 *
 * @param proxy the proxy for the endpoints' scheme, if one is set
 * @param noProxy the hosts that go direct
 */
public record ProxySettings(Optional<InetSocketAddress> proxy, NoProxy noProxy) {

    /** The settings for calls to endpoints of {@code scheme} ({@code https} or {@code http}). */
    static ProxySettings from(Map<String, String> env, String scheme) throws ConfigException {
        Optional<Variable> proxy = variable(env, "https".equalsIgnoreCase(scheme) ? "HTTPS_PROXY" : "HTTP_PROXY");
        if (proxy.isEmpty()) {
            // Like the SDK, NO_PROXY is not even looked at when no proxy applies.
            return new ProxySettings(Optional.empty(), NoProxy.NONE);
        }
        InetSocketAddress address = address(proxy.get());
        Optional<Variable> noProxy = variable(env, "NO_PROXY");
        return new ProxySettings(Optional.of(address),
                noProxy.isEmpty() ? NoProxy.NONE : NoProxy.parse(noProxy.get().name(), noProxy.get().value()));
    }

    /** The proxy for a call to {@code endpoint}, if one applies. */
    public Optional<Proxy> proxyFor(URI endpoint) {
        if (proxy.isEmpty()) {
            return Optional.empty();
        }
        if (noProxy.bypasses(endpoint)) {
            return Optional.empty();
        }
        return Optional.of(new Proxy(Proxy.Type.HTTP, proxy.get()));
    }

    private record Variable(String name, String value) {
    }

    /** The SDK's {@code ProxyEnvironmentSetting}: lower case first, and then alone; trimmed; blank is unset. */
    private static Optional<Variable> variable(Map<String, String> env, String upperCase) {
        String lowerCase = upperCase.toLowerCase(Locale.ROOT);
        String name = env.containsKey(lowerCase) ? lowerCase : upperCase;
        String value = env.get(name);
        return value == null || value.trim().isEmpty() ? Optional.empty()
                : Optional.of(new Variable(name, value.trim()));
    }

    /** {@code [scheme://][user@]host:port[/...]}: the host and port, or an error that does not echo the value. */
    private static InetSocketAddress address(Variable variable) throws ConfigException {
        String text = variable.value();
        String fix = "; write http://host:port";
        int schemeEnd = text.indexOf("://");
        String scheme = schemeEnd < 0 ? "http" : text.substring(0, schemeEnd);
        if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
            throw new ConfigException(variable.name() + " is not an http:// proxy URL (the extension speaks to HTTP "
                    + "proxies only, not SOCKS)" + fix);
        }
        String rest = text.substring(schemeEnd < 0 ? 0 : schemeEnd + 3);
        String authority = rest.split("[/?#]", 2)[0];
        if (authority.contains("@")) {
            throw new ConfigException(variable.name() + " carries credentials, which the extension cannot send to a "
                    + "proxy: use a proxy that admits the function by its address, or a VPC endpoint for Secrets "
                    + "Manager");
        }
        int colon = authority.startsWith("[") ? authority.indexOf("]:") : authority.lastIndexOf(':');
        if (colon >= 0 && authority.startsWith("[")) {
            colon++;
        }
        String host = colon < 0 ? authority : authority.substring(0, colon);
        if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ')) {
            throw new ConfigException(variable.name() + " is not a proxy URL with a host name" + fix);
        }
        if (colon < 0) {
            throw new ConfigException(variable.name() + " has no port" + fix);
        }
        String port = authority.substring(colon + 1);
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new ConfigException(variable.name() + " has a port that is not a number from 1 to 65535" + fix);
        }
        return InetSocketAddress.createUnresolved(host, Integer.parseInt(port));
    }
}
