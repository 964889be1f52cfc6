// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.aws;

import dev.secretsprefetch.extension.aws.SsmJson.ParametersAnswer;
import java.time.Duration;
import java.util.List;

/** The one SSM call the extension makes, GetParameters with decryption, over {@link SignedCalls}. */
public final class Ssm {

    /** GetParameters takes at most 10 names. */
    public static final int MAX_NAMES = 10;

    private final SignedCalls calls;

    public Ssm(SignedCalls calls) {
        this.calls = calls;
    }

    /** @param names at most {@value #MAX_NAMES} names or ARNs, each with its selector if any */
    public ParametersAnswer getParameters(String region, List<String> names, Duration timeout) {
        return calls.call(AwsService.SSM, region, "GetParameters", SsmJson.getParametersRequest(names), timeout,
                SsmJson::parametersAnswer);
    }
}
