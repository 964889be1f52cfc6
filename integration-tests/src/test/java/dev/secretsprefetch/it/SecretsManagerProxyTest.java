// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.testing.MotoServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.BatchGetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretValueEntry;
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

    @Test
    void failedSecretIsListedUnderErrorsOfABatchAndRefusedAlone() {
        String other = secret + "-other";
        try (SecretsManagerClient moto = client(MotoServer.shared().endpoint())) {
            moto.createSecret(r -> r.name(other).secretString("proxy-fake-other-value-spv-Jm52"));
        }
        proxy.failSecret(secret, "AccessDeniedException");
        try (SecretsManagerClient function = client(proxy.endpoint("function"))) {
            BatchGetSecretValueResponse batch = function.batchGetSecretValue(r -> r.secretIdList(secret, other));

            assertEquals(List.of(other), batch.secretValues().stream().map(SecretValueEntry::name).toList());
            assertEquals(1, batch.errors().size());
            assertEquals(secret, batch.errors().get(0).secretId());
            assertEquals("AccessDeniedException", batch.errors().get(0).errorCode());
            SecretsManagerException alone = assertThrows(SecretsManagerException.class,
                    () -> function.getSecretValue(r -> r.secretId(secret)));
            assertEquals("AccessDeniedException", alone.awsErrorDetails().errorCode());
            function.getSecretValue(r -> r.secretId(other));
        }
    }

    @Test
    void holdsAnswersUntilReleased() throws Exception {
        AtomicBoolean released = new AtomicBoolean();
        CountDownLatch held = new CountDownLatch(1);
        proxy.holdAnswersUntil(() -> {
            held.countDown();
            return released.get();
        }, Duration.ofSeconds(60));
        try (SecretsManagerClient function = client(proxy.endpoint("function"))) {
            CompletableFuture<String> call = CompletableFuture.supplyAsync(
                    () -> function.getSecretValue(r -> r.secretId(secret)).versionId());
            assertTrue(held.await(30, TimeUnit.SECONDS), "the call never reached the proxy");
            assertFalse(call.isDone(), "answered while held");

            released.set(true);
            call.get(30, TimeUnit.SECONDS);
        }
        assertEquals(List.of(200), proxy.calls().stream().map(SecretsManagerProxy.Call::status).toList());
    }
}
