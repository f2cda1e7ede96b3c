package org.fieldstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeadLetterRowsTest {

    private static final RecordMapper MAPPER = DeadLetterRows.mapper();

    private static Map<String, String> row(RecordHeaders headers, byte[] value) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("t.fieldstream.dead-letters", 0, 17, 1_767_225_600_000L,
                TimestampType.CREATE_TIME, 1, value == null ? 0 : value.length, "k", value, headers, Optional.empty());
        return InMemoryTableWriter.decode(MAPPER.columns(), MAPPER.map(record));
    }

    private static void add(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheSinksOwnHeadersAndNeverTheContent() {
        RecordHeaders headers = new RecordHeaders();
        add(headers, KafkaDeadLetters.HEADER_TOPIC, "t.fieldstream.metrics.cohort-retention");
        add(headers, KafkaDeadLetters.HEADER_PARTITION, "2");
        add(headers, KafkaDeadLetters.HEADER_OFFSET, "99");
        add(headers, KafkaDeadLetters.HEADER_REASON, "IllegalArgumentException: not an Avro single-object message");
        add(headers, KafkaDeadLetters.HEADER_STAGE, "sink");
        Map<String, String> row = row(headers, "Rahima Begum 01711000000".getBytes(StandardCharsets.UTF_8));
        assertEquals("sink", row.get("stage"));
        assertEquals("t.fieldstream.metrics.cohort-retention", row.get("failed_topic"));
        assertEquals("2", row.get("failed_partition"));
        assertEquals("99", row.get("failed_offset"));
        assertEquals("IllegalArgumentException: not an Avro single-object message", row.get("reason"));
        assertEquals("2026-01-01 00:00:00", row.get("failed_at"));
        assertEquals("17", row.get("version"));
        assertFalse(row.values().stream().anyMatch(v -> v != null && v.contains("Rahima")), row.toString());
    }

    @Test
    void readsKafkaStreamsDeadLetterHeaders() {
        RecordHeaders headers = new RecordHeaders();
        add(headers, DeadLetterRows.STREAMS_TOPIC, "t.fieldstream.events");
        add(headers, DeadLetterRows.STREAMS_PARTITION, "1");
        add(headers, DeadLetterRows.STREAMS_OFFSET, "5");
        add(headers, DeadLetterRows.STREAMS_EXCEPTION, "org.apache.kafka.common.errors.SerializationException");
        add(headers, DeadLetterRows.STREAMS_MESSAGE, "not an Avro\nsingle-object message " + "x".repeat(1000));
        Map<String, String> row = row(headers, new byte[] {1, 2, 3});
        assertEquals("streams", row.get("stage"));
        assertEquals("t.fieldstream.events", row.get("failed_topic"));
        assertEquals("1", row.get("failed_partition"));
        assertEquals("5", row.get("failed_offset"));
        String reason = row.get("reason");
        assertEquals(DeadLetterRows.MAX_REASON + 3, reason.length(), reason);
        assertFalse(reason.contains("\n"));
    }

    @Test
    void anyRecordBecomesARowSoNoDeadLetterIsDeadLetteredAgain() {
        RecordHeaders headers = new RecordHeaders();
        add(headers, KafkaDeadLetters.HEADER_PARTITION, "two");
        Map<String, String> row = row(headers, null);
        assertEquals("sink", row.get("stage"));
        assertEquals("", row.get("failed_topic"));
        assertEquals("-1", row.get("failed_partition"));
        assertEquals("-1", row.get("failed_offset"));
    }
}
