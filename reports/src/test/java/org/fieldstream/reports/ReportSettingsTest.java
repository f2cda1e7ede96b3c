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
    void refusesADatabaseNameThatIsNotAnIdentifier() {
        assertThrows(IllegalArgumentException.class,
                () -> ReportSettings.load(Map.of("FIELDSTREAM_CLICKHOUSE_DATABASE", "x; DROP DATABASE y")));
        Settings.Invalid e = assertThrows(Settings.Invalid.class, () -> ReportSettings.load(Map.of("FIELDSTREAM_CLICKHOUSE_URL", " ")));
        assertEquals("missing setting clickhouse.url (FIELDSTREAM_CLICKHOUSE_URL)", e.getMessage());
    }
}
