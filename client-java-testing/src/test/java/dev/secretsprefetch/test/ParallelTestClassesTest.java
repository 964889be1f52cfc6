// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.test;

import static dev.secretsprefetch.test.Fingerprints.assertSameValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.secretsprefetch.Secrets;
import dev.secretsprefetch.SecretsException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.Events;

/**
 * Test classes that JUnit runs in parallel (junit.jupiter.execution.parallel.*), each declaring its own value for
 * the same name, and one declaring none: while all of them are inside their tests at the same moment (a barrier
 * holds each until the others arrive), each reads only its own value, and the class without fakes gets none.
 */
class ParallelTestClassesTest {

    static final String ALPHA = "fixture-parallel-alpha-spv-A1ph";
    static final String BETA = "fixture-parallel-beta-spv-B3ta";
    static final int ROUNDS = 3;
    /** One test of each sample class at a time, all three inside their test together. */
    static final CyclicBarrier TOGETHER = new CyclicBarrier(3);

    @Test
    void parallelTestClassesNeverSeeEachOthersFakes() {
        TOGETHER.reset();
        Events tests = Samples.engine()
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "same_thread")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "3")
                .selectors(selectClass(Alpha.class), selectClass(Beta.class), selectClass(WithoutFakes.class))
                .execute()
                .testEvents();

        tests.assertStatistics(stats -> stats.started(3 * ROUNDS).succeeded(3 * ROUNDS).failed(0));
    }

    /** Waits until the other two classes are inside a test too; fails rather than hang if they never come. */
    static void meetTheOthers() throws Exception {
        TOGETHER.await(60, TimeUnit.SECONDS);
    }

    @Sample
    static class Alpha {

        @RegisterExtension
        static final FakeSecretsExtension SECRETS = new FakeSecretsExtension(FakeSecrets.builder()
                .string("db", ALPHA).build());

        @RepeatedTest(ROUNDS)
        void seesItsOwnValue() throws Exception {
            meetTheOthers();
            assertSameValue(ALPHA, Secrets.get("db"), "Alpha's db");
            meetTheOthers();
            assertSameValue(ALPHA, Secrets.get("db"), "Alpha's db, after the others read theirs");
        }
    }

    @Sample
    static class Beta {

        @RegisterExtension
        static final FakeSecretsExtension SECRETS = new FakeSecretsExtension(FakeSecrets.builder()
                .string("db", BETA).build());

        @RepeatedTest(ROUNDS)
        void seesItsOwnValue() throws Exception {
            meetTheOthers();
            assertSameValue(BETA, Secrets.get("db"), "Beta's db");
            meetTheOthers();
            assertSameValue(BETA, Secrets.get("db"), "Beta's db, after the others read theirs");
        }
    }

    @Sample
    static class WithoutFakes {

        @RepeatedTest(ROUNDS)
        void getsTheEnvironmentsClientNotAFake() throws Exception {
            meetTheOthers();
            // This module's tests run with no manifest and a Secrets Manager nothing listens on (pom.xml).
            assertEquals(SecretsException.Reason.OTHER, assertThrows(SecretsException.class,
                    () -> Secrets.get("db")).reason());
            meetTheOthers();
        }
    }
}
