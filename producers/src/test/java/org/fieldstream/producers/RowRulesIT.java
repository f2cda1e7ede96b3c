package org.fieldstream.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fieldstream.events.Topics;
import org.fieldstream.platform.TestServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retractions whose keys are out of the layout's range and text with control characters, sent by
 * file through the real broker: each is a rejected row with its line, column and reason, none is an
 * event, and the valid rows around them land.
 */
class RowRulesIT {

    @TempDir
    Path dir;

    @Test
    void outOfRangeRetractionKeysAndControlCharactersAreRejectedRowsNotEvents() throws Exception {
        String bootstrap = TestServices.kafka().bootstrapServers();
        Topics topics = new Topics("rules-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        Path config = dir.resolve("settings.properties");
        Files.writeString(config, "reference.preload=false\nknown.preload=false\nprogram.P1.start_date=2026-01-01\n"
                + "partner.X.program=P1\n");
        Files.writeString(dir.resolve("cohorts.csv"), "cohort_id,topic,planned_sessions,start_date,org_unit_id\n"
                + "C1,Poultry,6,2026-02-01,U1\n"
                + "C2,Goats\u0000and sheep,6,2026-02-01,U1\n");
        Files.writeString(dir.resolve("sessions.csv"), "cohort_id,session_number,held_on,retracted\n"
                + "C1,1,2026-02-02,\n"
                + "C1,0x10,,1\n"
                + "C1,2147483648,,1\n"
                + "C1,0,,1\n");
        Files.writeString(dir.resolve("dialogue_attendance.csv"), "dialogue_id,attendee_no,role,sex,retracted\n"
                + "D1,1.5,,,1\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = IngestCommand.run(new String[] {"--config", config.toString(), "--program", "P1", "--partner", "X",
                        "--base", dir.toString(), "cohorts.csv", "sessions.csv", "dialogue_attendance.csv"},
                Map.of("FIELDSTREAM_BOOTSTRAP_SERVERS", bootstrap, "FIELDSTREAM_TOPIC_PREFIX", topics.prefix(),
                        "FIELDSTREAM_SECRET_P1", "row-rules-it-secret-0001"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(IngestCommand.OK, status, printed);

        List<ConsumerRecord<byte[], byte[]>> events = TopicReading.all(bootstrap, topics.events.name());
        assertEquals(2, events.size(), "cohort C1 and its session 1 only: " + printed);
        List<String> reasons = TopicReading.all(bootstrap, topics.rejected.name()).stream()
                .map(r -> topics.rejected.valueSerde().deserializer().deserialize(r.topic(), r.value()))
                .map(r -> r.getSourceRef() + " " + r.getField() + ": " + r.getReason()).sorted().toList();
        assertEquals(5, reasons.size(), reasons.toString());
        for (String expected : List.of("cohorts.csv:3 topic", "sessions.csv:3 session_number", "sessions.csv:4 session_number",
                "sessions.csv:5 session_number", "dialogue_attendance.csv:2 attendee_no")) {
            assertTrue(reasons.stream().anyMatch(r -> r.startsWith(expected)), "no rejection " + expected + " in " + reasons);
            assertTrue(printed.contains(expected), "not printed: " + expected + " in " + printed);
        }
        assertTrue(reasons.stream().noneMatch(r -> r.contains("\u0000")), "no control character in a reason");
    }
}
