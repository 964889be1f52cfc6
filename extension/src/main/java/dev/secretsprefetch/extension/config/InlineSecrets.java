// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.config;

import dev.secretsprefetch.manifest.EnvironmentVariables;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code SECRETS_PREFETCH_SECRETS="name=secretIdOrArn,name=ssm:/parameter,..."}: the configuration for simple
 * cases. An item is an SSM parameter when its value starts with {@code ssm:} (then the parameter's name or ARN, with
 * an optional {@code :version} or {@code :label}) or is an SSM parameter ARN; anything else is a secret id, since a
 * secret's name may hold {@code /} too.
 */
final class InlineSecrets {

    /** The prefix that makes an item's value an SSM parameter. */
    static final String SSM_PREFIX = "ssm:";

    private InlineSecrets() {
    }

    static RawConfig parse(String value) throws ConfigException {
        List<RawSecret> secrets = new ArrayList<>();
        String[] items = value.split(",", -1);
        for (int i = 0; i < items.length; i++) {
            String item = items[i].trim();
            String where = "entry " + (i + 1);
            if (item.isEmpty()) {
                throw new ConfigException(EnvironmentVariables.SECRETS + ": " + where + " is empty; write "
                        + "name=secretIdOrArn or name=ssm:/parameter items separated by single commas");
            }
            int equals = item.indexOf('=');
            if (equals <= 0 || equals == item.length() - 1) {
                throw new ConfigException(EnvironmentVariables.SECRETS + ": " + where + " is not name=secretIdOrArn; "
                        + "write e.g. db=prod/db (the name handlers ask for, then the secret's name or ARN), or "
                        + "url=ssm:/prod/db/url for an SSM parameter");
            }
            String name = item.substring(0, equals).trim();
            String id = item.substring(equals + 1).trim();
            Optional<String> parameter = id.startsWith(SSM_PREFIX) ? Optional.of(id.substring(SSM_PREFIX.length()))
                    : SsmParameter.looksLikeArn(id) ? Optional.of(id) : Optional.empty();
            secrets.add(new RawSecret(where, name, parameter.isPresent() ? Optional.empty() : Optional.of(id),
                    parameter, Optional.empty(), Optional.empty(), Optional.empty()));
        }
        return RawConfig.of(secrets);
    }
}
