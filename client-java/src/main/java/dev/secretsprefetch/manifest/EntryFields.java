// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The fields of one {@code secrets} entry as a reader found them, each type-checked already, and the rules that
 * join them into a {@link SecretEntry} (docs/manifest.md, "An entry"). Every field of the table is type-checked
 * on every entry; the ones of the other kind (a {@code versionId} on a parameter entry) are then ignored.
 */
final class EntryFields {

    String secretId;
    String parameter;
    String arn;
    String versionId;
    List<String> versionStages = List.of();
    String requestedVersionId;
    String requestedVersionStage;
    String parameterType;
    Long parameterVersion;
    Long requestedVersion;
    String requestedLabel;
    Long fetchedAtEpochMs;
    boolean binary;
    final List<SecretValue> values = new ArrayList<>(1);

    /** The entry, or why the fields make none; {@code where} names the entry by position, never by name. */
    SecretEntry toEntry(String where) throws ManifestFormatException {
        if (values.size() != 1) {
            throw ManifestFormatException.corrupt("manifest "
                    + where + " must have exactly one of secretString, secretBinary and error, has " + values.size());
        }
        if ((secretId == null) == (parameter == null)) {
            throw ManifestFormatException.corrupt("manifest " + where + " must have exactly one of secretId and "
                    + "parameter, has " + (secretId == null ? "neither" : "both"));
        }
        if (fetchedAtEpochMs == null) {
            throw ManifestFormatException.corrupt("manifest has no " + where + " field fetchedAtEpochMs");
        }
        SecretEntry.Source source;
        if (secretId != null) {
            source = new SecretEntry.Secret(secretId, Optional.ofNullable(versionId), versionStages,
                    Optional.ofNullable(requestedVersionId), Optional.ofNullable(requestedVersionStage));
        } else if (binary) {
            throw ManifestFormatException.corrupt("manifest " + where + " is a parameter with a secretBinary; "
                    + "an SSM parameter's value is text");
        } else {
            source = new SecretEntry.Parameter(parameter, Optional.ofNullable(parameterType),
                    optionalLong(parameterVersion), optionalLong(requestedVersion), Optional.ofNullable(requestedLabel));
        }
        return new SecretEntry(source, Optional.ofNullable(arn), fetchedAtEpochMs, values.get(0));
    }

    private static OptionalLong optionalLong(Long value) {
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }
}
