// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import dev.secretsprefetch.testing.FakeValues;
import dev.secretsprefetch.testing.MotoServer;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/** Creates and changes SSM parameters in the shared moto server; every name gets a unique path, every value a marker. */
final class MotoParameters {

    private static final Map<String, SsmClient> CLIENTS = new ConcurrentHashMap<>();

    private final String prefix = "/t" + UUID.randomUUID().toString().substring(0, 8) + "/";

    /** The parameter's name: {@code suffix} under this instance's path. */
    String name(String suffix) {
        return prefix + suffix;
    }

    /** Puts {@code name(suffix)} (a new version when it exists); returns the version. */
    long put(String suffix, ParameterType type, String value) {
        FakeValues.requireMarked(value);
        return client().putParameter(b -> b.name(name(suffix)).type(type).value(value).overwrite(true)).version();
    }

    void label(String suffix, long version, String label) {
        client().labelParameterVersion(b -> b.name(name(suffix)).parameterVersion(version).labels(label));
    }

    private static SsmClient client() {
        return CLIENTS.computeIfAbsent(MotoServer.REGION, r -> SsmClient.builder()
                .region(Region.of(r))
                .endpointOverride(MotoSecrets.moto().endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(MotoServer.ACCESS_KEY_ID, MotoServer.SECRET_ACCESS_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .build());
    }
}
