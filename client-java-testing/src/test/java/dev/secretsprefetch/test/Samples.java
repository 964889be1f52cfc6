// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.test;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs {@link Sample} classes in-process with the JUnit engine. */
final class Samples {

    /** The configuration parameter that marks a run of samples. */
    private static final String PARAMETER = "secretsprefetch.samples";

    private Samples() {
    }

    /** An engine that runs samples. */
    static EngineTestKit.Builder engine() {
        return EngineTestKit.engine("junit-jupiter").configurationParameter(PARAMETER, "true");
    }

    /** Disables a sample outside {@link #engine()}. */
    static final class OnlyAsSample implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(PARAMETER).isPresent()
                    ? ConditionEvaluationResult.enabled("run as a sample")
                    : ConditionEvaluationResult.disabled("a sample: run by the test class around it");
        }
    }
}
