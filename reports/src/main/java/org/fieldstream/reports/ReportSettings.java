package org.fieldstream.reports;

import static org.fieldstream.events.SettingKeys.CLICKHOUSE_DATABASE;
import static org.fieldstream.events.SettingKeys.CLICKHOUSE_PASSWORD;
import static org.fieldstream.events.SettingKeys.CLICKHOUSE_READER_PASSWORD;
import static org.fieldstream.events.SettingKeys.CLICKHOUSE_READER_USER;
import static org.fieldstream.events.SettingKeys.CLICKHOUSE_URL;
import static org.fieldstream.events.SettingKeys.CLICKHOUSE_USER;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.fieldstream.clickhouse.Sql;
import org.fieldstream.events.ClickHouseLogin;
import org.fieldstream.events.Setting;
import org.fieldstream.events.Settings;

/**
 * Where the reports read from: defaults, then the settings file ({@code --config} or the one
 * FIELDSTREAM_CONFIG names), then FIELDSTREAM_* variables (key upper cased, '.' as '_'), the same
 * keys the sink writes with ({@link org.fieldstream.events.SettingKeys}).
 */
public record ReportSettings(String url, String user, String password, String database) {

    /** The settings the reports read. */
    static final List<Setting> SETTINGS = List.of(CLICKHOUSE_URL, CLICKHOUSE_USER, CLICKHOUSE_PASSWORD, CLICKHOUSE_READER_USER,
            CLICKHOUSE_READER_PASSWORD, CLICKHOUSE_DATABASE);

    public ReportSettings {
        Sql.identifier(database);
    }

    public static ReportSettings load(Map<String, String> environment) {
        return load(null, environment);
    }

    /** Loads defaults, then {@code file} (or the one FIELDSTREAM_CONFIG names when null), then the environment. */
    public static ReportSettings load(Path file, Map<String, String> environment) {
        return of(Settings.load(SETTINGS, file, environment));
    }

    static ReportSettings of(Settings.Values values) {
        // the reader's login when the stack gives one (clickhouse.reader.*), else clickhouse.user's
        ClickHouseLogin login = ClickHouseLogin.reader(values.asMap());
        return new ReportSettings(values.required(CLICKHOUSE_URL), login.user(), login.password(), values.required(CLICKHOUSE_DATABASE));
    }

    @Override
    public String toString() {
        // never print the password
        return "ReportSettings[url=" + url + ", user=" + user + ", database=" + database + "]";
    }
}
