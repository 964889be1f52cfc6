// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.extension.config.SecretSpec;
import dev.secretsprefetch.manifest.SecretEntry;
import dev.secretsprefetch.manifest.SecretValue;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RefreshTest {

    private static SecretEntry value(String versionId, String value) {
        return new SecretEntry("prod/db", Optional.of("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-A"),
                Optional.of(versionId), List.of("AWSCURRENT"), Optional.empty(), Optional.empty(), 1L,
                new SecretValue.Text(value));
    }

    private static SecretEntry failure(String code) {
        return SecretEntry.failed("prod/db", Optional.empty(), Optional.empty(), 2L, code, "it failed");
    }

    @Test
    void refreshIsDueOnceTheIntervalHasPassed() {
        Refresh refresh = new Refresh(Duration.ofSeconds(300));
        assertFalse(refresh.due(1_000 + 299_999, 1_000));
        assertTrue(refresh.due(1_000 + 300_000, 1_000));
    }

    @Test
    void zeroIntervalTurnsRefreshOff() {
        assertFalse(new Refresh(Duration.ZERO).due(Long.MAX_VALUE, 0));
    }

    @Test
    void sameVersionChangesNothing() {
        SecretEntry current = value("v1", "spv-fake-value-one");
        Refresh.Outcome outcome = Refresh.merge(Map.of("db", current), Map.of("db", value("v1", "spv-fake-value-one")));
        assertFalse(outcome.anyChange());
        assertSame(current, outcome.entries().get("db"));
    }

    @Test
    void newVersionIsANewGeneration() {
        Refresh.Outcome outcome = Refresh.merge(Map.of("db", value("v1", "spv-fake-value-one")),
                Map.of("db", value("v2", "spv-fake-value-two")));
        assertEquals(List.of("db"), outcome.changed());
        assertEquals(Optional.of("v2"), outcome.entries().get("db").versionId());
    }

    @Test
    void failedRefreshKeepsThePreviousValue() {
        SecretEntry current = value("v1", "spv-fake-value-one");
        Refresh.Outcome outcome = Refresh.merge(Map.of("db", current), Map.of("db", failure("ThrottlingException")));
        assertFalse(outcome.anyChange());
        assertEquals(List.of("db"), outcome.keptAfterFailure());
        assertSame(current, outcome.entries().get("db"));
    }

    @Test
    void valueReplacingAnErrorIsANewGeneration() {
        Refresh.Outcome outcome = Refresh.merge(Map.of("db", failure("Timeout")), Map.of("db", value("v1", "x")));
        assertEquals(List.of("db"), outcome.changed());
        assertFalse(outcome.entries().get("db").failed());
    }

    @Test
    void repeatedFailureChangesNothing() {
        Refresh.Outcome outcome = Refresh.merge(Map.of("db", failure("Timeout")),
                Map.of("db", failure("ResourceNotFoundException")));
        assertFalse(outcome.anyChange());
        assertTrue(outcome.keptAfterFailure().isEmpty());
    }

    @Test
    void entriesNotRefreshedStayAsTheyWere() {
        Map<String, SecretEntry> current = new LinkedHashMap<>();
        current.put("pinned", value("v1", "a"));
        current.put("db", value("v1", "b"));
        Refresh.Outcome outcome = Refresh.merge(current, Map.of("db", value("v2", "c")));
        assertEquals(List.of("pinned", "db"), List.copyOf(outcome.entries().keySet()));
        assertSame(current.get("pinned"), outcome.entries().get("pinned"));
    }

    @Test
    void secretsPinnedToAVersionIdAreNotRefetchedOnceFetched() {
        SecretSpec pinned = new SecretSpec("pinned", "db", Optional.of("v1"), Optional.empty(), Optional.empty());
        SecretSpec stage = new SecretSpec("old", "db", Optional.empty(), Optional.of("AWSPREVIOUS"), Optional.empty());
        SecretSpec current = SecretSpec.of("db", "db");
        assertEquals(List.of(stage, current), Refresh.candidates(List.of(pinned, stage, current),
                Map.of("pinned", value("v1", "a"), "old", value("v0", "b"), "db", value("v2", "c"))));
        assertEquals(List.of(pinned), Refresh.candidates(List.of(pinned), Map.of("pinned", failure("Timeout"))));
    }
}
