package dev.secretsprefetch.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Endpoint names per partition, the FIPS and dual-stack switches, and the override. */
class SecretsManagerEndpointTest {

    private static URI resolve(String region, String... env) throws ConfigException {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < env.length; i += 2) {
            map.put(env[i], env[i + 1]);
        }
        return SecretsManagerEndpoint.resolve(region, Environment.from(map));
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
        assertEquals(URI.create("https://secretsmanager.eu-west-1.api.aws"),
                resolve("eu-west-1", "AWS_USE_DUALSTACK_ENDPOINT", "TRUE"));
        assertEquals(URI.create("https://secretsmanager-fips.us-east-2.api.aws"),
                resolve("us-east-2", "AWS_USE_FIPS_ENDPOINT", "true", "AWS_USE_DUALSTACK_ENDPOINT", "true"));
        assertEquals(URI.create("https://secretsmanager.us-east-1.amazonaws.com"),
                resolve("us-east-1", "AWS_USE_FIPS_ENDPOINT", "false"));
    }

    @Test
    void theOverrideServesEveryRegion() throws Exception {
        assertEquals(URI.create("http://127.0.0.1:4566"),
                resolve("eu-west-1", "AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:4566"));
    }

    @Test
    void aMalformedRegionIsNamedBeforeAnyCall() {
        SecretsManagerException e = assertThrows(SecretsManagerException.class, () -> resolve("us-east-1/../x"));
        assertEquals(SecretsManagerException.Kind.SETUP, e.kind());
        assertTrue(e.getMessage().contains("\"us-east-1/../x\" is not an AWS region name"), e.getMessage());
    }

    @Test
    void aSwitchThatIsNeitherTrueNorFalseIsAConfigurationError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Environment.from(Map.of("AWS_USE_FIPS_ENDPOINT", "yes")));
        assertEquals("AWS_USE_FIPS_ENDPOINT must be true or false, not \"yes\"", e.getMessage());
    }
}
