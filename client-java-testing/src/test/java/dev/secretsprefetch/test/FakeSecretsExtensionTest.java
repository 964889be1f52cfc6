// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.test;

import static dev.secretsprefetch.test.Fingerprints.assertSameValue;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.secretsprefetch.Secrets;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.Events;

/**
 * The JUnit 5 extension, on sample test classes run by the JUnit engine (the samples are nested, so the build
 * does not run them on their own): every piece of a test's code sees the fakes, an undeclared name fails the test.
 */
class FakeSecretsExtensionTest {

    static final String API_KEY = "fixture-ext-api-key-spv-Ex7k";

    static final FakeSecrets SECRETS = FakeSecrets.builder().string("api-key", API_KEY).build();

    @Test
    void registeredStaticallyItCoversTheConstructorAndEveryLifecycleMethod() {
        Events tests = run(StaticSample.class);

        tests.assertStatistics(stats -> stats.started(3).succeeded(3).failed(0));
    }

    @Test
    void registeredInAnInstanceFieldItCoversEachTestAndItsBeforeAndAfterEach() {
        Events tests = run(InstanceSample.class);

        tests.assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
    }

    @Test
    void anUndeclaredNameFailsTheTestWithAMessageNamingIt() {
        Events tests = run(UndeclaredSample.class);

        tests.assertStatistics(stats -> stats.started(1).failed(1));
        tests.assertThatEvents().haveExactly(1, event(test("asksForAnUndeclaredName"), finishedWithFailure(
                instanceOf(AssertionError.class), message(m -> m.startsWith("secret \"db\" is not one of the fake "
                        + "secrets this test declared (\"api-key\")")))));
    }

    @Test
    void anUndeclaredNameTheCodeUnderTestCaughtStillFailsTheTest() {
        Events tests = run(SwallowingSample.class);

        tests.assertStatistics(stats -> stats.started(1).failed(1));
        tests.assertThatEvents().haveExactly(1, event(test("swallowsTheError"), finishedWithFailure(
                instanceOf(AssertionError.class), message(m -> m.contains("did not declare: \"db\"")))));
    }

    private static Events run(Class<?> sample) {
        return Samples.engine().selectors(selectClass(sample)).execute().testEvents();
    }

    @Sample
    static class StaticSample {

        @RegisterExtension
        static final FakeSecretsExtension EXTENSION = new FakeSecretsExtension(SECRETS);

        static String atBeforeAll;

        /** A handler built in a field initializer reads its secrets in the test class's constructor. */
        private final String atConstruction = Secrets.get("api-key");

        @BeforeAll
        static void beforeAll() {
            atBeforeAll = Secrets.get("api-key");
        }

        @BeforeEach
        void beforeEach() {
            assertSameValue(API_KEY, Secrets.get("api-key"), "in @BeforeEach");
        }

        @Test
        void seesTheFakesEverywhere() {
            assertSameValue(API_KEY, atBeforeAll, "in @BeforeAll");
            assertSameValue(API_KEY, atConstruction, "in the constructor");
            assertSameValue(API_KEY, Secrets.get("api-key"), "in the test");
        }

        @ParameterizedTest
        @ValueSource(strings = "api-key")
        void seesThemInParameterizedTests(String name) {
            assertSameValue(API_KEY, Secrets.get(name), "in a parameterized test");
        }

        @TestFactory
        Stream<DynamicTest> seesThemInDynamicTests() {
            assertSameValue(API_KEY, Secrets.get("api-key"), "in a test factory");
            return Stream.of(DynamicTest.dynamicTest("dynamic", () -> assertSameValue(API_KEY, Secrets.get("api-key"),
                    "in a dynamic test")));
        }

        @AfterEach
        void afterEach() {
            assertSameValue(API_KEY, Secrets.get("api-key"), "in @AfterEach");
        }

        @AfterAll
        static void afterAll() {
            assertSameValue(API_KEY, Secrets.get("api-key"), "in @AfterAll");
        }
    }

    @Sample
    static class InstanceSample {

        @RegisterExtension
        final FakeSecretsExtension extension = new FakeSecretsExtension(SECRETS);

        @BeforeEach
        void beforeEach() {
            assertSameValue(API_KEY, Secrets.get("api-key"), "in @BeforeEach");
        }

        @Test
        void seesTheFakes() {
            assertSameValue(API_KEY, Secrets.get("api-key"), "in the test");
        }

        @Test
        void seesThemInEveryTest() {
            assertSameValue(API_KEY, Secrets.get("api-key"), "in the second test");
        }

        @AfterEach
        void afterEach() {
            assertSameValue(API_KEY, Secrets.get("api-key"), "in @AfterEach");
        }
    }

    @Sample
    static class UndeclaredSample {

        @RegisterExtension
        static final FakeSecretsExtension EXTENSION = new FakeSecretsExtension(SECRETS);

        @Test
        void asksForAnUndeclaredName() {
            Secrets.get("db");
        }
    }

    @Sample
    static class SwallowingSample {

        @RegisterExtension
        static final FakeSecretsExtension EXTENSION = new FakeSecretsExtension(SECRETS);

        @Test
        void swallowsTheError() {
            assertThrows(AssertionError.class, () -> Secrets.get("db"));
        }
    }
}
