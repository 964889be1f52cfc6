// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.manifest;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Every environment variable the project reads, in one place (docs/deploy.md has the same table). Values are
 * read once, from a {@code Map} handed in by the entry point, never into static fields.
 */
public final class EnvironmentVariables {

    /** The secrets directory, for every reader and writer; default {@link #DEFAULT_DIR}. */
    public static final String DIR = "SECRETS_PREFETCH_DIR";

    /** The extension's configuration file; default {@code /var/task/secrets-prefetch.json}. */
    public static final String CONFIG = "SECRETS_PREFETCH_CONFIG";

    /** An inline list of secrets for the extension, {@code name=secretIdOrArn,...}, instead of a file. */
    public static final String SECRETS = "SECRETS_PREFETCH_SECRETS";

    /** The clients' cap, in milliseconds, on waiting for a {@code pending} manifest to become ready. */
    public static final String WAIT_MS = "SECRETS_PREFETCH_WAIT_MS";

    /** {@code debug}, {@code info}, {@code warn}, {@code error} or {@code off}; default {@code info}. */
    public static final String LOG_LEVEL = "SECRETS_PREFETCH_LOG_LEVEL";

    /** Endpoint override for Secrets Manager, read by the AWS SDKs themselves (e.g. moto in tests). */
    public static final String ENDPOINT_URL_SECRETS_MANAGER = "AWS_ENDPOINT_URL_SECRETS_MANAGER";

    /** Endpoint override for SSM (Parameter Store), read by the AWS SDKs themselves (e.g. moto in tests). */
    public static final String ENDPOINT_URL_SSM = "AWS_ENDPOINT_URL_SSM";

    /** The region of secrets named without an ARN. Set by Lambda. */
    public static final String AWS_REGION = "AWS_REGION";

    /** The region when {@link #AWS_REGION} is not set (the AWS CLI's and SDKs' older name). */
    public static final String AWS_DEFAULT_REGION = "AWS_DEFAULT_REGION";

    /** Set by Lambda; {@code snap-start} means no value may be written during init. */
    public static final String INITIALIZATION_TYPE = "AWS_LAMBDA_INITIALIZATION_TYPE";

    /** Set by Lambda: {@code host:port} of the Runtime and Extensions APIs. */
    public static final String RUNTIME_API = "AWS_LAMBDA_RUNTIME_API";

    /** The default secrets directory. */
    public static final Path DEFAULT_DIR = Path.of("/tmp/secrets-prefetch");

    private EnvironmentVariables() {
    }

    /**
     * The secrets directory that {@code environment} selects: {@link #DIR} without whitespace around it, else
     * {@link #DEFAULT_DIR}. Every reader and the writer read it this way (fixtures/client-contract/settings.json).
     *
     * @throws IllegalArgumentException naming the variable when it is not an absolute path
     */
    public static Path secretsDirectory(Map<String, String> environment) {
        String value = environment.get(DIR);
        String dir = value == null ? "" : Whitespace.trim(value);
        if (dir.isEmpty()) {
            return DEFAULT_DIR;
        }
        if (dir.charAt(0) != '/' || dir.indexOf('\u0000') >= 0) {
            throw new IllegalArgumentException(DIR + " must be an absolute path, such as " + DEFAULT_DIR + "; was \""
                    + shown(dir) + "\": make it absolute or unset it");
        }
        return Path.of(dir);
    }

    /** A setting as a message may show it: one line (control characters escaped), at most 200 characters. */
    public static String shown(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && i < 200; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == '\u2028' || c == '\u2029') {
                out.append("\\u").append(Integer.toHexString(0x10000 | c), 1, 5);
            } else {
                out.append(c);
            }
        }
        return value.length() > 200 ? out.append("...").toString() : out.toString();
    }

    /** The region of secrets named without an ARN: {@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}. */
    public static Optional<String> defaultRegion(Map<String, String> environment) {
        // No lambda (Optional.or): this runs on a function's first secret read, where bootstrapping one costs ms.
        Optional<String> region = value(environment, AWS_REGION);
        return region.isPresent() ? region : value(environment, AWS_DEFAULT_REGION);
    }

    /**
     * The Secrets Manager endpoint override, when set.
     *
     * @throws IllegalArgumentException when it is not an http or https URL with a host; the message does not
     *     repeat the value, which may carry credentials
     */
    public static Optional<URI> secretsManagerEndpoint(Map<String, String> environment) {
        return endpoint(environment, ENDPOINT_URL_SECRETS_MANAGER, "https://secretsmanager.us-east-1.amazonaws.com");
    }

    /**
     * The SSM endpoint override, when set.
     *
     * @throws IllegalArgumentException when it is not an http or https URL with a host; the message does not
     *     repeat the value, which may carry credentials
     */
    public static Optional<URI> ssmEndpoint(Map<String, String> environment) {
        return endpoint(environment, ENDPOINT_URL_SSM, "https://ssm.us-east-1.amazonaws.com");
    }

    /**
     * An endpoint override in {@code variable}, when set: the one check of every override variable, shared by the
     * clients and the extension.
     *
     * @param example a valid value, for the message
     * @throws IllegalArgumentException when it is not an http or https URL with a host; the message does not
     *     repeat the value, which may carry credentials
     */
    public static Optional<URI> endpoint(Map<String, String> environment, String variable, String example) {
        Optional<String> value = value(environment, variable);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            // URI.create, not new URI: verifying a catch of URISyntaxException loads it on every cold start.
            URI uri = URI.create(value.get());
            if (uri.getHost() != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                return Optional.of(uri);
            }
        } catch (IllegalArgumentException e) {
            // reported below, without the value
        }
        throw new IllegalArgumentException(variable + " must be an absolute http or https URL with a host, such as "
                + example + "; unset it or fix it (its value is not shown: it may carry credentials)");
    }

    private static Optional<String> value(Map<String, String> environment, String name) {
        String value = environment.get(name);
        return value == null || Whitespace.isBlank(value) ? Optional.empty() : Optional.of(Whitespace.trim(value));
    }
}
