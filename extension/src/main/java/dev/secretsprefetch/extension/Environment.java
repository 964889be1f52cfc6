package dev.secretsprefetch.extension;

import dev.secretsprefetch.manifest.EnvironmentVariables;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the extension takes from the process environment besides its configuration, read once.
 *
 * @param runtimeApi {@code host:port} of the Extensions API, absent outside Lambda
 * @param defaultRegion the region of secrets given by name ({@code AWS_REGION}, else {@code AWS_DEFAULT_REGION})
 * @param endpoint a Secrets Manager endpoint override ({@code AWS_ENDPOINT_URL_SECRETS_MANAGER})
 * @param credentials the function's credentials from the environment, absent under SnapStart and locally
 * @param snapStart whether this is a SnapStart init: no value may be written before the first INVOKE
 * @param fipsEndpoint whether to call the FIPS endpoints ({@code AWS_USE_FIPS_ENDPOINT=true})
 * @param dualStackEndpoint whether to call the dual-stack endpoints ({@code AWS_USE_DUALSTACK_ENDPOINT=true})
 * @param proxies the proxy for Secrets Manager calls ({@code HTTPS_PROXY}, or {@code HTTP_PROXY} for an http
 *     endpoint override, and {@code NO_PROXY})
 * @param caBundle a PEM file of the certificate authorities to trust instead of the built-in ones
 *     ({@code AWS_CA_BUNDLE}; see {@link TrustedAuthorities})
 */
record Environment(Optional<String> runtimeApi, Optional<String> defaultRegion, Optional<URI> endpoint,
        Optional<EnvironmentCredentials> credentials, boolean snapStart, boolean fipsEndpoint,
        boolean dualStackEndpoint, ProxySettings proxies, Optional<Path> caBundle) {

    static final String AWS_ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
    static final String AWS_SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
    static final String AWS_SESSION_TOKEN = "AWS_SESSION_TOKEN";
    static final String AWS_USE_FIPS_ENDPOINT = "AWS_USE_FIPS_ENDPOINT";
    static final String AWS_USE_DUALSTACK_ENDPOINT = "AWS_USE_DUALSTACK_ENDPOINT";
    static final String AWS_CA_BUNDLE = "AWS_CA_BUNDLE";

    static Environment from(Map<String, String> env) throws ConfigException {
        Optional<URI> endpoint;
        try {
            endpoint = EnvironmentVariables.secretsManagerEndpoint(env);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        Optional<EnvironmentCredentials> credentials = value(env, AWS_ACCESS_KEY_ID).flatMap(id ->
                value(env, AWS_SECRET_ACCESS_KEY).map(secret ->
                        new EnvironmentCredentials(id, secret, value(env, AWS_SESSION_TOKEN))));
        SecretsManagerEndpoint.checkSwitches(endpoint, flag(env, AWS_USE_FIPS_ENDPOINT),
                flag(env, AWS_USE_DUALSTACK_ENDPOINT));
        return new Environment(value(env, EnvironmentVariables.RUNTIME_API),
                EnvironmentVariables.defaultRegion(env), endpoint, credentials,
                "snap-start".equals(env.get(EnvironmentVariables.INITIALIZATION_TYPE)),
                flag(env, AWS_USE_FIPS_ENDPOINT), flag(env, AWS_USE_DUALSTACK_ENDPOINT),
                // Every endpoint is https but an override, which replaces them all: one scheme, one proxy.
                ProxySettings.from(env, endpoint.map(URI::getScheme).orElse("https")),
                caBundle(env));
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
    record EnvironmentCredentials(String accessKeyId, String secretAccessKey, Optional<String> sessionToken) {
        @Override
        public String toString() {
            return "EnvironmentCredentials[accessKeyId=" + accessKeyId + "]";
        }
    }
}
