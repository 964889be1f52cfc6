// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.config;

import dev.secretsprefetch.manifest.EnvironmentVariables;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the extension takes from the process environment besides its configuration, read once.
 *
 * @param runtimeApi {@code host:port} of the Extensions API, absent outside Lambda
 * @param defaultRegion the region of secrets given by name ({@code AWS_REGION}, else {@code AWS_DEFAULT_REGION})
 * @param endpoints the endpoint overrides by the service's own variable ({@link #SERVICE_ENDPOINT_VARIABLES}): its
 *     value, else {@code AWS_ENDPOINT_URL}'s
 * @param credentials the function's credentials from the environment, absent under SnapStart and locally
 * @param snapStart whether this is a SnapStart init: no value may be written before the first INVOKE
 * @param fipsEndpoint whether to call the FIPS endpoints ({@code AWS_USE_FIPS_ENDPOINT=true})
 * @param dualStackEndpoint whether to call the dual-stack endpoints ({@code AWS_USE_DUALSTACK_ENDPOINT=true})
 * @param proxies the proxy rules by the scheme of the endpoints in use ({@code HTTPS_PROXY}, or {@code HTTP_PROXY}
 *     for an http endpoint override, and {@code NO_PROXY})
 * @param caBundle a PEM file of the certificate authorities to trust instead of the built-in ones
 *     ({@code AWS_CA_BUNDLE}; the calls trust it instead of the layer's own)
 */
public record Environment(Optional<String> runtimeApi, Optional<String> defaultRegion, Map<String, URI> endpoints,
        Optional<EnvironmentCredentials> credentials, boolean snapStart, boolean fipsEndpoint,
        boolean dualStackEndpoint, Map<String, ProxySettings> proxies, Optional<Path> caBundle) {

    static final String AWS_ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
    static final String AWS_SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
    static final String AWS_SESSION_TOKEN = "AWS_SESSION_TOKEN";
    public static final String AWS_USE_FIPS_ENDPOINT = "AWS_USE_FIPS_ENDPOINT";
    public static final String AWS_USE_DUALSTACK_ENDPOINT = "AWS_USE_DUALSTACK_ENDPOINT";
    public static final String AWS_CA_BUNDLE = "AWS_CA_BUNDLE";
    public static final String AWS_ENDPOINT_URL_SSM = EnvironmentVariables.ENDPOINT_URL_SSM;
    /** The endpoint override of every service whose own variable is unset, as the AWS SDKs read it. */
    public static final String AWS_ENDPOINT_URL = "AWS_ENDPOINT_URL";
    /** The endpoint override variable of each service the extension calls. */
    static final List<String> SERVICE_ENDPOINT_VARIABLES = List.of(EnvironmentVariables.ENDPOINT_URL_SECRETS_MANAGER,
            AWS_ENDPOINT_URL_SSM);

    public Environment {
        endpoints = Map.copyOf(endpoints);
        proxies = Map.copyOf(proxies);
    }

    public static Environment from(Map<String, String> env) throws ConfigException {
        boolean fips = flag(env, AWS_USE_FIPS_ENDPOINT);
        boolean dualStack = flag(env, AWS_USE_DUALSTACK_ENDPOINT);
        Map<String, URI> endpoints = new HashMap<>();
        Map<String, ProxySettings> proxies = new HashMap<>();
        for (String serviceVariable : SERVICE_ENDPOINT_VARIABLES) {
            Optional<String> variable = Optional.of(serviceVariable)
                    .filter(v -> value(env, v).isPresent())
                    .or(() -> Optional.of(AWS_ENDPOINT_URL).filter(v -> value(env, v).isPresent()));
            checkSwitches(variable, fips, dualStack);
            Optional<URI> endpoint = variable.isPresent() ? Optional.of(endpoint(env, variable.get()))
                    : Optional.empty();
            endpoint.ifPresent(uri -> endpoints.put(serviceVariable, uri));
            // Every endpoint is https but an override, which replaces all of its service's: the schemes in use
            // decide which proxy variables are read.
            String scheme = endpoint.map(URI::getScheme).orElse("https");
            if (!proxies.containsKey(scheme)) {
                proxies.put(scheme, ProxySettings.from(env, scheme));
            }
        }
        Optional<EnvironmentCredentials> credentials = value(env, AWS_ACCESS_KEY_ID).flatMap(id ->
                value(env, AWS_SECRET_ACCESS_KEY).map(secret ->
                        new EnvironmentCredentials(id, secret, value(env, AWS_SESSION_TOKEN))));
        return new Environment(value(env, EnvironmentVariables.RUNTIME_API),
                EnvironmentVariables.defaultRegion(env), endpoints, credentials,
                "snap-start".equals(env.get(EnvironmentVariables.INITIALIZATION_TYPE)), fips, dualStack, proxies,
                caBundle(env));
    }

    /** The endpoint override of the service whose own variable is {@code serviceVariable}, if one is set. */
    public Optional<URI> endpoint(String serviceVariable) {
        return Optional.ofNullable(endpoints.get(serviceVariable));
    }

    /** The proxy rules of calls to endpoints of {@code scheme}, one of the schemes in use. */
    public ProxySettings proxies(String scheme) {
        ProxySettings settings = proxies.get(scheme);
        if (settings == null) {
            throw new IllegalArgumentException("no endpoint in use is " + scheme);
        }
        return settings;
    }

    /**
     * Fails init where the SDK would fail every call: an override names one endpoint, which the switches cannot
     * turn into a FIPS or dual-stack one.
     */
    private static void checkSwitches(Optional<String> overrideVariable, boolean fips, boolean dualStack)
            throws ConfigException {
        if (overrideVariable.isEmpty() || !(fips || dualStack)) {
            return;
        }
        List<String> on = new ArrayList<>(2);
        if (fips) {
            on.add(AWS_USE_FIPS_ENDPOINT + "=true");
        }
        if (dualStack) {
            on.add(AWS_USE_DUALSTACK_ENDPOINT + "=true");
        }
        throw new ConfigException(String.join(" and ", on) + " cannot be combined with " + overrideVariable.get()
                + " (the AWS SDKs refuse it too: the override names the one endpoint to call); unset "
                + (fips && dualStack ? "the switches" : "the switch") + " and point the override at the FIPS or "
                + "dual-stack endpoint you want, or unset " + overrideVariable.get());
    }

    /** An endpoint override, checked as the clients check theirs. */
    private static URI endpoint(Map<String, String> env, String variable) throws ConfigException {
        String example = AWS_ENDPOINT_URL_SSM.equals(variable) ? "https://ssm.us-east-1.amazonaws.com"
                : "https://secretsmanager.us-east-1.amazonaws.com";
        try {
            return EnvironmentVariables.endpoint(env, variable, example).orElseThrow();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** A file that is not there fails init: every call would otherwise fail its TLS handshake. */
    private static Optional<Path> caBundle(Map<String, String> env) throws ConfigException {
        Optional<String> value = value(env, AWS_CA_BUNDLE);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Path bundle;
        try {
            bundle = Path.of(value.get()).toAbsolutePath();
        } catch (InvalidPathException e) {
            bundle = null;
        }
        if (bundle == null || !Files.isRegularFile(bundle) || !Files.isReadable(bundle)) {
            throw new ConfigException(AWS_CA_BUNDLE + " names " + Echo.path(value.get()) + ", which is not a "
                    + "readable file; point it at a PEM file of the certificate authorities to trust, or unset it to "
                    + "trust the built-in ones");
        }
        return Optional.of(bundle);
    }

    /** The SDK's reading of these switches: true or false, in any case; absent is false. */
    private static boolean flag(Map<String, String> env, String name) throws ConfigException {
        Optional<String> value = value(env, name);
        if (value.isEmpty() || value.get().equalsIgnoreCase("false")) {
            return false;
        }
        if (value.get().equalsIgnoreCase("true")) {
            return true;
        }
        throw new ConfigException(name + " must be true or false, not \"" + value.get() + "\"");
    }

    /** A variable's value, trimmed; absent when unset or blank. */
    static Optional<String> value(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** Keys from the environment; the string form shows the access key id only. */
    public record EnvironmentCredentials(String accessKeyId, String secretAccessKey, Optional<String> sessionToken) {
        @Override
        public String toString() {
            return "EnvironmentCredentials[accessKeyId=" + accessKeyId + "]";
        }
    }
}
