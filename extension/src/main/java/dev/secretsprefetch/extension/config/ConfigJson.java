// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the JSON configuration file into {@link RawConfig}: types, known keys and per-value rules, each error
 * with its key path and line/column. Uses Jackson's streaming parser; its own messages quote file content,
 * so they are never passed on.
 */
final class ConfigJson {

    static final List<String> TOP_LEVEL_KEYS =
            List.of("secrets", "directory", "refreshIntervalSeconds", "fetchDeadlineMs", "keepOnShutdown", "logLevel",
                    "runtimeStart");
    static final List<String> SECRET_KEYS = List.of("name", "secretId", "parameter", "versionStage", "versionId",
            "file");

    static final long MAX_REFRESH_INTERVAL_SECONDS = 86_400;
    static final long MIN_FETCH_DEADLINE_MS = 100;
    /** Lambda gives the whole init phase 10 s; the JVM and the runtime need some of it. */
    static final long MAX_FETCH_DEADLINE_MS = 9_000;


    private final String source;
    private final JsonParser json;

    private ConfigJson(String source, JsonParser json) {
        this.source = source;
        this.json = json;
    }

    static RawConfig read(String source, byte[] content) throws ConfigException {
        try (JsonParser parser = Json.FACTORY.createParser(content)) {
            ConfigJson reader = new ConfigJson(source, parser);
            RawConfig config = reader.topLevel();
            if (parser.nextToken() != null) {
                throw reader.error("", "has content after the closing brace of the top-level object",
                        "remove it: the file holds exactly one JSON object");
            }
            return config;
        } catch (JsonEOFException e) {
            throw new ConfigException(source + " is not valid JSON: it ends early" + at(e.getLocation())
                    + "; close every object and array, and every string");
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + " is not valid JSON" + at(e.getLocation()) + "; check for a missing "
                    + "comma, quote, colon or brace there (comments and trailing commas are not allowed)");
        } catch (IOException e) {
            throw new ConfigException("cannot read " + source + ": " + e.getClass().getSimpleName());
        }
    }

    private RawConfig topLevel() throws IOException, ConfigException {
        if (json.nextToken() != JsonToken.START_OBJECT) {
            throw error("", "must be a JSON object", "write { \"secrets\": [ { \"name\": ..., \"secretId\": ... } ] }");
        }
        RawConfig.Builder config = new RawConfig.Builder();
        Set<String> seen = new HashSet<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String key = json.currentName();
            JsonLocation keyAt = json.currentTokenLocation();
            checkKey(key, "", TOP_LEVEL_KEYS, seen, keyAt);
            JsonToken value = json.nextToken();
            switch (key) {
                case "secrets" -> config.secrets = secrets(value);
                case "directory" -> config.directory = Optional.of(string(value, key));
                case "refreshIntervalSeconds" -> config.refreshIntervalSeconds = Optional.of(
                        integer(value, key, 0, MAX_REFRESH_INTERVAL_SECONDS, "e.g. 300, or 0 to turn refresh off"));
                case "fetchDeadlineMs" -> config.fetchDeadlineMs = Optional.of(
                        integer(value, key, MIN_FETCH_DEADLINE_MS, MAX_FETCH_DEADLINE_MS, "e.g. 5000"));
                case "keepOnShutdown" -> config.keepOnShutdown = Optional.of(bool(value, key));
                case "logLevel" -> config.logLevel = Optional.of(string(value, key));
                case "runtimeStart" -> config.runtimeStart = Optional.of(string(value, key));
                default -> throw new IllegalStateException("checked above: " + key);
            }
        }
        if (config.secrets == null) {
            throw error("", "has no \"secrets\"", "add \"secrets\": [ { \"name\": \"db\", \"secretId\": \"prod/db\" } ]");
        }
        return config.build();
    }

    private List<RawSecret> secrets(JsonToken token) throws IOException, ConfigException {
        if (token != JsonToken.START_ARRAY) {
            throw error("secrets", "must be an array", "write \"secrets\": [ { \"name\": \"db\", \"secretId\": "
                    + "\"prod/db\" } ]");
        }
        JsonLocation start = json.currentTokenLocation();
        List<RawSecret> secrets = new ArrayList<>();
        JsonToken item;
        while ((item = json.nextToken()) != JsonToken.END_ARRAY) {
            secrets.add(secret(item, "secrets[" + secrets.size() + "]"));
        }
        if (secrets.isEmpty()) {
            throw new ConfigException(source + ": \"secrets\"" + at(start) + " is empty; list at least one secret, "
                    + "e.g. { \"name\": \"db\", \"secretId\": \"prod/db\" }, or remove the layer");
        }
        return secrets;
    }

    private RawSecret secret(JsonToken token, String path) throws IOException, ConfigException {
        if (token != JsonToken.START_OBJECT) {
            throw error(path, "must be an object", "write { \"name\": \"db\", \"secretId\": \"prod/db\" }");
        }
        String where = path + at(json.currentTokenLocation());
        String name = null;
        Optional<String> secretId = Optional.empty();
        Optional<String> parameter = Optional.empty();
        Optional<String> versionId = Optional.empty();
        Optional<String> versionStage = Optional.empty();
        Optional<String> file = Optional.empty();
        Set<String> seen = new HashSet<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String key = json.currentName();
            checkKey(key, path + ".", SECRET_KEYS, seen, json.currentTokenLocation());
            String value = string(json.nextToken(), path + "." + key);
            switch (key) {
                case "name" -> name = value;
                case "secretId" -> secretId = Optional.of(value);
                case "parameter" -> parameter = Optional.of(value);
                case "versionId" -> versionId = Optional.of(value);
                case "versionStage" -> versionStage = Optional.of(value);
                case "file" -> file = Optional.of(value);
                default -> throw new IllegalStateException("checked above: " + key);
            }
        }
        if (name == null) {
            throw new ConfigException(source + ": " + where + " has no \"name\"; add the name handlers will ask "
                    + "for, e.g. \"name\": \"db\"");
        }
        if (secretId.isEmpty() && parameter.isEmpty()) {
            throw new ConfigException(source + ": " + where + " (" + Echo.quoted(name) + ") has neither "
                    + "\"secretId\" nor \"parameter\"; add the secret's name or ARN in Secrets Manager, e.g. "
                    + "\"secretId\": \"prod/db\", or the SSM parameter's name or ARN, e.g. \"parameter\": "
                    + "\"/prod/db/url\"");
        }
        if (secretId.isPresent() && parameter.isPresent()) {
            throw new ConfigException(source + ": " + where + " (" + Echo.quoted(name) + ") has both \"secretId\" "
                    + "and \"parameter\"; an entry names one value: keep one, and give the other its own entry");
        }
        return new RawSecret(where, name, secretId, parameter, versionId, versionStage, file);
    }

    private void checkKey(String key, String prefix, List<String> known, Set<String> seen, JsonLocation at)
            throws ConfigException {
        if (!known.contains(key)) {
            String suggestion = Suggestions.closest(key, known).map(k -> "did you mean \"" + k + "\"? ").orElse("");
            throw new ConfigException(source + ": unknown key " + Echo.quoted(prefix + key) + at(at) + "; "
                    + suggestion + "known keys" + (prefix.isEmpty() ? "" : " of a secret") + ": "
                    + String.join(", ", known));
        }
        if (!seen.add(key)) {
            throw new ConfigException(source + ": key \"" + prefix + key + "\" appears twice" + at(at)
                    + "; keep one");
        }
    }

    private String string(JsonToken token, String key) throws IOException, ConfigException {
        if (token != JsonToken.VALUE_STRING) {
            throw error(key, "must be a string", "put the value in double quotes");
        }
        return json.getText();
    }

    private long integer(JsonToken token, String key, long min, long max, String example)
            throws IOException, ConfigException {
        if (token != JsonToken.VALUE_NUMBER_INT || json.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw error(key, "must be a whole number from " + min + " to " + max, example);
        }
        long value = json.getLongValue();
        if (value < min || value > max) {
            throw error(key, "is " + value + ", outside " + min + " to " + max, example);
        }
        return value;
    }

    private boolean bool(JsonToken token, String key) throws ConfigException {
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
            throw error(key, "must be true or false", "write true or false without quotes");
        }
        return token == JsonToken.VALUE_TRUE;
    }

    private ConfigException error(String key, String problem, String fix) {
        String subject = key.isEmpty() ? "the configuration" : "\"" + key + "\"";
        return new ConfigException(source + ": " + subject + at(json.currentTokenLocation()) + " " + problem
                + "; " + fix);
    }

    static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
