// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.aws;

import dev.secretsprefetch.extension.config.Environment;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * What requests are signed with. Lambda puts the function role's keys in the environment, so they are used as
 * they are. Only when they are absent (SnapStart, where Lambda serves them from a container endpoint, or the
 * one-shot command on a workstation) is the AWS SDK's default credentials chain loaded, which also refreshes
 * them before they expire.
 */
final class SigningCredentials implements AutoCloseable {

    private final Optional<AwsCredentialsIdentity> fromEnvironment;
    private DefaultCredentialsProvider chain;

    SigningCredentials(Environment environment) {
        this.fromEnvironment = environment.credentials().map(c -> c.sessionToken()
                .<AwsCredentialsIdentity>map(token -> AwsSessionCredentialsIdentity.create(c.accessKeyId(),
                        c.secretAccessKey(), token))
                .orElseGet(() -> AwsCredentialsIdentity.create(c.accessKeyId(), c.secretAccessKey())));
    }

    AwsCredentialsIdentity resolve() {
        if (fromEnvironment.isPresent()) {
            return fromEnvironment.get();
        }
        try {
            return chain().resolveCredentials();
        } catch (RuntimeException e) {
            throw AwsCallException.setup("no AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
                    + "are not set and the AWS SDK's default chain found none (" + e.getMessage() + ")", e);
        }
    }

    private synchronized DefaultCredentialsProvider chain() {
        if (chain == null) {
            chain = DefaultCredentialsProvider.builder().build();
        }
        return chain;
    }

    @Override
    public synchronized void close() {
        if (chain != null) {
            chain.close();
        }
    }
}
