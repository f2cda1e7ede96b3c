package org.fieldstream.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fieldstream.events.AvroCodec;
import org.fieldstream.events.DialogueAttended;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.Topics;
import org.fieldstream.metrics.CohortRetention;
import org.fieldstream.metrics.ParticipantProgress;
import org.fieldstream.reference.OrgUnit;
import org.fieldstream.reference.Program;
import org.junit.jupiter.api.Test;

/** The fast path writes exactly the row the ordinary decode-then-encode path writes, or gives up. */
class AvroTsvTest {

    private static final AvroCodec<FieldEvent> EVENTS = AvroCodec.of(FieldEvent.class);

    /** Every payload type, NULLs, tricky and non-ASCII text, and the ends of the date ranges. */
    static List<FieldEvent> events() {
        List<FieldEvent> events = new ArrayList<>();
        List<Object> payloads = List.of(Samples.cohort("C1"), Samples.enrolled("C1", "p1"), Samples.session("C1", 3),
                Samples.attendance("C1", 3, "p1"), Samples.exited("C1", "p1"), Samples.dialogue("D1"),
                Samples.dialogueAttended("D1", null), Samples.dialogueAttended("D1", "p2"), Samples.retracted("duplicate"),
                Samples.retracted(null));
        for (int i = 0; i < payloads.size(); i++) {
            String text = TsvRowTest.TRICKY.get(i % TsvRowTest.TRICKY.size());
            events.add(FieldEvent.newBuilder(Samples.event("e" + i + text, "r" + i, i, "C1", payloads.get(i)))
                    .setOrgUnitId(i % 2 == 0 ? null : text).setSourceRef(text).build());
        }
        events.add(FieldEvent.newBuilder(Samples.event("edge", "r", 1, "C1", Samples.session("C1", 1)))
                .setOccurredAt(Instant.EPOCH).setReceivedAt(Instant.parse("2105-12-31T23:59:59.999Z")).build());
        events.add(FieldEvent.newBuilder(Samples.event("before", "r", 1, "C1", Samples.session("C1", 1)))
                .setOccurredAt(Instant.ofEpochMilli(-1)).build());
        events.add(Samples.event("late", "r", 1, "C1", DialogueAttended.newBuilder(Samples.dialogueAttended("D1", "p")).setAge(-5).build()));
        return events;
    }

    @Test
    void eventRowsMatchTheDecodedPathByteForByte() {
        FieldEventRows.Copier fast = new FieldEventRows.Copier();
        int copied = 0;
        for (FieldEvent event : events()) {
            TsvRow fastRow = new TsvRow().begin();
            boolean ok = fast.copy(EVENTS.encode(event), fastRow);
            TsvRow slowRow = new TsvRow().begin();
            try {
                FieldEventRows.write(slowRow, event);
            } catch (IllegalArgumentException refused) {
                assertFalse(ok, "the fast path gives up where the ordinary one refuses: " + refused.getMessage());
                continue;
            }
            assertTrue(ok, "fast path for " + event.getEventId().length() + "-char id");
            assertEquals(new String(slowRow.end(), StandardCharsets.UTF_8), new String(fastRow.end(), StandardCharsets.UTF_8));
            copied++;
        }
        assertEquals(events().size() - 1, copied, "all but the event before 1970");
    }

    @Test
    void metricAndReferenceRowsMatchTheDecodedPath() {
        List<SpecificRecord> records = List.of(Samples.retention("C1", 3, 4), Samples.retention("C1", 4, 0),
                CohortRetention.newBuilder(Samples.retention("C1", 5, 2)).setDeleted(true).setOrgUnitId(null).build(),
                Samples.progress("C1", "p1", 2), ParticipantProgress.newBuilder(Samples.progress("C1", "ঢাকা\tp", 2)).setLastSessionPresent(4).build(),
                Samples.curve("C1", 1, 1), Samples.outreach("2026-03", 12, 1), Samples.dialogueSummary("D1", 1),
                Samples.dialogueAttendance("D1", "official", 1), Samples.program("P1"),
                Program.newBuilder(Samples.program("P2")).setEndDate(LocalDate.of(2105, 12, 31)).build(), Samples.partner("PN1"),
                Samples.orgUnit("U1", "union", "DT1"), OrgUnit.newBuilder(Samples.orgUnit("U2", "union", null)).setNameBn("\\N").build(),
                Samples.target("enrolled", 8.5));
        for (SpecificRecord record : records) {
            Schema schema = record.getSchema();
            RecordCopier fast = RecordCopier.of(schema, Set.of("version"));
            TsvRow fastRow = new TsvRow().begin();
            assertTrue(fast.copy(encode(record), fastRow), schema.getName());
            TsvRow slowRow = new TsvRow().begin();
            for (Schema.Field field : schema.getFields()) {
                slowRow.value(field.name(), record.get(field.pos()));
            }
            assertArrayEquals(slowRow.end(), fastRow.end(), schema.getName());
        }
    }

    @Test
    void givesUpOnOtherWriterSchemasNegativeVersionsAndBrokenBytes() {
        byte[] good = EVENTS.encode(Samples.event("e", "r", 1, "C1", Samples.session("C1", 1)));
        FieldEventRows.Copier fast = new FieldEventRows.Copier();
        byte[] otherSchema = good.clone();
        otherSchema[5] ^= 1;
        assertFalse(fast.copy(otherSchema, new TsvRow().begin()));
        assertFalse(fast.copy(Arrays.copyOf(good, good.length - 3), new TsvRow().begin()), "truncated");
        assertFalse(fast.copy(new byte[] {1, 2, 3}, new TsvRow().begin()));
        assertTrue(fast.copy(good, new TsvRow().begin()));

        CohortRetention negative = CohortRetention.newBuilder(Samples.retention("C1", 1, 1)).setVersion(-1).build();
        assertFalse(RecordCopier.of(negative.getSchema(), Set.of("version")).copy(encode(negative), new TsvRow().begin()));
    }

    @Test
    void mappersGiveTheSameRowsAndReasonsWhicheverPathRuns() {
        Map<String, TableMapping> mappings = TableMappings.of(new Topics("f."));
        RecordMapper events = mappings.get("f.fieldstream.events").mapper();
        byte[] good = EVENTS.encode(Samples.event("e", "r", 1, "C1", Samples.enrolled("C1", "p")));
        byte[] unknownSchema = good.clone();
        unknownSchema[9] ^= 1;
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> events.map(new ConsumerRecord<>("f.fieldstream.events", 0, 1, "C1", unknownSchema)));
        assertTrue(refused.getMessage().contains("FieldEvent"), refused.getMessage());
        Map<String, String> row = InMemoryTableWriter.decode(events.columns(),
                events.map(new ConsumerRecord<>("f.fieldstream.events", 1, 7, "C1", good)));
        assertEquals("participant_enrolled", row.get("event_type"));
        assertEquals("7", row.get("version"));
        assertEquals("f.fieldstream.events", row.get("source_topic"));
        Map<String, String> renamed = InMemoryTableWriter.decode(events.columns(), events.map(new ConsumerRecord<>("g\tx", 0, 8, "C1", good)));
        assertEquals("g\tx", renamed.get("source_topic"), "a mapper writes the topic of each record, escaped");
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> byte[] encode(T record) {
        return AvroCodec.of((Class<T>) record.getClass()).encode(record);
    }
}
