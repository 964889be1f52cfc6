// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.extension.config.ConfigException;
import dev.secretsprefetch.extension.config.Environment;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.EndpointTag;
import software.amazon.awssdk.regions.PartitionEndpointKey;
import software.amazon.awssdk.regions.PartitionMetadata;

/**
 * Endpoint names per partition, the FIPS and dual-stack switches, and the override, by example and in what the
 * messages say; {@code EndpointRulesFixtureTest} holds every region and switch to the SDK's endpoint provider.
 */
class ServiceEndpointTest {

    private static URI resolve(String region, String... env) throws ConfigException {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < env.length; i += 2) {
            map.put(env[i], env[i + 1]);
        }
        return ServiceEndpoint.resolve(AwsService.SECRETS_MANAGER, region, Environment.from(map));
    }

    @Test
    void eachPartitionHasItsOwnDomain() throws Exception {
        assertEquals(URI.create("https://secretsmanager.us-east-1.amazonaws.com"), resolve("us-east-1"));
        assertEquals(URI.create("https://secretsmanager.cn-north-1.amazonaws.com.cn"), resolve("cn-north-1"));
        assertEquals(URI.create("https://secretsmanager.us-gov-west-1.amazonaws.com"), resolve("us-gov-west-1"));
        assertEquals(URI.create("https://secretsmanager.us-iso-east-1.c2s.ic.gov"), resolve("us-iso-east-1"));
        assertEquals(URI.create("https://secretsmanager.eusc-de-east-1.amazonaws.eu"), resolve("eusc-de-east-1"));
    }

    @Test
    void fipsAndDualStackAreChosenLikeTheSdkDoes() throws Exception {
        assertEquals(URI.create("https://secretsmanager-fips.us-east-1.amazonaws.com"),
                resolve("us-east-1", "AWS_USE_FIPS_ENDPOINT", "true"));
        // Secrets Manager's endpoints in aws are dual-stack already: the SDK keeps them (EndpointRulesFixtureTest).
        assertEquals(URI.create("https://secretsmanager.eu-west-1.amazonaws.com"),
                resolve("eu-west-1", "AWS_USE_DUALSTACK_ENDPOINT", "TRUE"));
        assertEquals(URI.create("https://secretsmanager-fips.cn-north-1.api.amazonwebservices.com.cn"),
                resolve("cn-north-1", "AWS_USE_FIPS_ENDPOINT", "true", "AWS_USE_DUALSTACK_ENDPOINT", "true"));
        assertEquals(URI.create("https://secretsmanager.us-iso-east-1.api.aws.ic.gov"),
                resolve("us-iso-east-1", "AWS_USE_DUALSTACK_ENDPOINT", "true"));
        assertEquals(URI.create("https://secretsmanager.us-east-1.amazonaws.com"),
                resolve("us-east-1", "AWS_USE_FIPS_ENDPOINT", "false"));
    }

    @Test
    void aGlobalPseudoRegionBelongsToItsOwnPartition() throws Exception {
        assertEquals(URI.create("https://secretsmanager.aws-cn-global.amazonaws.com.cn"), resolve("aws-cn-global"));
    }

    @Test
    void fipsOrDualStackWithTheOverrideFailsInitNamingBothAndTheFix() {
        // The override is not repeated: it may carry credentials.
        ConfigException e = assertThrows(ConfigException.class, () -> Environment.from(Map.of(
                "AWS_ENDPOINT_URL_SECRETS_MANAGER", "https://spv-Cred1@vpce.example",
                "AWS_USE_FIPS_ENDPOINT", "true")));
        assertEquals("AWS_USE_FIPS_ENDPOINT=true cannot be combined with AWS_ENDPOINT_URL_SECRETS_MANAGER (the AWS "
                + "SDKs refuse it too: the override names the one endpoint to call); unset the switch and point the "
                + "override at the FIPS or dual-stack endpoint you want, or unset AWS_ENDPOINT_URL_SECRETS_MANAGER",
                e.getMessage());
        e = assertThrows(ConfigException.class, () -> Environment.from(Map.of("AWS_ENDPOINT_URL_SECRETS_MANAGER",
                "http://127.0.0.1:4566", "AWS_USE_FIPS_ENDPOINT", "true", "AWS_USE_DUALSTACK_ENDPOINT", "true")));
        assertTrue(e.getMessage().startsWith("AWS_USE_FIPS_ENDPOINT=true and AWS_USE_DUALSTACK_ENDPOINT=true cannot "
                + "be combined with AWS_ENDPOINT_URL_SECRETS_MANAGER"), e.getMessage());
    }

    @Test
    void aPartitionWithoutTheAskedForEndpointsIsASetupError() {
        PartitionMetadata noFips = new PartitionMetadata() {
            @Override
            public String dnsSuffix(PartitionEndpointKey key) {
                return key.tags().contains(EndpointTag.FIPS) ? null : "example";
            }

            @Override
            public String id() {
                return "aws-example";
            }

            @Override
            public String name() {
                return "Example";
            }

            @Override
            public String regionRegex() {
                return "^ex-\\w+-\\d+$";
            }
        };
        assertEquals("secretsmanager.ex-east-1.example",
                ServiceEndpoint.host(AwsService.SECRETS_MANAGER, "ex-east-1", noFips, false, false));
        AwsCallException e = assertThrows(AwsCallException.class,
                () -> ServiceEndpoint.host(AwsService.SECRETS_MANAGER, "ex-east-1", noFips, true, true));
        assertEquals(AwsCallException.Kind.SETUP, e.kind());
        assertEquals("AWS_USE_FIPS_ENDPOINT=true and AWS_USE_DUALSTACK_ENDPOINT=true asks for endpoints that "
                + "partition aws-example (region ex-east-1) does not have; unset one of them", e.getMessage());
    }

    @Test
    void theOverrideServesEveryRegion() throws Exception {
        assertEquals(URI.create("http://127.0.0.1:4566"),
                resolve("eu-west-1", "AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:4566"));
    }

    @Test
    void aMalformedRegionIsNamedBeforeAnyCall() {
        AwsCallException e = assertThrows(AwsCallException.class, () -> resolve("us-east-1/../x"));
        assertEquals(AwsCallException.Kind.SETUP, e.kind());
        assertTrue(e.getMessage().contains("\"us-east-1/../x\" is not an AWS region name"), e.getMessage());
    }

    @Test
    void aSwitchThatIsNeitherTrueNorFalseIsAConfigurationError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Environment.from(Map.of("AWS_USE_FIPS_ENDPOINT", "yes")));
        assertEquals("AWS_USE_FIPS_ENDPOINT must be true or false, not \"yes\"", e.getMessage());
    }

    private static URI resolveSsm(String region, String... env) throws ConfigException {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < env.length; i += 2) {
            map.put(env[i], env[i + 1]);
        }
        return ServiceEndpoint.resolve(AwsService.SSM, region, Environment.from(map));
    }

    @Test
    void ssmFollowsThePartitionRulesWithItsOwnNameAndAlwaysTakesTheDualStackSuffix() throws Exception {
        assertEquals(URI.create("https://ssm.us-east-1.amazonaws.com"), resolveSsm("us-east-1"));
        assertEquals(URI.create("https://ssm.cn-north-1.amazonaws.com.cn"), resolveSsm("cn-north-1"));
        assertEquals(URI.create("https://ssm-fips.us-east-1.amazonaws.com"),
                resolveSsm("us-east-1", "AWS_USE_FIPS_ENDPOINT", "true"));
        // SSM's GovCloud endpoints are FIPS endpoints already (SsmEndpointRulesTest holds this to the SDK).
        assertEquals(URI.create("https://ssm.us-gov-west-1.amazonaws.com"),
                resolveSsm("us-gov-west-1", "AWS_USE_FIPS_ENDPOINT", "true"));
        assertEquals(URI.create("https://ssm.eu-west-1.api.aws"),
                resolveSsm("eu-west-1", "AWS_USE_DUALSTACK_ENDPOINT", "true"));
    }

    @Test
    void eachServiceTakesItsOwnOverrideElseTheGeneralOne() throws Exception {
        String[] both = {"AWS_ENDPOINT_URL", "http://127.0.0.1:4566", "AWS_ENDPOINT_URL_SSM", "http://127.0.0.1:4577"};
        assertEquals(URI.create("http://127.0.0.1:4566"), resolve("eu-west-1", both));
        assertEquals(URI.create("http://127.0.0.1:4577"), resolveSsm("eu-west-1", both));
        assertEquals(URI.create("https://secretsmanager.eu-west-1.amazonaws.com"),
                resolve("eu-west-1", "AWS_ENDPOINT_URL_SSM", "http://127.0.0.1:4577"));
    }

    @Test
    void theGeneralOverrideWithFipsFailsInitNamingIt() {
        ConfigException e = assertThrows(ConfigException.class, () -> Environment.from(Map.of(
                "AWS_ENDPOINT_URL", "http://127.0.0.1:4566", "AWS_USE_FIPS_ENDPOINT", "true")));
        assertTrue(e.getMessage().startsWith("AWS_USE_FIPS_ENDPOINT=true cannot be combined with AWS_ENDPOINT_URL "),
                e.getMessage());
        ConfigException bad = assertThrows(ConfigException.class, () -> Environment.from(Map.of(
                "AWS_ENDPOINT_URL_SSM", "spv-Cred2@not a url")));
        assertTrue(bad.getMessage().startsWith("AWS_ENDPOINT_URL_SSM must be an absolute http or https URL"),
                bad.getMessage());
        assertTrue(!bad.getMessage().contains("spv-"), "the value is not repeated");
        assertTrue(bad.getMessage().contains("such as https://ssm.us-east-1.amazonaws.com;"), bad.getMessage());
    }
}
