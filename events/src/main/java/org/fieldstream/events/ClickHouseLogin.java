package org.fieldstream.events;

import java.util.List;
import java.util.Map;

/**
 * The ClickHouse user and password a stage logs in with. The sink writes as {@code clickhouse.user};
 * the readers (reports, dashboard, {@code status}) as {@code clickhouse.reader.user} and the analyst
 * administrator as {@code clickhouse.admin.user} when those are set (the local stack sets them), else
 * as {@code clickhouse.user}: one user configured serves every stage.
 */
public record ClickHouseLogin(String user, String password) {

    /** Every key of a ClickHouse login, by role. */
    static final List<String> KEYS = List.of(SettingKeys.CLICKHOUSE_USER.key(), SettingKeys.CLICKHOUSE_PASSWORD.key(),
            SettingKeys.CLICKHOUSE_READER_USER.key(), SettingKeys.CLICKHOUSE_READER_PASSWORD.key(),
            SettingKeys.CLICKHOUSE_ADMIN_USER.key(), SettingKeys.CLICKHOUSE_ADMIN_PASSWORD.key());

    /** The sink's: {@code clickhouse.user} and {@code clickhouse.password}. */
    public static ClickHouseLogin writer(Map<String, String> values) {
        return of(values, SettingKeys.CLICKHOUSE_USER, SettingKeys.CLICKHOUSE_PASSWORD);
    }

    /** The reports', the dashboard's and {@code status}': {@code clickhouse.reader.*}, else the writer's. */
    public static ClickHouseLogin reader(Map<String, String> values) {
        return role(values, SettingKeys.CLICKHOUSE_READER_USER, SettingKeys.CLICKHOUSE_READER_PASSWORD);
    }

    /** The analyst administrator's: {@code clickhouse.admin.*}, else the writer's. */
    public static ClickHouseLogin admin(Map<String, String> values) {
        return role(values, SettingKeys.CLICKHOUSE_ADMIN_USER, SettingKeys.CLICKHOUSE_ADMIN_PASSWORD);
    }

    private static ClickHouseLogin role(Map<String, String> values, Setting user, Setting password) {
        String name = values.get(user.key());
        return name == null || name.isBlank() ? writer(values) : of(values, user, password);
    }

    private static ClickHouseLogin of(Map<String, String> values, Setting user, Setting password) {
        String name = Settings.required(values, user.key());
        return new ClickHouseLogin(name, values.getOrDefault(password.key(), ""));
    }

    @Override
    public String toString() {
        // never the password
        return "ClickHouseLogin[" + user + "]";
    }
}
