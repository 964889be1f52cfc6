// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.config;

import java.util.Map;
import software.amazon.awssdk.regions.GeneratedPartitionMetadataProvider;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

/** Which AWS partition a region is in: for ARNs' checks and for endpoint names. */
public final class Partitions {

    private static final Map<String, String> GLOBAL_REGIONS = Map.of("aws-cn-global", "aws-cn",
            "aws-us-gov-global", "aws-us-gov", "aws-iso-global", "aws-iso", "aws-iso-b-global", "aws-iso-b",
            "aws-iso-e-global", "aws-iso-e", "aws-iso-f-global", "aws-iso-f");
    /**
     * The partitions alone, not {@code PartitionMetadata.of}: that goes through the SDK's {@code MetadataLoader},
     * whose initializer builds the metadata of every service and region too, 6 MB more code in the native
     * executable and a slower first call on the JVM.
     */
    private static final GeneratedPartitionMetadataProvider PARTITIONS = new GeneratedPartitionMetadataProvider();

    private Partitions() {
    }

    /**
     * The region's partition as the SDK's rules find it: the one listing it, else the one whose pattern it fits, else
     * aws. Only these pseudo-regions are listed by a partition whose pattern they do not fit; the fixture holds the
     * table to the SDK. (Looking regions up in the SDK's {@code RegionMetadata} instead loads a class per region:
     * the first call took 3.5 times as long on the JVM, measured side by side.)
     */
    public static PartitionMetadata partition(String region) {
        String listed = GLOBAL_REGIONS.get(region);
        return listed != null ? PARTITIONS.partitionMetadata(listed) : PARTITIONS.partitionMetadata(Region.of(region));
    }
}
