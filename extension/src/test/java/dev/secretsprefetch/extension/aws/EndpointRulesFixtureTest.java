// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.extension.JsonTree;
import dev.secretsprefetch.extension.aws.EndpointRulesFixture.Case;
import dev.secretsprefetch.extension.config.ConfigException;
import dev.secretsprefetch.extension.config.Environment;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code fixtures/client-contract/endpoints.json}: it is what the AWS SDK for Java's Secrets Manager endpoint
 * provider resolves today, and {@link ServiceEndpoint} resolves every case the same.
 */
class EndpointRulesFixtureTest {

    @BeforeAll
    static void regenerateWhenAsked() throws Exception {
        if (Boolean.getBoolean("secretsprefetch.writeFixtures")) {
            EndpointRulesFixture.write();
        }
    }

    @Test
    void theCommittedFixtureIsWhatTheSdkResolves() throws Exception {
        List<Case> sdk = EndpointRulesFixture.cases();
        List<Case> committed = committed();
        List<String> stale = new ArrayList<>();
        for (int i = 0; i < Math.max(sdk.size(), committed.size()); i++) {
            Case now = i < sdk.size() ? sdk.get(i) : null;
            Case then = i < committed.size() ? committed.get(i) : null;
            if (!Objects.equals(now, then)) {
                stale.add("case " + i + ": the file has " + then + ", the SDK gives " + now);
            }
        }
        assertEquals(List.of(), stale, () -> EndpointRulesFixture.FILE + " is stale for AWS SDK "
                + EndpointRulesFixture.sdkVersion() + " (" + stale.size() + " cases); regenerate it with "
                + EndpointRulesFixture.REGENERATE + ", then make the extension and the Ruby shim pass it");
    }

    @Test
    void theExtensionResolvesEveryCaseAsTheSdk() throws Exception {
        List<String> wrong = new ArrayList<>();
        List<Case> cases = committed();
        for (Case c : cases) {
            Optional<String> problem = check(c);
            problem.ifPresent(p -> wrong.add(c.region() + " fips=" + c.fips() + " dualStack=" + c.dualStack()
                    + c.endpointUrl().map(url -> " override=" + url).orElse("") + ": " + p));
        }
        assertEquals(List.of(), wrong, wrong.size() + " of " + cases.size() + " cases");
    }

    @Test
    void theFixtureCoversEveryPartitionBothSwitchesAndTheOverride() throws Exception {
        List<Case> cases = committed();
        assertTrue(cases.size() > 250, cases.size() + " cases");
        for (String suffix : List.of(".amazonaws.com", ".amazonaws.com.cn", ".c2s.ic.gov",
                ".sc2s.sgov.gov", ".cloud.adc-e.uk", ".csp.hci.ic.gov", ".amazonaws.eu", ".api.amazonwebservices.eu",
                ".api.amazonwebservices.com.cn", ".api.aws.ic.gov", ".api.aws.scloud", ".api.cloud-aws.adc-e.uk",
                ".api.aws.hci.ic.gov")) {
            assertTrue(cases.stream().anyMatch(c -> c.endpoint().orElse("").endsWith(suffix)), suffix);
        }
        assertEquals(6, cases.stream().filter(c -> !c.error().isEmpty()).count(), "FIPS or dual-stack with the "
                + "override, for two overrides");
    }

    /** Empty when the extension gives what the case says; else what it gives instead. */
    private static Optional<String> check(Case c) {
        Map<String, String> env = new HashMap<>();
        env.put(EndpointRulesFixture.FIPS, String.valueOf(c.fips()));
        env.put(EndpointRulesFixture.DUAL_STACK, String.valueOf(c.dualStack()));
        c.endpointUrl().ifPresent(url -> env.put(EndpointRulesFixture.OVERRIDE, url));
        String outcome;
        try {
            outcome = ServiceEndpoint.resolve(AwsService.SECRETS_MANAGER, c.region(), Environment.from(env)).toString();
        } catch (ConfigException | AwsCallException e) {
            if (c.error().isEmpty()) {
                return Optional.of("expected " + c.endpoint().orElseThrow() + ", got the error: " + e.getMessage());
            }
            List<String> unnamed = c.error().stream().filter(v -> !e.getMessage().contains(v)).toList();
            return unnamed.isEmpty() ? Optional.empty()
                    : Optional.of("the error does not name " + unnamed + ": " + e.getMessage());
        }
        if (!c.error().isEmpty()) {
            return Optional.of("expected an error naming " + c.error() + ", got " + outcome);
        }
        return outcome.equals(c.endpoint().orElseThrow()) ? Optional.empty()
                : Optional.of("expected " + c.endpoint().orElseThrow() + ", got " + outcome);
    }

    @SuppressWarnings("unchecked")
    private static List<Case> committed() throws Exception {
        Map<String, Object> fixture = JsonTree.object(Files.readAllBytes(EndpointRulesFixture.FILE));
        List<Case> cases = new ArrayList<>();
        for (Object item : JsonTree.list(fixture.get("cases"))) {
            Map<String, Object> c = (Map<String, Object>) item;
            cases.add(new Case((String) c.get("region"), (Boolean) c.get("fips"), (Boolean) c.get("dualStack"),
                    Optional.ofNullable((String) c.get("endpointUrl")),
                    Optional.ofNullable((String) c.get("endpoint")),
                    JsonTree.list(c.get("error")).stream().map(String.class::cast).toList(),
                    Optional.ofNullable((String) c.get("sdkError"))));
        }
        return cases;
    }
}
