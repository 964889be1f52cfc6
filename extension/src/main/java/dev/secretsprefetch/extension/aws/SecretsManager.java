// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.aws;

import dev.secretsprefetch.extension.aws.SecretsManagerJson.BatchAnswer;
import dev.secretsprefetch.extension.aws.SecretsManagerJson.SecretVersion;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The two Secrets Manager calls the extension makes, BatchGetSecretValue and GetSecretValue, over {@link SignedCalls}. */
public final class SecretsManager {

    private final SignedCalls calls;

    public SecretsManager(SignedCalls calls) {
        this.calls = calls;
    }

    public SecretVersion getSecretValue(String region, String secretId, Optional<String> versionId,
            Optional<String> versionStage, Duration timeout) {
        return calls.call(AwsService.SECRETS_MANAGER, region, "GetSecretValue",
                SecretsManagerJson.getSecretValueRequest(secretId, versionId, versionStage), timeout,
                SecretsManagerJson::secretVersion);
    }

    public BatchAnswer batchGetSecretValue(String region, List<String> secretIds, Optional<String> nextToken,
            Duration timeout) {
        return calls.call(AwsService.SECRETS_MANAGER, region, "BatchGetSecretValue",
                SecretsManagerJson.batchGetSecretValueRequest(secretIds, nextToken), timeout,
                SecretsManagerJson::batchAnswer);
    }
}
