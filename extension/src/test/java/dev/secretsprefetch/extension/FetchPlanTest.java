// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.extension.config.ParameterSpec;
import dev.secretsprefetch.extension.config.SecretSpec;
import dev.secretsprefetch.extension.config.ValueSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FetchPlanTest {

    private static String arn(String region, String name) {
        return "arn:aws:secretsmanager:" + region + ":123456789012:secret:" + name;
    }

    @Test
    void batchesHoldAtMostTwentyIds() {
        List<SecretSpec> secrets = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            secrets.add(SecretSpec.of("s" + i, "app/s" + i));
        }
        FetchPlan plan = FetchPlan.of(secrets, Optional.of("us-east-1"));
        assertEquals(List.of(20, 20, 5), plan.batches().stream().map(b -> b.secretIds().size()).toList());
        assertEquals("app/s20", plan.batches().get(1).secretIds().get(0));
        assertTrue(plan.singles().isEmpty());
    }

    @Test
    void secretsAreGroupedByTheRegionOfTheirArn() {
        FetchPlan plan = FetchPlan.of(List.of(
                SecretSpec.of("a", "plain"),
                SecretSpec.of("b", arn("eu-west-1", "b")),
                SecretSpec.of("c", arn("us-east-1", "c")),
                SecretSpec.of("d", arn("eu-west-1", "d"))), Optional.of("us-east-1"));
        assertEquals(2, plan.batches().size());
        assertEquals("us-east-1", plan.batches().get(0).region());
        assertEquals(List.of("plain", arn("us-east-1", "c")), plan.batches().get(0).secretIds());
        assertEquals("eu-west-1", plan.batches().get(1).region());
        assertEquals(List.of(arn("eu-west-1", "b"), arn("eu-west-1", "d")), plan.batches().get(1).secretIds());
    }

    @Test
    void pinnedVersionsAreFetchedOneByOne() {
        SecretSpec stage = new SecretSpec("old", "db", Optional.empty(), Optional.of("AWSPREVIOUS"), Optional.empty());
        SecretSpec id = new SecretSpec("v1", arn("ap-south-1", "db"), Optional.of("abc"), Optional.empty(),
                Optional.empty());
        FetchPlan plan = FetchPlan.of(List.of(SecretSpec.of("db", "db"), stage, id), Optional.of("us-east-1"));
        assertEquals(List.of(new FetchPlan.Single("us-east-1", stage), new FetchPlan.Single("ap-south-1", id)),
                plan.singles());
        assertEquals(List.of("db"), plan.batches().get(0).secretIds());
    }

    @Test
    void namesSharingAnIdShareOneSlotInTheBatch() {
        FetchPlan plan = FetchPlan.of(List.of(SecretSpec.of("a", "db"), SecretSpec.of("b", "db")),
                Optional.of("us-east-1"));
        assertEquals(1, plan.batches().size());
        assertEquals(List.of("db"), plan.batches().get(0).secretIds());
        assertEquals(2, plan.batches().get(0).secretsById().get("db").size());
    }

    @Test
    void secretsWithoutAnyRegionAreSetAside() {
        FetchPlan plan = FetchPlan.of(List.of(SecretSpec.of("a", "db"), SecretSpec.of("b", arn("eu-west-1", "b"))),
                Optional.empty());
        assertEquals(List.of(SecretSpec.of("a", "db")), plan.withoutRegion());
        assertEquals("eu-west-1", plan.batches().get(0).region());
    }

    @Test
    void batchAnswersMatchNamesFullArnsAndPartialArns() {
        String full = arn("us-east-1", "prod/db-AbCdEf");
        String partial = arn("us-east-1", "prod/db");
        java.util.Map<String, Object> requested = new java.util.LinkedHashMap<>();
        requested.put("prod/db", 1);
        requested.put(full, 1);
        requested.put(partial, 1);
        requested.put(arn("us-east-1", "prod/d"), 1);
        assertEquals(List.of("prod/db", full, partial), Fetcher.matching(requested, "prod/db", full));
    }

    @Test
    void parametersGoIntoGetParametersCallsOfAtMostTenPerRegion() {
        List<ValueSpec> values = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            values.add(ParameterSpec.of("p" + i, "/app/p" + i));
        }
        values.add(ParameterSpec.of("eu", "arn:aws:ssm:eu-west-1:123456789012:parameter/app/eu"));
        values.add(SecretSpec.of("db", "db"));
        FetchPlan plan = FetchPlan.of(values, Optional.of("us-east-1"));
        assertEquals(List.of(10, 2, 1), plan.parameterCalls().stream().map(c -> c.names().size()).toList());
        assertEquals(List.of("us-east-1", "us-east-1", "eu-west-1"),
                plan.parameterCalls().stream().map(FetchPlan.ParameterCall::region).toList());
        assertEquals(List.of("arn:aws:ssm:eu-west-1:123456789012:parameter/app/eu"), plan.parameterCalls().get(2).names());
        assertEquals(1, plan.batches().size());
    }

    @Test
    void oneParameterAskedForWithSeveralSelectorsGoesIntoSeveralCalls() {
        FetchPlan plan = FetchPlan.of(List.of(ParameterSpec.of("now", "/app/url"), ParameterSpec.of("v1", "/app/url:1"),
                ParameterSpec.of("other", "/app/other"), ParameterSpec.of("again", "/app/url")),
                Optional.of("us-east-1"));
        assertEquals(List.of(List.of("/app/url", "/app/other"), List.of("/app/url:1")),
                plan.parameterCalls().stream().map(FetchPlan.ParameterCall::names).toList());
        assertEquals(2, plan.parameterCalls().get(0).specsByParameter().get("/app/url").size());
    }

    @Test
    void parametersWithoutAnyRegionAreSetAside() {
        FetchPlan plan = FetchPlan.of(List.of(ParameterSpec.of("a", "/a")), Optional.empty());
        assertEquals(List.of(ParameterSpec.of("a", "/a")), plan.withoutRegion());
        assertTrue(plan.parameterCalls().isEmpty());
    }
}
