package org.fieldstream.reports;

import java.util.List;
import java.util.Map;

import org.fieldstream.clickhouse.Sql;
import org.fieldstream.events.Settings;

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
        Map<String, String> values = Settings.load(DEFAULTS, null, environment, List.of(CLICKHOUSE_URL));
        return new ReportSettings(Settings.required(values, CLICKHOUSE_URL), Settings.required(values, CLICKHOUSE_USER),
                values.getOrDefault(CLICKHOUSE_PASSWORD, ""), Settings.required(values, CLICKHOUSE_DATABASE));
    }

    @Override
    public String toString() {
        // never print the password
        return "ReportSettings[url=" + url + ", user=" + user + ", database=" + database + "]";
    }

    public static String envName(String key) {
        return Settings.envName(key);
    }
}
