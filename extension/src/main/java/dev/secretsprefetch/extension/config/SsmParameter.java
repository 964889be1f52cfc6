// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.config;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * An SSM parameter as a configuration names it: a name ({@code /prod/db/url}, or {@code url} outside any path) or
 * an ARN ({@code arn:aws:ssm:REGION:ACCOUNT:parameter/prod/db/url}), optionally followed by SSM's own selector:
 * {@code :3} for version 3, {@code :live} for the version labelled {@code live}. GetParameters is asked for it as
 * written.
 *
 * @param configured the parameter as configured, selector included: the manifest entry's {@code parameter}
 * @param id the name or the ARN without the selector
 * @param name the parameter's name (from an ARN: its resource after {@code parameter}, with the leading slash of
 *     a path), as SSM answers with it
 * @param region the region of an ARN
 * @param version the pinned version, if any
 * @param label the pinned label, if any
 */
public record SsmParameter(String configured, String id, String name, Optional<String> region, OptionalLong version,
        Optional<String> label) {

    static final String FORM = "arn:aws:ssm:REGION:ACCOUNT:parameter/NAME";
    static final int MAX_NAME_CHARS = 2048;
    static final int MAX_LABEL_CHARS = 100;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-/]+");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_.\\-]+");
    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,17}");

    /** Whether the configuration asked for a specific version or label rather than the current one. */
    public boolean pinsVersion() {
        return version.isPresent() || label.isPresent();
    }

    /** Whether {@code value} is an SSM parameter ARN rather than a name (of a secret or a parameter). */
    static boolean looksLikeArn(String value) {
        return value.startsWith("arn:") && value.split(":", 4).length == 4 && value.split(":", 4)[2].equals("ssm");
    }

    /** Parses a configured parameter, or explains what is wrong with it, naming the part and never the whole. */
    public static SsmParameter parse(String value) throws InvalidParameterException {
        String nameAndSelector;
        Optional<String> region = Optional.empty();
        boolean arn = value.startsWith("arn:");
        if (arn) {
            String[] parts;
            try {
                parts = SecretArn.head(value, "ssm", 6);
            } catch (SecretArn.InvalidArnException e) {
                throw new InvalidParameterException("is not a valid SSM parameter ARN: " + e.getMessage()
                        + "; expected " + FORM);
            }
            if (!parts[5].startsWith("parameter/")) {
                throw new InvalidParameterException("is not a valid SSM parameter ARN: the resource does not start "
                        + "with parameter/; expected " + FORM);
            }
            region = Optional.of(parts[3]);
            nameAndSelector = parts[5].substring("parameter/".length());
        } else {
            nameAndSelector = value;
        }
        int colon = nameAndSelector.indexOf(':');
        String written = colon < 0 ? nameAndSelector : nameAndSelector.substring(0, colon);
        // The ARN of /prod/db/url is ...:parameter/prod/db/url: the path's leading slash is the resource's.
        String name = arn && written.indexOf('/') >= 0 ? "/" + written : written;
        Optional<String> problem = nameProblem(name);
        if (problem.isPresent()) {
            throw new InvalidParameterException("name " + problem.get());
        }
        OptionalLong version = OptionalLong.empty();
        Optional<String> label = Optional.empty();
        if (colon >= 0) {
            String selector = nameAndSelector.substring(colon + 1);
            if (VERSION.matcher(selector).matches()) {
                version = OptionalLong.of(Long.parseLong(selector));
            } else {
                Optional<String> labelProblem = labelProblem(selector);
                if (labelProblem.isPresent()) {
                    throw new InvalidParameterException("selector after the colon " + labelProblem.get());
                }
                label = Optional.of(selector);
            }
        }
        String id = colon < 0 ? value : value.substring(0, value.length() - (nameAndSelector.length() - colon));
        return new SsmParameter(value, id, name, region, version, label);
    }

    private static Optional<String> nameProblem(String name) {
        if (name.isEmpty()) {
            return Optional.of("is empty");
        }
        if (name.length() > MAX_NAME_CHARS) {
            return Optional.of("is " + name.length() + " characters long, more than " + MAX_NAME_CHARS);
        }
        if (!NAME.matcher(name).matches()) {
            return Optional.of("contains characters SSM does not allow (only letters, digits and _.-/)");
        }
        if (name.indexOf('/') >= 0 && !name.startsWith("/")) {
            return Optional.of("has a path but does not start with / (SSM wants the full path, e.g. /prod/db/url)");
        }
        if (name.endsWith("/") || name.contains("//")) {
            return Optional.of("has an empty path segment");
        }
        return Optional.empty();
    }

    private static Optional<String> labelProblem(String label) {
        if (label.isEmpty()) {
            return Optional.of("is empty: write a version (e.g. :3) or a label (e.g. :live), or no colon");
        }
        if (label.length() > MAX_LABEL_CHARS || !LABEL.matcher(label).matches()
                || Character.isDigit(label.charAt(0))) {
            return Optional.of("is neither a version (a number from 1) nor a label (1 to " + MAX_LABEL_CHARS
                    + " letters, digits, '.', '-' or '_', not starting with a digit)");
        }
        String lower = label.toLowerCase(Locale.ROOT);
        if (lower.startsWith("aws") || lower.startsWith("ssm")) {
            return Optional.of("is a label starting with aws or ssm, which SSM reserves");
        }
        return Optional.empty();
    }

    /** Why a string is not an SSM parameter; the message never repeats it. */
    static final class InvalidParameterException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidParameterException(String message) {
            super(message);
        }
    }
}
