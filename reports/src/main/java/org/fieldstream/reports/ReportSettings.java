package org.fieldstream.reports;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import org.fieldstream.sink.Sql;

/**
 * Where the reports read from: defaults, then the properties file named by FIELDSTREAM_CONFIG, then
 * FIELDSTREAM_* variables (key upper cased, '.' as '_'), the same keys the sink writes with.
 */
public record ReportSettings(String url, String user, String password, String database) {

    public static final String CLICKHOUSE_URL = "clickhouse.url";
    public static final String CLICKHOUSE_USER = "clickhouse.user";
    public static final String CLICKHOUSE_PASSWORD = "clickhouse.password";
    public static final String CLICKHOUSE_DATABASE = "clickhouse.database";

    private static final Map<String, String> DEFAULTS = Map.of(
            CLICKHOUSE_URL, "http://127.0.0.1:8123",
            CLICKHOUSE_USER, "default",
            CLICKHOUSE_PASSWORD, "",
            CLICKHOUSE_DATABASE, "fieldstream");

    public ReportSettings {
        Sql.identifier(database);
    }

    public static ReportSettings load(Map<String, String> environment) {
        Map<String, String> values = new HashMap<>(DEFAULTS);
        String configFile = environment.get("FIELDSTREAM_CONFIG");
        if (configFile != null && !configFile.isBlank()) {
            values.putAll(readProperties(Path.of(configFile)));
        }
        for (String key : DEFAULTS.keySet()) {
            String fromEnvironment = environment.get(envName(key));
            if (fromEnvironment != null) {
                values.put(key, fromEnvironment);
            }
        }
        return new ReportSettings(required(values, CLICKHOUSE_URL), required(values, CLICKHOUSE_USER),
                values.getOrDefault(CLICKHOUSE_PASSWORD, ""), required(values, CLICKHOUSE_DATABASE));
    }

    public static String envName(String key) {
        return "FIELDSTREAM_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    private static String required(Map<String, String> values, String key) {
        String value = values.get(key);
        if (value == null || value.isBlank()) {
            throw new ReportError("missing setting " + key + " (" + envName(key) + ")");
        }
        return value.strip();
    }

    private static Map<String, String> readProperties(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read settings file " + file, e);
        }
        Map<String, String> values = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name)));
        return values;
    }
}
