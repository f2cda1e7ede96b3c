package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.LogRetention;
import org.junit.jupiter.api.Test;

/**
 * A streams application that would replay an event log whose first records are gone refuses to
 * start, naming the partitions and what to set; the override lets it start, and an application
 * whose committed position is past the deleted records starts as usual.
 */
class PartialLogReplayIT {

    @Test
    void aReplayOfALogThatLostRecordsRefusesUnlessAllowed() throws Exception {
        ItKafka kafka = new ItKafka();
        List<FieldEvent> events = ItScenario.generated(4, 5, 7);
        kafka.send(events);
        StreamsSettings fresh = settings(kafka, "fresh", Map.of());
        assertDoesNotThrow(() -> StreamsMain.prepare(fresh), "a whole log replays");

        TopicPartition first;
        try (Admin admin = kafka.admin()) {
            assertTrue(LogRetention.lostRecords(admin, kafka.topics.events.name()).isEmpty());
            first = LogRetention.endOffsets(admin, kafka.topics.events.name()).entrySet().stream()
                    .filter(e -> e.getValue() >= 3).findFirst().orElseThrow().getKey();
            admin.deleteRecords(Map.of(first, RecordsToDelete.beforeOffset(3))).all().get();
            String line = LogRetention.lostRecords(admin, first.topic()).orElseThrow();
            assertTrue(line.contains("partition " + first.partition() + ": 3"), line);
        }

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> StreamsMain.prepare(fresh));
        String message = refused.getMessage();
        assertTrue(message.contains("partial log") && message.contains("partition " + first.partition() + " (records before offset 3 deleted"),
                message);
        assertTrue(message.contains("streams.replay.partial-log=allow"), message);

        StreamsSettings allowed = settings(kafka, "fresh", Map.of("FIELDSTREAM_STREAMS_REPLAY_PARTIAL_LOG", "allow"));
        assertDoesNotThrow(() -> StreamsMain.prepare(allowed));

        StreamsSettings running = settings(kafka, "running", Map.of());
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
            LogRetention.endOffsets(admin, first.topic()).forEach((tp, end) -> positions.put(tp, new OffsetAndMetadata(end)));
            admin.alterConsumerGroupOffsets(running.kafkaApplicationId(), positions).all().get();
        }
        assertDoesNotThrow(() -> StreamsMain.prepare(running), "an application past the deleted records is no replay");
        assertEquals(false, running.partialLogReplay());
    }

    private static StreamsSettings settings(ItKafka kafka, String name, Map<String, String> more) {
        Map<String, String> env = new HashMap<>(Map.of(
                "FIELDSTREAM_BOOTSTRAP_SERVERS", kafka.bootstrap,
                "FIELDSTREAM_STREAMS_APPLICATION_ID", kafka.id + "-" + name,
                "FIELDSTREAM_TOPIC_PREFIX", kafka.topics.prefix(),
                "FIELDSTREAM_STREAMS_STATE_DIR", Path.of("target", "it-state", kafka.id + "-" + name).toString()));
        env.putAll(more);
        return StreamsSettings.load(null, env);
    }
}
