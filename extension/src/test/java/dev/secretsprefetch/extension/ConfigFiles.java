// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import dev.secretsprefetch.extension.config.Config;
import dev.secretsprefetch.extension.config.Json;
import dev.secretsprefetch.extension.config.ParameterSpec;
import dev.secretsprefetch.extension.config.SecretSpec;
import dev.secretsprefetch.extension.config.ValueSpec;
import java.util.Locale;

/** A {@link Config} as the configuration file it would be read from (docs/configuration.md). */
final class ConfigFiles {

    private ConfigFiles() {
    }

    static byte[] json(Config config) {
        return Json.object(g -> {
            g.writeStringField("directory", config.directory().toString());
            g.writeNumberField("refreshIntervalSeconds", config.refreshInterval().toSeconds());
            g.writeNumberField("fetchDeadlineMs", config.fetchDeadline().toMillis());
            g.writeBooleanField("keepOnShutdown", config.keepOnShutdown());
            g.writeStringField("logLevel", config.logLevel().name().toLowerCase(Locale.ROOT));
            g.writeArrayFieldStart("secrets");
            for (ValueSpec value : config.secrets()) {
                g.writeStartObject();
                g.writeStringField("name", value.name());
                if (value instanceof ParameterSpec parameter) {
                    g.writeStringField("parameter", parameter.parameter().configured());
                    if (parameter.file().isPresent()) {
                        g.writeStringField("file", parameter.file().get());
                    }
                    g.writeEndObject();
                    continue;
                }
                SecretSpec secret = (SecretSpec) value;
                g.writeStringField("secretId", secret.secretId());
                if (secret.versionId().isPresent()) {
                    g.writeStringField("versionId", secret.versionId().get());
                }
                if (secret.versionStage().isPresent()) {
                    g.writeStringField("versionStage", secret.versionStage().get());
                }
                if (secret.file().isPresent()) {
                    g.writeStringField("file", secret.file().get());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }
}
