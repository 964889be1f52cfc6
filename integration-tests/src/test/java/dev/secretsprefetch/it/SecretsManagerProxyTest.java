package dev.secretsprefetch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.testing.MotoServer;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

class SecretsManagerProxyTest {

    private final String secret = "proxy-test/" + UUID.randomUUID();
    private SecretsManagerProxy proxy;

    @BeforeEach
    void createSecret() {
        try (SecretsManagerClient moto = client(MotoServer.shared().endpoint())) {
            moto.createSecret(r -> r.name(secret).secretString("proxy-fake-value-spv-Qx81"));
        }
        proxy = SecretsManagerProxy.start(MotoServer.shared().endpoint());
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    private static SecretsManagerClient client(URI endpoint) {
        return SecretsManagerClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(MotoServer.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(MotoServer.ACCESS_KEY_ID, MotoServer.SECRET_ACCESS_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD))
                .build();
    }

    @Test
    void forwardsCallsAndCountsThemPerCallerAndOperation() {
        try (SecretsManagerClient function = client(proxy.endpoint("function"));
                SecretsManagerClient extension = client(proxy.endpoint("extension"))) {
            String value = function.getSecretValue(r -> r.secretId(secret)).secretString();
            function.getSecretValue(r -> r.secretId(secret));
            extension.batchGetSecretValue(r -> r.secretIdList(secret));

            assertTrue("proxy-fake-value-spv-Qx81".equals(value), "value changed on its way through the proxy");
        }
        assertEquals(Map.of("function", Map.of("GetSecretValue", 2L), "extension", Map.of("BatchGetSecretValue", 1L)),
                proxy.counts());
        assertEquals(List.of(secret), proxy.calls().get(2).secretIds());
        assertTrue(proxy.calls().get(0).userAgent().contains("aws-sdk-java"), proxy.calls().get(0).userAgent());
    }

    @Test
    void answersInjectedFaultsAsAwsErrors() {
        proxy.fail("GetSecretValue", Optional.of(secret), 400, "AccessDeniedException");
        try (SecretsManagerClient function = client(proxy.endpoint("function"))) {
            SecretsManagerException denied = assertThrows(SecretsManagerException.class,
                    () -> function.getSecretValue(r -> r.secretId(secret)));

            assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
            proxy.clearFaults();
            function.getSecretValue(r -> r.secretId(secret));
        }
        assertEquals(List.of(400, 200), proxy.calls().stream().map(SecretsManagerProxy.Call::status).toList());
    }
}
