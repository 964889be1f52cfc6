package dev.secretsprefetch.extension;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import software.amazon.awssdk.regions.EndpointTag;
import software.amazon.awssdk.regions.GeneratedPartitionMetadataProvider;
import software.amazon.awssdk.regions.PartitionEndpointKey;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

/**
 * Where a region's Secrets Manager is: the override ({@code AWS_ENDPOINT_URL_SECRETS_MANAGER}) for every region,
 * else the host name of the region's partition from the AWS SDK's partition metadata (so {@code cn-north-1} gets
 * {@code secretsmanager.cn-north-1.amazonaws.com.cn}), with the FIPS and dual-stack variants when
 * {@code AWS_USE_FIPS_ENDPOINT} / {@code AWS_USE_DUALSTACK_ENDPOINT} ask for them, as the SDK does.
 */
final class SecretsManagerEndpoint {

    private static final Pattern REGION = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private SecretsManagerEndpoint() {
    }

    static URI resolve(String region, Environment environment) {
        if (environment.endpoint().isPresent()) {
            return environment.endpoint().get();
        }
        if (!REGION.matcher(region).matches()) {
            throw SecretsManagerException.setup("\"" + region + "\" is not an AWS region name (such as us-east-1): "
                    + "check AWS_REGION and the secret's ARN", null);
        }
        List<EndpointTag> tags = new ArrayList<>(2);
        if (environment.fipsEndpoint()) {
            tags.add(EndpointTag.FIPS);
        }
        if (environment.dualStackEndpoint()) {
            tags.add(EndpointTag.DUALSTACK);
        }
        PartitionEndpointKey key = PartitionEndpointKey.builder().tags(tags).build();
        PartitionMetadata partition = new GeneratedPartitionMetadataProvider().partitionMetadata(Region.of(region));
        String host = partition.hostname(key)
                .replace("{service}", "secretsmanager")
                .replace("{region}", region)
                .replace("{dnsSuffix}", partition.dnsSuffix(key));
        return URI.create("https://" + host);
    }
}
