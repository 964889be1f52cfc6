// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.secretsprefetch.extension.config.Environment;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.endpoints.SsmEndpointParams;
import software.amazon.awssdk.services.ssm.endpoints.SsmEndpointProvider;

/**
 * {@link ServiceEndpoint} gives the SSM endpoint the SDK's own SSM endpoint provider (of the SDK this build uses)
 * resolves, for every region the SDK lists, with the FIPS and dual-stack switches off and on.
 */
class SsmEndpointRulesTest {

    @Test
    void everyRegionAndSwitchResolvesAsTheSdksSsmEndpointProviderDoes() throws Exception {
        List<String> differences = new ArrayList<>();
        for (Region region : Region.regions()) {
            for (boolean fips : new boolean[] {false, true}) {
                for (boolean dualStack : new boolean[] {false, true}) {
                    String sdk;
                    try {
                        sdk = SsmEndpointProvider.defaultProvider().resolveEndpoint(SsmEndpointParams.builder()
                                .region(region).useFips(fips).useDualStack(dualStack).build()).join().url()
                                .toString();
                    } catch (RuntimeException e) {
                        sdk = "error";
                    }
                    String ours;
                    try {
                        ours = ServiceEndpoint.resolve(AwsService.SSM, region.id(), Environment.from(Map.of(
                                "AWS_USE_FIPS_ENDPOINT", String.valueOf(fips),
                                "AWS_USE_DUALSTACK_ENDPOINT", String.valueOf(dualStack)))).toString();
                    } catch (AwsCallException e) {
                        ours = "error";
                    }
                    if (!sdk.equals(ours) && !URI.create(sdk).equals(URI.create(ours.equals("error") ? "x:" : ours))) {
                        differences.add(region.id() + (fips ? " fips" : "") + (dualStack ? " dual-stack" : "")
                                + ": SDK " + sdk + ", extension " + ours);
                    }
                }
            }
        }
        assertEquals(List.of(), differences);
    }
}
