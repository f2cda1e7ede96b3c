package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.fieldstream.events.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportSettingsTest {

    @TempDir
    Path dir;

    @Test
    void defaultsThenFileThenEnvironment() throws Exception {
        assertEquals(new ReportSettings("http://127.0.0.1:8123", "default", "", "fieldstream"), ReportSettings.load(Map.of()));
        Path file = dir.resolve("fs.properties");
        Files.writeString(file, "clickhouse.url=http://ch:8123\nclickhouse.database=from_file\n");
        ReportSettings settings = ReportSettings.load(Map.of("FIELDSTREAM_CONFIG", file.toString(),
                "FIELDSTREAM_CLICKHOUSE_DATABASE", "analytics", "FIELDSTREAM_CLICKHOUSE_USER", "fieldstream",
                "FIELDSTREAM_CLICKHOUSE_PASSWORD", "secret"));
        assertEquals(new ReportSettings("http://ch:8123", "fieldstream", "secret", "analytics"), settings);
    }

    @Test
    void theReaderLoginWhenTheStackGivesOneElseTheOneUser() throws Exception {
        Path file = dir.resolve("credentials.properties");
        Files.writeString(file, "clickhouse.user=fieldstream\nclickhouse.password=w\n"
                + "clickhouse.reader.user=fieldstream_reader\nclickhouse.reader.password=r\n"
                + "clickhouse.admin.user=fieldstream_admin\nclickhouse.admin.password=a\n");
        assertEquals(new ReportSettings("http://127.0.0.1:8123", "fieldstream_reader", "r", "fieldstream"),
                ReportSettings.load(file, Map.of()));
        assertEquals(new ReportSettings("http://127.0.0.1:8123", "other", "o", "fieldstream"),
                ReportSettings.load(file, Map.of("FIELDSTREAM_CLICKHOUSE_READER_USER", "other", "FIELDSTREAM_CLICKHOUSE_READER_PASSWORD", "o")));
        Files.writeString(file, "clickhouse.user=fieldstream\nclickhouse.password=w\n");
        assertEquals(new ReportSettings("http://127.0.0.1:8123", "fieldstream", "w", "fieldstream"), ReportSettings.load(file, Map.of()),
                "one user configured serves the reports too");
    }

    @Test
    void refusesADatabaseNameThatIsNotAnIdentifier() {
        assertThrows(IllegalArgumentException.class,
                () -> ReportSettings.load(Map.of("FIELDSTREAM_CLICKHOUSE_DATABASE", "x; DROP DATABASE y")));
        Settings.Invalid e = assertThrows(Settings.Invalid.class, () -> ReportSettings.load(Map.of("FIELDSTREAM_CLICKHOUSE_URL", " ")));
        assertEquals("missing setting clickhouse.url (FIELDSTREAM_CLICKHOUSE_URL)", e.getMessage());
    }
}
