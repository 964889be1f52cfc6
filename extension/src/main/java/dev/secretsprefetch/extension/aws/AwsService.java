// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.aws;

import dev.secretsprefetch.extension.config.Environment;
import dev.secretsprefetch.manifest.EnvironmentVariables;

/**
 * The AWS services the extension calls, with what {@link SignedCalls} and {@link ServiceEndpoint} need to know
 * of each: the one place where the two differ.
 */
public enum AwsService {

    SECRETS_MANAGER("Secrets Manager", "secretsmanager", "secretsmanager", EnvironmentVariables.ENDPOINT_URL_SECRETS_MANAGER),
    SSM("Systems Manager", "ssm", "AmazonSSM", Environment.AWS_ENDPOINT_URL_SSM);

    private final String title;
    private final String signingName;
    private final String targetPrefix;
    private final String endpointVariable;

    AwsService(String title, String signingName, String targetPrefix, String endpointVariable) {
        this.title = title;
        this.signingName = signingName;
        this.targetPrefix = targetPrefix;
        this.endpointVariable = endpointVariable;
    }

    /** The name people know, for messages: {@code Secrets Manager}. */
    String title() {
        return title;
    }

    /** SigV4's service name, which is also the first label of the service's host names. */
    String signingName() {
        return signingName;
    }

    /** The {@code X-Amz-Target} header of an operation of the awsJson1_1 protocol. */
    String target(String operation) {
        return targetPrefix + "." + operation;
    }

    /** The service's own endpoint override variable ({@link Environment#endpoint}). */
    public String endpointVariable() {
        return endpointVariable;
    }

    /**
     * Whether the service's ordinary endpoints in {@code partition} are dual-stack already, so that
     * {@code AWS_USE_DUALSTACK_ENDPOINT} leaves them as they are (Secrets Manager's endpoint rules; SSM's take the
     * partition's dual-stack suffix everywhere).
     */
    boolean dualStackAlready(String partition, boolean fips) {
        return this == SECRETS_MANAGER && (partition.equals("aws") || partition.equals("aws-us-gov")
                || (partition.equals("aws-cn") && !fips));
    }

    /**
     * Whether the service's ordinary endpoints in {@code partition} are FIPS endpoints already, so that
     * {@code AWS_USE_FIPS_ENDPOINT} keeps their name (SSM's endpoint rules in GovCloud, without dual-stack).
     */
    boolean fipsAlready(String partition, boolean dualStack) {
        return this == SSM && partition.equals("aws-us-gov") && !dualStack;
    }
}
