// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.config;

import dev.secretsprefetch.manifest.EnvironmentVariables;
import dev.secretsprefetch.manifest.Log;
import dev.secretsprefetch.manifest.ManifestFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the configuration (the file, or {@code SECRETS_PREFETCH_SECRETS}) and turns it into a {@link Config},
 * checking everything that involves more than one value: duplicate names and files, ARNs, pinned versions,
 * the directory and the log level against the environment.
 */
public final class ConfigLoader {

    public static final Path DEFAULT_CONFIG_FILE = Path.of("/var/task/secrets-prefetch.json");
    /** Overrides the configuration's {@code runtimeStart} (the extension alone reads it; clients do not care). */
    public static final String RUNTIME_START = "SECRETS_PREFETCH_RUNTIME_START";
    static final long MAX_CONFIG_BYTES = 1024 * 1024;

    private final Path defaultConfigFile;

    public ConfigLoader(Path defaultConfigFile) {
        this.defaultConfigFile = defaultConfigFile;
    }

    /** The configuration the environment selects, as the extension reads it. */
    public Config load(Map<String, String> env) throws ConfigException {
        return load(env, Optional.empty(), Optional.empty());
    }

    /**
     * The configuration from {@code configFile} when given (the one-shot command's {@code --config}), else the
     * one the environment selects; {@code directory}, when given, replaces the configured directory.
     */
    public Config load(Map<String, String> env, Optional<Path> configFile, Optional<Path> directory)
            throws ConfigException {
        String inline = blankToNull(env.get(EnvironmentVariables.SECRETS));
        String configVariable = blankToNull(env.get(EnvironmentVariables.CONFIG));
        RawConfig raw;
        String source;
        if (configFile.isPresent()) {
            source = Echo.path(configFile.get());
            raw = ConfigJson.read(source, readFile(configFile.get(), "--config"));
        } else if (inline != null) {
            if (configVariable != null) {
                throw new ConfigException("both " + EnvironmentVariables.SECRETS + " and " + EnvironmentVariables.CONFIG
                        + " are set; configure secrets in one place: unset one of them");
            }
            if (Files.exists(defaultConfigFile)) {
                throw new ConfigException(EnvironmentVariables.SECRETS + " is set and " + defaultConfigFile
                        + " exists; configure secrets in one place: unset the variable or remove the file");
            }
            source = EnvironmentVariables.SECRETS;
            raw = InlineSecrets.parse(inline);
        } else {
            Path file = configVariable == null ? defaultConfigFile : path(configVariable, EnvironmentVariables.CONFIG);
            source = Echo.path(file);
            raw = ConfigJson.read(source, readFile(file, configVariable == null ? null : EnvironmentVariables.CONFIG));
        }
        return validate(raw, source, env, directory);
    }

