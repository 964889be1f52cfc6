// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.aws;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.secretsprefetch.testing.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.endpoints.SecretsManagerEndpointParams;
import software.amazon.awssdk.services.secretsmanager.endpoints.SecretsManagerEndpointProvider;

/**
 * Writes {@code fixtures/client-contract/endpoints.json} with the AWS SDK for Java's own Secrets Manager endpoint
 * provider: every region the SDK knows and a few it does not (each partition's pattern, and names that fit none),
 * with {@code AWS_USE_FIPS_ENDPOINT} and {@code AWS_USE_DUALSTACK_ENDPOINT} off and on, and with an endpoint override.
 * {@code EndpointRulesFixtureTest} fails when the committed file is not what the SDK on the class path resolves, and
 * rewrites it when run with {@code -Dsecretsprefetch.writeFixtures=true} (see {@link #REGENERATE}).
 */
final class EndpointRulesFixture {

    static final Path FILE = Fixtures.root().resolve("client-contract").resolve("endpoints.json");
    static final String REGENERATE = "mvn -B -pl extension -am test -Dtest=EndpointRulesFixtureTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dsecretsprefetch.writeFixtures=true";

    static final String FIPS = "AWS_USE_FIPS_ENDPOINT";
    static final String DUAL_STACK = "AWS_USE_DUALSTACK_ENDPOINT";
    static final String OVERRIDE = "AWS_ENDPOINT_URL_SECRETS_MANAGER";

    /** Regions in no partition's list: each partition's pattern, then names that fit no pattern (so: aws). */
    private static final List<String> UNLISTED = List.of("us-east-9", "cn-south-7", "us-gov-north-9",
            "us-iso-south-9", "us-isob-north-9", "eu-isoe-south-9", "us-isof-west-9", "eusc-de-west-9",
            "eusc-fr-east-1", "xx-north-1", "zz-top-9", "us-east-1-fips", "cn-global", "aws-eusc-global");
    private static final List<String> OVERRIDES = List.of(
            "https://vpce-0a1b2c3d4e5f67890-abcdefgh.secretsmanager.eu-west-1.vpce.amazonaws.com",
            "http://127.0.0.1:4566");

    /**
     * One resolution: the inputs, then either {@code endpoint} or {@code error} (the variables an error must name)
     * with {@code sdkError}, the SDK's own message.
     */
    record Case(String region, boolean fips, boolean dualStack, Optional<String> endpointUrl,
            Optional<String> endpoint, List<String> error, Optional<String> sdkError) {
    }

    private EndpointRulesFixture() {
    }

    public static void main(String[] args) throws IOException {
        write();
    }

    static void write() throws IOException {
        Files.writeString(FILE, render(cases()));
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        TreeSet<String> listed = new TreeSet<>();
        Region.regions().forEach(region -> listed.add(region.id()));
        List<String> regions = new ArrayList<>(listed);
        regions.addAll(UNLISTED);
        for (String region : regions) {
            addSwitches(cases, region, Optional.empty());
        }
        for (String override : OVERRIDES) {
            addSwitches(cases, "eu-west-1", Optional.of(override));
        }
        return cases;
    }

    static String sdkVersion() {
        Properties pom = new Properties();
        try (InputStream in = SecretsManagerEndpointProvider.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/software.amazon.awssdk/secretsmanager/pom.properties")) {
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pom.getProperty("version");
    }

    private static void addSwitches(List<Case> cases, String region, Optional<String> override) {
        for (boolean fips : new boolean[] {false, true}) {
            for (boolean dualStack : new boolean[] {false, true}) {
                cases.add(resolve(region, fips, dualStack, override));
            }
        }
    }

    private static Case resolve(String region, boolean fips, boolean dualStack, Optional<String> override) {
        SecretsManagerEndpointParams params = SecretsManagerEndpointParams.builder().region(Region.of(region))
                .useFips(fips).useDualStack(dualStack).endpoint(override.orElse(null)).build();
        try {
            String url = SecretsManagerEndpointProvider.defaultProvider().resolveEndpoint(params).join().url()
                    .toString();
            return new Case(region, fips, dualStack, override, Optional.of(url), List.of(), Optional.empty());
        } catch (CompletionException e) {
            if (!(e.getCause() instanceof SdkClientException refused)) {
                throw e;
            }
            return new Case(region, fips, dualStack, override, Optional.empty(), variables(refused.getMessage()),
                    Optional.of(refused.getMessage()));
        }
    }

    /** The variables behind an error of the SDK's rules ("FIPS and custom endpoint are not supported", ...). */
    private static List<String> variables(String message) {
        String text = message.toLowerCase(Locale.ROOT);
        List<String> variables = new ArrayList<>();
        if (text.contains("fips")) {
            variables.add(FIPS);
        }
        if (text.contains("dualstack")) {
            variables.add(DUAL_STACK);
        }
        if (text.contains("custom endpoint")) {
            variables.add(OVERRIDE);
        }
        if (variables.isEmpty()) {
            throw new IllegalStateException("the SDK's endpoint rules refuse a configuration for a reason this "
                    + "generator does not know (\"" + message + "\"); teach variables() which settings it is about");
        }
        return List.copyOf(variables);
    }

    static String render(List<Case> cases) {
        StringBuilder json = new StringBuilder("{\n  \"about\": ").append(quoted(about())).append(",\n  \"sdk\": ")
                .append(quoted(sdkVersion())).append(",\n  \"cases\": [\n");
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            json.append("    {\"region\": ").append(quoted(c.region())).append(", \"fips\": ").append(c.fips())
                    .append(", \"dualStack\": ").append(c.dualStack());
            c.endpointUrl().ifPresent(url -> json.append(", \"endpointUrl\": ").append(quoted(url)));
            c.endpoint().ifPresent(url -> json.append(", \"endpoint\": ").append(quoted(url)));
            if (!c.error().isEmpty()) {
                json.append(", \"error\": [").append(String.join(", ", c.error().stream().map(v -> quoted(v))
                        .toList())).append("]");
            }
            c.sdkError().ifPresent(message -> json.append(", \"sdkError\": ").append(quoted(message)));
            json.append(i + 1 < cases.size() ? "},\n" : "}\n");
        }
        return json.append("  ]\n}\n").toString();
    }

    private static String about() {
        return "Where GetSecretValue goes: Secrets Manager endpoints as the AWS SDK for Java resolves them "
                + "(SecretsManagerEndpointProvider.defaultProvider(), SDK version in `sdk`), generated by the "
                + "extension's EndpointRulesFixture, never written by hand: every region the SDK lists and some it "
                + "does not (each partition's pattern; names that fit none, which the SDK puts in aws), each with "
                + FIPS + " and " + DUAL_STACK + " off and on, and region eu-west-1 with " + OVERRIDE + " set "
                + "(`endpointUrl`). Each case has either `endpoint`, the URL to call, or `error`, the variables a "
                + "configuration error must name, with `sdkError`, the SDK's own message. The extension and any "
                + "hand-written signed fallback (the Ruby shim's) resolve every case the same. "
                + "EndpointRulesFixtureTest fails when this file is not what the SDK on the build's class path resolves; regenerate it with: "
                + REGENERATE;
    }

    private static String quoted(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }
}
