package org.fieldstream.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClickHouseLoginTest {

    @TempDir
    Path dir;

    @Test
    void eachRoleHasItsUserWhenGivenElseTheOneUser() throws Exception {
        Path settings = dir.resolve("fieldstream.properties");
        Files.writeString(settings, "credentials.file=credentials.properties\n");
        Files.writeString(dir.resolve("credentials.properties"), "clickhouse.user=fieldstream\nclickhouse.password=w\n"
                + "clickhouse.reader.user=fieldstream_reader\nclickhouse.reader.password=r\n"
                + "clickhouse.admin.user=fieldstream_admin\nclickhouse.admin.password=a\n");
        Map<String, String> values = Settings.load(SettingKeys.all(), settings, Map.of()).asMap();
        assertEquals(new ClickHouseLogin("fieldstream", "w"), ClickHouseLogin.writer(values));
        assertEquals(new ClickHouseLogin("fieldstream_reader", "r"), ClickHouseLogin.reader(values));
        assertEquals(new ClickHouseLogin("fieldstream_admin", "a"), ClickHouseLogin.admin(values));

        Map<String, String> fromEnvironment = Settings.load(SettingKeys.all(), settings, Map.of(
                "FIELDSTREAM_CLICKHOUSE_ADMIN_USER", "ops", "FIELDSTREAM_CLICKHOUSE_ADMIN_PASSWORD", "o")).asMap();
        assertEquals(new ClickHouseLogin("ops", "o"), ClickHouseLogin.admin(fromEnvironment));

        Map<String, String> oneUser = Settings.load(SettingKeys.all(), null, Map.of("FIELDSTREAM_CLICKHOUSE_USER", "mine",
                "FIELDSTREAM_CLICKHOUSE_PASSWORD", "p")).asMap();
        assertEquals(new ClickHouseLogin("mine", "p"), ClickHouseLogin.writer(oneUser));
        assertEquals(new ClickHouseLogin("mine", "p"), ClickHouseLogin.reader(oneUser), "one user serves every stage");
        assertEquals(new ClickHouseLogin("mine", "p"), ClickHouseLogin.admin(oneUser));
        assertEquals(new ClickHouseLogin("default", ""), ClickHouseLogin.reader(Settings.load(SettingKeys.all(), null, Map.of()).asMap()));

        assertFalse(new ClickHouseLogin("fieldstream", "s3cret").toString().contains("s3cret"));
        assertThrows(Settings.Invalid.class, () -> ClickHouseLogin.writer(Map.of("clickhouse.user", " ")));
    }
}
