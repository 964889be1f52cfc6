// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;

class SecretArnTest {

    @Test
    void regionComesFromTheArn() throws Exception {
        SecretArn arn = SecretArn.parse("arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:a/b-AbCdEf");
        assertEquals("aws-cn", arn.partition());
        assertEquals("cn-north-1", arn.region());
        assertEquals("a/b-AbCdEf", arn.resource());
        assertEquals(Optional.of("us-gov-west-1"),
                SecretSpec.of("x", "arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:x").arnRegion());
    }

    @Test
    void everyRegionOfEveryPartitionTheSdkKnowsIsAccepted() {
        List<String> refused = new ArrayList<>();
        int partitions = (int) Region.regions().stream().filter(r -> !r.isGlobalRegion())
                .map(r -> RegionMetadata.of(r).partition().id()).distinct().count();
        for (Region region : Region.regions()) {
            if (region.isGlobalRegion()) {
                continue;
            }
            String arn = "arn:" + RegionMetadata.of(region).partition().id() + ":secretsmanager:" + region.id()
                    + ":123456789012:secret:prod/db-AbCdEf";
            try {
                assertEquals(region.id(), SecretArn.parse(arn).region());
            } catch (SecretArn.InvalidArnException e) {
                refused.add(arn + ": " + e.getMessage());
            }
        }
        assertEquals(List.of(), refused);
        assertTrue(partitions >= 8, partitions + " partitions");
    }

    @Test
    void aRegionOfAPartitionNotYetKnownIsAcceptedByItsShape() throws Exception {
        assertEquals("xy-newland-3", SecretArn.parse("arn:aws-xy:secretsmanager:xy-newland-3:123456789012:secret:a")
                .region());
    }

    @Test
    void aRegionInTheWrongPartitionIsNamedWithTheRightOne() {
        SecretArn.InvalidArnException e = assertThrows(SecretArn.InvalidArnException.class, () -> SecretArn.parse(
                "arn:aws:secretsmanager:eusc-de-east-1:123456789012:secret:a"));
        assertEquals("region \"eusc-de-east-1\" is in partition aws-eusc, not aws: the ARN starts "
                + "arn:aws-eusc:secretsmanager:eusc-de-east-1:", e.getMessage());
    }

    @Test
    void somethingThatIsNoRegionIsRefused() {
        for (String region : new String[] {"eu-west", "EU-WEST-1", "eu_west_1", "1-2", "eu--west-1", "-eu-west-1"}) {
            SecretArn.InvalidArnException e = assertThrows(SecretArn.InvalidArnException.class, () -> SecretArn.parse(
                    "arn:aws:secretsmanager:" + region + ":123456789012:secret:a"), region);
            assertTrue(e.getMessage().startsWith("region \"" + region + "\" is not a region"), e.getMessage());
        }
    }

    @Test
    void namesHaveNoArnRegion() {
        assertEquals(Optional.empty(), SecretSpec.of("x", "prod/db").arnRegion());
    }

    @Test
    void malformedArnsAreRefused() {
        assertThrows(SecretArn.InvalidArnException.class, () -> SecretArn.parse("arn:aws:secretsmanager:us-east-1"));
        assertThrows(SecretArn.InvalidArnException.class,
                () -> SecretArn.parse("arn:aws:secretsmanager:us-east-1:123456789012:secret:"));
        assertEquals(Optional.empty(), SecretArn.of("arn:aws:s3:::bucket"));
    }

    @Test
    void misspeltKeysGetSuggestionsButUnrelatedOnesDoNot() {
        java.util.List<String> keys = ConfigJson.TOP_LEVEL_KEYS;
        assertEquals(Optional.of("fetchDeadlineMs"), Suggestions.closest("fetchDeadline", keys));
        assertEquals(Optional.of("keepOnShutdown"), Suggestions.closest("keeponshutdown", keys));
        assertEquals(Optional.of("secrets"), Suggestions.closest("secret", keys));
        assertEquals(Optional.empty(), Suggestions.closest("region", keys));
    }
}
