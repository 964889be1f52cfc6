// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.aws;

import dev.secretsprefetch.extension.config.Environment;
import dev.secretsprefetch.extension.config.Partitions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.regions.EndpointTag;
import software.amazon.awssdk.regions.PartitionEndpointKey;
import software.amazon.awssdk.regions.PartitionMetadata;

/**
 * Where a region's endpoint of an {@link AwsService} is, by the rules of the AWS SDK's endpoint providers, written
 * out here so that the extension does without the SDK's service modules at run time;
 * {@code fixtures/client-contract/endpoints.json}, generated with the Secrets Manager provider, pins every region
 * and switch, and {@code EndpointRulesFixtureTest} holds this class to it. An override (the service's own
 * {@code AWS_ENDPOINT_URL_<SERVICE>}, else {@code AWS_ENDPOINT_URL}, as the SDKs read them; see
 * {@link Environment}) serves every region, and FIPS or dual-stack with it is a configuration error, as the
 * providers refuse it. Else {@code SERVICE[-fips].REGION.SUFFIX}, the suffix being the DNS suffix of the region's
 * partition (the SDK's partition metadata), or its dual-stack suffix with {@code AWS_USE_DUALSTACK_ENDPOINT=true},
 * except where the service's own endpoints are dual-stack already ({@link AwsService#dualStackAlready}).
 */
final class ServiceEndpoint {

    private static final Pattern REGION = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final PartitionEndpointKey PLAIN = PartitionEndpointKey.builder().build();
    private static final PartitionEndpointKey FIPS = key(EndpointTag.FIPS);
    private static final PartitionEndpointKey DUAL_STACK = key(EndpointTag.DUALSTACK);
    private static final PartitionEndpointKey FIPS_DUAL_STACK = key(EndpointTag.FIPS, EndpointTag.DUALSTACK);

    private ServiceEndpoint() {
    }

    static URI resolve(AwsService service, String region, Environment environment) {
        Optional<URI> override = environment.endpoint(service.endpointVariable());
        if (override.isPresent()) {
            return override.get();
        }
        if (!REGION.matcher(region).matches()) {
            throw AwsCallException.setup("\"" + region + "\" is not an AWS region name (such as us-east-1): "
                    + "check AWS_REGION and the ARN", null);
        }
        return URI.create("https://" + host(service, region, Partitions.partition(region), environment.fipsEndpoint(),
                environment.dualStackEndpoint()));
    }

    static String host(AwsService service, String region, PartitionMetadata partition, boolean fips,
            boolean dualStack) {
        String suffix = partition.dnsSuffix(fips ? (dualStack ? FIPS_DUAL_STACK : FIPS)
                : dualStack ? DUAL_STACK : PLAIN);
        if (suffix == null) {
            throw AwsCallException.setup(switches(fips, dualStack) + " asks for endpoints that partition "
                    + partition.id() + " (region " + region + ") does not have; unset "
                    + (fips && dualStack ? "one of them" : "it"), null);
        }
        if (dualStack && service.dualStackAlready(partition.id(), fips)) {
            suffix = partition.dnsSuffix(PLAIN);
        }
        boolean fipsName = fips && !service.fipsAlready(partition.id(), dualStack);
        return service.signingName() + (fipsName ? "-fips." : ".") + region + "." + suffix;
    }

    private static String switches(boolean fips, boolean dualStack) {
        List<String> on = new ArrayList<>(2);
        if (fips) {
            on.add(Environment.AWS_USE_FIPS_ENDPOINT + "=true");
        }
        if (dualStack) {
            on.add(Environment.AWS_USE_DUALSTACK_ENDPOINT + "=true");
        }
        return String.join(" and ", on);
    }

    private static PartitionEndpointKey key(EndpointTag... tags) {
        return PartitionEndpointKey.builder().tags(tags).build();
    }
}
