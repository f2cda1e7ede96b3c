package org.fieldstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fieldstream.events.AvroCodec;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.Topics;
import org.fieldstream.metrics.CohortRetention;
import org.fieldstream.metrics.OutreachCount;
import org.fieldstream.metrics.ParticipantProgress;
import org.fieldstream.reference.OrgUnit;
import org.fieldstream.reference.Target;
import org.fieldstream.schema.AvroTables;
import org.fieldstream.schema.TableColumns.AvroTable;
import org.junit.jupiter.api.Test;

class TableMappingsTest {

    private static final Topics TOPICS = new Topics("t.");
    private static final Map<String, TableMapping> MAPPINGS = TableMappings.of(TOPICS);

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> byte[] encode(T value) {
        return AvroCodec.of((Class<T>) value.getClass()).encode(value);
    }

    private static Map<String, String> map(String topic, String key, byte[] value, long offset) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(topic, 2, offset, key, value);
        RecordMapper mapper = MAPPINGS.get(topic).mapper();
        return InMemoryTableWriter.decode(mapper.columns(), mapper.map(record));
    }

    /** The field_events columns of an event as written, without the source columns. */
    private static Map<String, String> eventRow(FieldEvent event) {
        TsvRow row = new TsvRow().begin();
        FieldEventRows.write(row, event);
        return InMemoryTableWriter.decode(FieldEventRows.COLUMNS, row.end());
    }

    @Test
    void aTableWhoseRecordHasNoGeneratedClassIsRefused() {
        Schema record = SchemaBuilder.record("org.fieldstream.metrics.Unknown").fields().requiredLong("version").endRecord();
        AvroTable table = new AvroTable("unknown", record, List.of("version"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TableMappings.metric(table));
        assertTrue(e.getMessage().contains("unknown"), e.getMessage());
    }

    @Test
    void theAvroFedTablesAreTheSchemasDeclarationsWithTheirColumns() {
        Map<String, List<String>> declared = new java.util.TreeMap<>();
        AvroTables.all().forEach((name, table) -> declared.put(name, table.columns()));
        Map<String, List<String>> mapped = new java.util.TreeMap<>();
        MAPPINGS.values().stream().filter(m -> m.mapper().avro() != null).forEach(m -> mapped.put(m.table(), m.mapper().columns()));
        assertEquals(declared, mapped);
    }

    @Test
    void everyTopicHasATable() {
        assertEquals(14, MAPPINGS.size());
        assertEquals("rejected_rows", MAPPINGS.get(TOPICS.rejected.name()).table());
        assertEquals(Set.copyOf(TableMappings.topicNames(TOPICS)), MAPPINGS.keySet());
        assertEquals("field_events", MAPPINGS.get(TOPICS.events.name()).table());
        assertEquals("cohort_retention_by_group", MAPPINGS.get(TOPICS.cohortRetentionByGroup.name()).table());
        assertEquals("org_units", MAPPINGS.get(TOPICS.orgUnits.name()).table());
    }

    @Test
    void flattensEnrolmentWithNullsDatesAndUtcTimestamps() {
        FieldEvent event = Samples.event("e1", "r1", 2, "C1", Samples.enrolled("C1", "p-ঢাকা"));
        Map<String, String> row = map(TOPICS.events.name(), "C1", encode(event), 41);
        assertEquals("e1", row.get("event_id"));
        assertEquals("2", row.get("revision"));
        assertNull(row.get("org_unit_id"));
        assertEquals("2026-03-02 08:15:30", row.get("occurred_at"), "UTC, seconds");
        assertEquals("2026-03-02 08:16:30", row.get("received_at"));
        assertEquals("participant_enrolled", row.get("event_type"));
        assertEquals("p-ঢাকা", row.get("person_id"));
        assertEquals("female", row.get("sex"));
        assertEquals("2004", row.get("birth_year"));
        assertNull(row.get("age"));
        assertEquals("2026-03-02", row.get("enrolled_on"));
        assertNull(row.get("session_number"), "columns of other payload types are null");
        assertTrue(FieldEventRows.PAYLOAD_COLUMNS.containsAll(List.of("person_id", "sex", "birth_year", "age", "enrolled_on")));
        assertEquals("t.fieldstream.events", row.get("source_topic"));
        assertEquals("2", row.get("source_partition"));
        assertEquals("41", row.get("source_offset"));
        assertEquals("41", row.get("version"));
        assertEquals(11 + 1 + 20 + 4, row.size(), "envelope, event_type, every payload column, source and version");
        assertEquals(11 + 1 + 6 + 4 - 2, row.values().stream().filter(v -> v != null).count(),
                "NULL: org_unit_id, age and the columns of other payload types");
    }

    @Test
    void flattensEveryPayloadType() {
        Map<String, String> cohort = eventRow(Samples.event("e", "r", 1, "C1", Samples.cohort("C1")));
        assertEquals("training_cohort_registered", cohort.get("event_type"));
        assertEquals("লিঙ্গ সমতা — gender equality", cohort.get("topic"));
        assertEquals("8", cohort.get("planned_sessions"));
        assertNull(cohort.get("end_date"));
        assertEquals("youth", cohort.get("target_group"));

        Map<String, String> session = eventRow(Samples.event("e", "r", 1, "C1", Samples.session("C1", 3)));
        assertEquals("session_held", session.get("event_type"));
        assertEquals("3", session.get("session_number"));
        assertEquals("2026-03-23", session.get("held_on"));

        Map<String, String> attendance = eventRow(Samples.event("e", "r", 1, "C1", Samples.attendance("C1", 3, "p")));
        assertEquals("attendance_recorded", attendance.get("event_type"));
        assertEquals("present", attendance.get("status"));

        Map<String, String> exit = eventRow(Samples.event("e", "r", 1, "C1", Samples.exited("C1", "p")));
        assertEquals("participant_exited", exit.get("event_type"));
        assertEquals("dropped_out", exit.get("reason"));
        assertEquals("2026-04-01", exit.get("exited_on"));

        Map<String, String> dialogue = eventRow(Samples.event("e", "r", 1, "D1", Samples.dialogue("D1")));
        assertEquals("dialogue_held", dialogue.get("event_type"));
        assertEquals("village_grading", dialogue.get("kind"));
        assertEquals("D1", dialogue.get("dialogue_id"));

        Map<String, String> attended = eventRow(Samples.event("e", "r", 1, "D1", Samples.dialogueAttended("D1", null)));
        assertEquals("dialogue_attended", attended.get("event_type"));
        assertNull(attended.get("person_id"));
        assertEquals("official", attended.get("role"));
        assertEquals("unknown", attended.get("sex"));

        Map<String, String> retraction = eventRow(Samples.event("e", "r", 3, "C1", Samples.retracted("duplicate upload")));
        assertEquals("record_retracted", retraction.get("event_type"));
        assertEquals("duplicate upload", retraction.get("retraction_reason"));
        assertNull(retraction.get("reason"), "a retraction reason is not an exit reason");
    }

    @Test
    void mapsMetricsWithBooleansNanAndVersion() {
        CohortRetention empty = Samples.retention("C1", 7, 0);
        Map<String, String> row = map(TOPICS.cohortRetention.name(), "C1|all|all", encode(empty), 5);
        assertEquals("nan", row.get("retention_rate"));
        assertEquals("0.25", row.get("dropout_rate"));
        assertEquals("7", row.get("version"));
        assertEquals("0", row.get("deleted"));
        assertEquals("U1", row.get("org_unit_id"));
        assertEquals("2026-03-02 08:15:31", row.get("updated_at"));

        CohortRetention deleted = CohortRetention.newBuilder(Samples.retention("C1", 8, 4)).setDeleted(true).build();
        assertEquals("1", map(TOPICS.cohortRetention.name(), "C1|all|all", encode(deleted), 6).get("deleted"));

        ParticipantProgress progress = Samples.progress("C1", "p", 3);
        Map<String, String> p = map(TOPICS.participantProgress.name(), "C1|p", encode(progress), 9);
        assertNull(p.get("last_session_present"));
        assertEquals("2026-03-02", p.get("enrolled_on"));

        OutreachCount outreach = Samples.outreach("2026-03", 12, 1);
        Map<String, String> o = map(TOPICS.outreach.name(), "k", encode(outreach), 0);
        assertEquals("12", o.get("people_reached"));
        assertEquals("2026-03-01", o.get("period_start"));
    }

    @Test
    void referenceVersionIsTheOffsetAndTombstonesDelete() {
        OrgUnit unit = Samples.orgUnit("U1", "union", "DT1");
        Map<String, String> row = map(TOPICS.orgUnits.name(), "U1", encode(unit), 17);
        assertEquals("ঢাকা", row.get("name_bn"));
        assertNull(row.get("upazila_id"));
        assertEquals("17", row.get("version"));
        assertEquals("0", row.get("deleted"));

        Map<String, String> tombstone = map(TOPICS.targets.name(), "P1|people_reached|all|program|P1", null, 18);
        assertEquals("1", tombstone.get("deleted"));
        assertEquals("people_reached", tombstone.get("indicator"));
        assertEquals("P1", tombstone.get("dimension_id"));
        assertEquals("0.0", tombstone.get("target"), "a column the tombstone does not know holds its type's zero");
        assertEquals("18", tombstone.get("version"));

        Map<String, String> program = map(TOPICS.programs.name(), "P9", null, 20);
        assertEquals("P9", program.get("program_id"));
        assertEquals("", program.get("name"));
        assertEquals("1970-01-01", program.get("start_date"));
        assertNull(program.get("end_date"));
        assertEquals("1", program.get("deleted"));

        Target target = Samples.target("enrolled", 100);
        assertEquals("100.0", map(TOPICS.targets.name(), "k", encode(target), 19).get("target"));
    }

    @Test
    void refusesWhatCannotBecomeARow() {
        String events = TOPICS.events.name();
        IllegalArgumentException garbage = assertThrows(IllegalArgumentException.class,
                () -> map(events, "k", new byte[] {1, 2, 3}, 0));
        assertTrue(garbage.getMessage().contains("FieldEvent"), garbage.getMessage());
        assertThrows(IllegalArgumentException.class, () -> map(events, "k", null, 0));
        assertThrows(IllegalArgumentException.class, () -> map(TOPICS.dialogues.name(), "k", null, 0));
        assertThrows(IllegalArgumentException.class, () -> map(TOPICS.programs.name(), "a|b", null, 0));

        FieldEvent ancient = FieldEvent.newBuilder(Samples.event("e", "r", 1, "C1", Samples.session("C1", 1)))
                .setOccurredAt(Instant.parse("1969-12-31T23:59:59Z")).build();
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> eventRow(ancient));
        assertTrue(range.getMessage().contains("occurred_at"), range.getMessage());

        CohortRetention negative = CohortRetention.newBuilder(Samples.retention("C1", 1, 1)).setVersion(-1).build();
        assertThrows(IllegalArgumentException.class, () -> map(TOPICS.cohortRetention.name(), "k", encode(negative), 0));
    }
}
