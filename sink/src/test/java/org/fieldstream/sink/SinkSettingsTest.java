package org.fieldstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinkSettingsTest {

    @TempDir
    Path dir;

    @Test
    void defaultsWithoutFileOrEnvironment() {
        SinkSettings s = SinkSettings.load(null, Map.of());
        assertEquals("127.0.0.1:9092", s.bootstrapServers());
        assertEquals("http://127.0.0.1:8123", s.clickHouseUrl());
        assertEquals("fieldstream", s.database());
        assertEquals("fieldstream-sink", s.groupId());
        assertEquals(50_000, s.batchRows());
        assertEquals(5_000, s.loopOptions().backoffMaxMillis());
    }

    @Test
    void environmentOverridesFileOverridesDefaults() throws IOException {
        Path file = dir.resolve("sink.properties");
        Files.writeString(file, "clickhouse.database=from_file\nsink.batch.rows=10\ntopic.prefix=it-x.\n");
        SinkSettings s = SinkSettings.load(file, Map.of("FIELDSTREAM_SINK_BATCH_ROWS", "20", "FIELDSTREAM_CLICKHOUSE_PASSWORD", "pw"));
        assertEquals("from_file", s.database());
        assertEquals(20, s.batchRows());
        assertEquals("it-x.", s.topicPrefix());
        assertEquals("pw", s.clickHousePassword());
        assertFalse(s.toString().contains("pw"), "password never printed");
    }

    @Test
    void configFileFromEnvironment() throws IOException {
        Path file = dir.resolve("other.properties");
        Files.writeString(file, "sink.group.id=g2\n");
        assertEquals("g2", SinkSettings.load(null, Map.of("FIELDSTREAM_CONFIG", file.toString())).groupId());
    }

    @Test
    void failsNamingTheMissingOrBadKey() {
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> SinkSettings.load(null, Map.of("FIELDSTREAM_CLICKHOUSE_URL", " ")));
        assertTrue(missing.getMessage().contains("FIELDSTREAM_CLICKHOUSE_URL"), missing.getMessage());
        IllegalStateException bad = assertThrows(IllegalStateException.class,
                () -> SinkSettings.load(null, Map.of("FIELDSTREAM_SINK_BATCH_MS", "-1")));
        assertTrue(bad.getMessage().contains("sink.batch.ms"), bad.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> SinkSettings.load(null, Map.of("FIELDSTREAM_CLICKHOUSE_DATABASE", "a-b")));
    }
}
