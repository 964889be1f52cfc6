// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.config;

import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.regions.PartitionMetadata;

/**
 * A Secrets Manager ARN, {@code arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME[-SUFFIX]}: full (with
 * the six-character suffix Secrets Manager appends) or partial (without it). Only the region is used: it
 * picks the client the secret is fetched with.
 */
public record SecretArn(String partition, String region, String account, String resource) {

    static final String FORM = "arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME";

    private static final Pattern PARTITION = Pattern.compile("aws(-[a-z]+)*");
    /**
     * The shape every partition's region pattern in the SDK's metadata has ({@code us-east-1}, {@code us-gov-west-1},
     * {@code eusc-de-east-1}, {@code eu-isoe-west-1}): a region of a partition this SDK does not know yet passes too.
     */
    private static final Pattern REGION = Pattern.compile("[a-z]+(-[a-z0-9]+)*-[0-9]+");
    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");

    /** Whether {@code secretId} is meant as an ARN rather than a secret name. */
    public static boolean looksLikeArn(String secretId) {
        return secretId.startsWith("arn:");
    }

    /**
     * Parses an ARN, or explains what is wrong with it (the explanation names the part and the expected form).
     */
    static SecretArn parse(String arn) throws InvalidArnException {
        String[] parts = head(arn, "secretsmanager", 7);
        if (!parts[5].equals("secret")) {
            throw new InvalidArnException("resource type is " + Echo.quoted(parts[5]) + ", not secret");
        }
        Optional<String> problem = SecretNames.secretNameProblem(parts[6]);
        if (problem.isPresent()) {
            throw new InvalidArnException("secret name " + problem.get());
        }
        return new SecretArn(parts[1], parts[3], parts[4], parts[6]);
    }

    /**
     * The ARN's {@code count} colon-separated parts (the last one holding the rest), the partition, service, region
     * and account checked: the rules every service's ARNs share.
     */
    static String[] head(String arn, String service, int count) throws InvalidArnException {
        String[] parts = arn.split(":", count);
        if (parts.length < count || !parts[0].equals("arn")) {
            throw new InvalidArnException("has " + parts.length + " colon-separated parts, expected " + count);
        }
        if (!PARTITION.matcher(parts[1]).matches()) {
            throw new InvalidArnException("partition " + Echo.quoted(parts[1]) + " is not an AWS partition (aws, "
                    + "aws-cn, aws-us-gov, ...)");
        }
        if (!parts[2].equals(service)) {
            throw new InvalidArnException("service is " + Echo.quoted(parts[2]) + ", not " + service);
        }
        if (!REGION.matcher(parts[3]).matches()) {
            throw new InvalidArnException("region " + Echo.quoted(parts[3]) + " is not a region such as us-east-1");
        }
        // The partition whose region pattern matches, as the SDK picks it (it falls back to aws, which may not).
        PartitionMetadata partition = Partitions.partition(parts[3]);
        if (parts[3].matches(partition.regionRegex()) && !partition.id().equals(parts[1])) {
            throw new InvalidArnException("region " + Echo.quoted(parts[3]) + " is in partition " + partition.id()
                    + ", not " + parts[1] + ": the ARN starts arn:" + partition.id() + ":" + service + ":"
                    + parts[3] + ":");
        }
        if (!ACCOUNT.matcher(parts[4]).matches()) {
            throw new InvalidArnException("account " + Echo.quoted(parts[4]) + " is not a 12-digit account id");
        }
        return parts;
    }

    /** The ARN of a secret, when {@code secretId} is one and well-formed. */
    static Optional<SecretArn> of(String secretId) {
        if (!looksLikeArn(secretId)) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(secretId));
        } catch (InvalidArnException e) {
            return Optional.empty();
        }
    }

    /** Why a string is not a valid ARN; the message never repeats the whole ARN. */
    static final class InvalidArnException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidArnException(String message) {
            super(message);
        }
    }
}
