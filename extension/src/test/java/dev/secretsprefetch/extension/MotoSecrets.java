// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import dev.secretsprefetch.testing.FakeValues;
import dev.secretsprefetch.testing.MotoServer;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Creates and changes secrets in the shared moto server; every name gets a unique prefix, every value a marker. */
final class MotoSecrets {

    private static final Map<String, SecretsManagerClient> CLIENTS = new ConcurrentHashMap<>();

    private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + "/";

    static MotoServer moto() {
        return MotoServer.shared();
    }

    /** The environment the extension gets in tests: moto's endpoint (or {@code endpoint}), fake keys, a region. */
    static Map<String, String> environment(java.net.URI endpoint, String runtimeApi) {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("AWS_REGION", MotoServer.REGION);
        env.put("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_ACCESS_KEY);
        env.put("AWS_SESSION_TOKEN", "session-token-for-tests");
        env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", endpoint.toString());
        env.put("AWS_ENDPOINT_URL_SSM", endpoint.toString());
        if (runtimeApi != null) {
            env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        }
        return env;
    }

    String name(String suffix) {
        return prefix + suffix;
    }

    /** Creates {@code name(suffix)} with a string value; returns its ARN. */
    String create(String suffix, String value) {
        return client(MotoServer.REGION)
                .createSecret(b -> b.name(name(suffix)).secretString(FakeValues.requireMarked(value))).arn();
    }

    String createIn(String region, String suffix, String value) {
        return client(region).createSecret(b -> b.name(name(suffix)).secretString(FakeValues.requireMarked(value))).arn();
    }

    String createBinary(String suffix, byte[] value) {
        return client(MotoServer.REGION)
                .createSecret(b -> b.name(name(suffix))
                        .secretBinary(SdkBytes.fromByteArray(FakeValues.requireMarked(value)))).arn();
    }

    /** Puts a new version (moving AWSCURRENT to it and AWSPREVIOUS to the old one); returns its VersionId. */
    String update(String suffix, String value) {
        return client(MotoServer.REGION)
                .putSecretValue(b -> b.secretId(name(suffix)).secretString(FakeValues.requireMarked(value))).versionId();
    }

    void delete(String suffix) {
        client(MotoServer.REGION).deleteSecret(b -> b.secretId(name(suffix)).forceDeleteWithoutRecovery(true));
    }

    private static SecretsManagerClient client(String region) {
        return CLIENTS.computeIfAbsent(region, r -> SecretsManagerClient.builder()
                .region(Region.of(r))
                .endpointOverride(moto().endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(MotoServer.ACCESS_KEY_ID, MotoServer.SECRET_ACCESS_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .build());
    }
}
