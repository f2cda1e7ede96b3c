package org.fieldstream.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LogRetentionTest {

    @Test
    void minusOneOnBothIsUnlimited() {
        assertEquals(Map.of(), LogRetention.finite(Map.of("retention.ms", "-1", "retention.bytes", "-1")));
    }

    @Test
    void anyTimeOrSizeLimitIsFinite() {
        assertEquals(Map.of("retention.ms", "604800000"), LogRetention.finite(Map.of("retention.ms", "604800000", "retention.bytes", "-1")));
        assertEquals(Map.of("retention.bytes", "1073741824"), LogRetention.finite(Map.of("retention.ms", "-1", "retention.bytes", "1073741824")));
        assertEquals(Map.of("retention.ms", "0", "retention.bytes", "0"), LogRetention.finite(Map.of("retention.ms", "0", "retention.bytes", "0")));
    }

    @Test
    void aSettingTheClusterDoesNotReportIsNotTakenForUnlimited() {
        assertEquals(Map.of("retention.ms", "unknown", "retention.bytes", "unknown"), LogRetention.finite(Map.of()));
    }

    @Test
    void theLogTopicsAreEventsRejectedAndDeadLetters() {
        Topics topics = new Topics("t.");
        assertEquals(List.of("t.fieldstream.events", "t.fieldstream.rejected", "t.fieldstream.dead-letters"), LogRetention.logTopics(topics));
        topics.metrics().forEach(m -> assertTrue(!LogRetention.logTopics(topics).contains(m.name()), m.name()));
    }

    @Test
    void modeIsFixUnlessSetToWarn() {
        assertEquals(LogRetention.Mode.FIX, LogRetention.Mode.of((String) null));
        assertEquals(LogRetention.Mode.FIX, LogRetention.Mode.of(" "));
        assertEquals(LogRetention.Mode.FIX, LogRetention.Mode.of(Map.of()));
        assertEquals(LogRetention.Mode.WARN, LogRetention.Mode.of(Map.of(LogRetention.CHECK, "WARN")));
        Settings.Invalid e = assertThrows(Settings.Invalid.class, () -> LogRetention.Mode.of("ignore"));
        assertTrue(e.getMessage().contains("FIELDSTREAM_TOPIC_RETENTION_CHECK"), e.getMessage());
    }

    @Test
    void everyStageReadsTheCheckWithItsLayout() {
        assertTrue(TopicSetup.LAYOUT_KEYS.contains(LogRetention.CHECK));
    }
}
