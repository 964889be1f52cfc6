package dev.secretsprefetch.extension;

import dev.secretsprefetch.manifest.EnvironmentVariables;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code SECRETS_PREFETCH_SECRETS="name=secretIdOrArn,..."}: the configuration for simple cases. */
final class InlineSecrets {

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
                        + "name=secretIdOrArn items separated by single commas");
            }
            int equals = item.indexOf('=');
            if (equals <= 0 || equals == item.length() - 1) {
                throw new ConfigException(EnvironmentVariables.SECRETS + ": " + where + " is not name=secretIdOrArn; "
                        + "write e.g. db=prod/db (the name handlers ask for, then the secret's name or ARN)");
            }
            secrets.add(new RawSecret(where, item.substring(0, equals).trim(), item.substring(equals + 1).trim(),
                    Optional.empty(), Optional.empty(), Optional.empty()));
        }
        return RawConfig.of(secrets);
    }
}