    private byte[] readFile(Path file, String setBy) throws ConfigException {
        try {
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                throw new ConfigException(Echo.path(file) + (setBy == null ? "" : " (set by " + setBy + ")")
                        + " is not a regular file; point it at the JSON configuration file");
            }
            // Read no more than the limit: a file may grow, or report no size at all, while it is read.
            byte[] content;
            try (InputStream in = Files.newInputStream(file)) {
                content = in.readNBytes((int) MAX_CONFIG_BYTES + 1);
            }
            if (content.length > MAX_CONFIG_BYTES) {
                throw new ConfigException(Echo.path(file) + " is more than " + MAX_CONFIG_BYTES + " bytes; a "
                        + "configuration is at most that");
            }
            return content;
        } catch (NoSuchFileException e) {
            if (setBy == null) {
                throw new ConfigException("no configuration: " + Echo.path(file) + " does not exist and "
                        + EnvironmentVariables.SECRETS + " is not set; add the file to the function's package, set "
                        + EnvironmentVariables.CONFIG + " to its path, or set " + EnvironmentVariables.SECRETS
                        + "=name=secretIdOrArn,...");
            }
            throw new ConfigException(Echo.path(file) + " (set by " + setBy + ") does not exist; fix the path");
        } catch (IOException e) {
            throw new ConfigException("cannot read " + Echo.path(file) + ": " + e.getClass().getSimpleName()
                    + "; make it readable by the function's user");
        }
    }

    private static Config validate(RawConfig raw, String source, Map<String, String> env,
            Optional<Path> directoryOverride) throws ConfigException {
        List<ValueSpec> secrets = new ArrayList<>(raw.secrets().size());
        Map<String, String> names = new HashMap<>();
        Map<String, String> files = new HashMap<>();
        for (RawSecret secret : raw.secrets()) {
            ValueSpec spec = secret(secret, source);
            String previous = names.putIfAbsent(spec.name(), secret.where());
            if (previous != null) {
                throw new ConfigException(source + ": " + secret.where() + " has the same name "
                        + Echo.quoted(spec.name()) + " as " + previous + "; names must be unique: rename one");
            }
            if (spec.file().isPresent()) {
                String previousFile = files.putIfAbsent(spec.file().get(), secret.where());
                if (previousFile != null) {
                    throw new ConfigException(source + ": " + secret.where() + " writes the same file "
                            + Echo.quoted(spec.file().get()) + " as " + previousFile
                            + "; give each entry its own file");
                }
            }
            secrets.add(spec);
        }
        Path directory = directoryOverride.isPresent()
                ? checkDirectory(directoryOverride.get(), "--dir")
                : directory(raw.directory(), source, env);
        return new Config(directory, secrets,
                Duration.ofSeconds(raw.refreshIntervalSeconds().orElse(Config.DEFAULT_REFRESH_INTERVAL.toSeconds())),
                Duration.ofMillis(raw.fetchDeadlineMs().orElse(Config.DEFAULT_FETCH_DEADLINE.toMillis())),
                raw.keepOnShutdown().orElse(false), logLevel(raw.logLevel(), source, env),
                runtimeStart(raw.runtimeStart(), source, env), source);
    }

    private static ValueSpec secret(RawSecret secret, String source) throws ConfigException {
        String where = source + ": " + secret.where();
        String named = where + " (" + Echo.quoted(secret.name()) + ")";
        Optional<String> nameProblem = SecretNames.fileNameProblem(secret.name());
        if (nameProblem.isPresent()) {
            throw new ConfigException(where + ": name " + Echo.quoted(secret.name()) + " " + nameProblem.get()
                    + "; names are keys and must not leave the secrets directory: use letters, digits, - and _, "
                    + "e.g. \"db\"");
        }
        Optional<String> file = file(secret, named);
        if (secret.parameter().isPresent()) {
            return parameter(secret, named, file);
        }
        String secretId = secret.secretId().orElseThrow();
        if (SecretArn.looksLikeArn(secretId)) {
            try {
                SecretArn.parse(secretId);
            } catch (SecretArn.InvalidArnException e) {
                throw new ConfigException(named + ": secretId is not a valid Secrets Manager ARN: " + e.getMessage()
                        + "; expected " + SecretArn.FORM);
            }
        } else {
            Optional<String> problem = SecretNames.secretNameProblem(secretId);
            if (problem.isPresent()) {
                throw new ConfigException(named + ": secretId " + problem.get()
                        + "; give the secret's name (e.g. prod/db) or its ARN (" + SecretArn.FORM + ")");
            }
        }
        if (secret.versionId().isPresent() && secret.versionStage().isPresent()) {
            throw new ConfigException(named + " sets both versionId and versionStage; keep one: versionId pins "
                    + "one exact version, versionStage follows a label such as AWSPREVIOUS");
        }
        Optional<String> versionProblem = secret.versionId().flatMap(SecretNames::versionIdProblem)
                .map(p -> "versionId " + p)
                .or(() -> secret.versionStage().flatMap(SecretNames::versionStageProblem).map(p -> "versionStage " + p));
        if (versionProblem.isPresent()) {
            throw new ConfigException(named + ": " + versionProblem.get());
        }
        return new SecretSpec(secret.name(), secretId, secret.versionId(), secret.versionStage(), file);
    }

    private static ParameterSpec parameter(RawSecret secret, String named, Optional<String> file)
            throws ConfigException {
        if (secret.versionId().isPresent() || secret.versionStage().isPresent()) {
            throw new ConfigException(named + " sets " + (secret.versionId().isPresent() ? "versionId" : "versionStage")
                    + ", which is for secrets; pin a parameter's version or label with SSM's selector instead, e.g. "
                    + "\"parameter\": \"/prod/db/url:3\" or \"/prod/db/url:live\"");
        }
        try {
            return new ParameterSpec(secret.name(), SsmParameter.parse(secret.parameter().orElseThrow()), file);
        } catch (SsmParameter.InvalidParameterException e) {
            throw new ConfigException(named + ": parameter " + e.getMessage() + "; give the parameter's name (e.g. "
                    + "/prod/db/url) or its ARN (" + SsmParameter.FORM + "), optionally followed by :VERSION or :LABEL");
        }
    }

    private static Optional<String> file(RawSecret secret, String named) throws ConfigException {
        if (secret.file().isPresent()) {
            String file = secret.file().get();
            Optional<String> problem = SecretNames.fileNameProblem(file);
            if (problem.isEmpty() && file.equals(ManifestFiles.MANIFEST_FILE)) {
                problem = Optional.of("is the manifest's own file name");
            }
            if (problem.isPresent()) {
                throw new ConfigException(named + ": file " + Echo.quoted(file) + " "
                        + problem.get() + "; give a plain file name inside the secrets directory, e.g. \"db.json\"");
            }
        }
        return secret.file();
    }

    private static Path directory(Optional<String> configured, String source, Map<String, String> env)
            throws ConfigException {
        boolean variableSet = blankToNull(env.get(EnvironmentVariables.DIR)) != null;
        Path fromVariable;
        try {
            // The clients' own reading of the variable (trimmed, absolute), so the writer writes where they read.
            fromVariable = EnvironmentVariables.secretsDirectory(env);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        if (configured.isPresent()) {
            String setBy = source + ": \"directory\"";
            Path fromConfig = checkDirectory(path(configured.get(), setBy), setBy);
            if (variableSet && !fromVariable.normalize().equals(fromConfig)) {
                throw new ConfigException(source + ": \"directory\" is " + Echo.path(fromConfig) + " but "
                        + EnvironmentVariables.DIR + " is " + Echo.path(fromVariable) + "; the clients read the variable, "
                        + "so set only " + EnvironmentVariables.DIR + " (or make both the same)");
            }
            return fromConfig;
        }
        return checkDirectory(fromVariable, EnvironmentVariables.DIR);
    }

    /** The directory is deleted on SHUTDOWN and chmod-ed 0700: it must be one of its own, not /tmp itself. */
    private static Path checkDirectory(Path directory, String setBy) throws ConfigException {
        if (!directory.isAbsolute() || directory.getNameCount() < 2) {
            throw new ConfigException(setBy + " is " + Echo.path(directory) + "; the secrets directory must be an "
                    + "absolute path of its own, at least two levels deep (it is deleted on shutdown), e.g. "
                    + "/tmp/secrets-prefetch");
        }
        for (Path part : directory) {
            if (part.toString().equals(".") || part.toString().equals("..")) {
                throw new ConfigException(setBy + " is " + Echo.path(directory)
                        + "; write it without . or .. segments");
            }
        }
        return directory;
    }

    private static Path path(String value, String setBy) throws ConfigException {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new ConfigException(setBy + " is not a valid path (" + e.getReason() + ")");
        }
    }

    private static Log.Level logLevel(Optional<String> configured, String source, Map<String, String> env)
            throws ConfigException {
        String variable = blankToNull(env.get(EnvironmentVariables.LOG_LEVEL));
        if (variable != null) {
            return level(variable, EnvironmentVariables.LOG_LEVEL);
        }
        return configured.isPresent() ? level(configured.get(), source + ": \"logLevel\"") : Log.Level.INFO;
    }

    /** Like the log level, the variable wins over the file: it can be changed without a new package. */
    private static Config.RuntimeStart runtimeStart(Optional<String> configured, String source,
            Map<String, String> env) throws ConfigException {
        String variable = blankToNull(env.get(RUNTIME_START));
        if (variable != null) {
            return runtimeStart(variable.trim(), RUNTIME_START);
        }
        return configured.isPresent() ? runtimeStart(configured.get(), source + ": \"runtimeStart\"")
                : Config.RuntimeStart.OVERLAP;
    }

    private static Config.RuntimeStart runtimeStart(String value, String setBy) throws ConfigException {
        for (Config.RuntimeStart start : Config.RuntimeStart.values()) {
            if (start.text().equalsIgnoreCase(value)) {
                return start;
            }
        }
        throw new ConfigException(setBy + " is " + Echo.quoted(value) + "; use overlap (the runtime starts while "
                + "the secrets are fetched) or afterSecrets (it starts once every file and the ready manifest are "
                + "written)");
    }

    public static Log.Level level(String value, String setBy) throws ConfigException {
        try {
            return Log.Level.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(setBy + " is " + Echo.quoted(value)
                    + "; use one of debug, info, warn, error, off");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
