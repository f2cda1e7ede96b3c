package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;
import org.fieldstream.metrics.CohortRetention;
import org.fieldstream.metrics.DialogueAttendance;
import org.fieldstream.metrics.DialogueSummary;
import org.fieldstream.metrics.ParticipantProgress;
import org.junit.jupiter.api.Test;

/**
 * Every field of every metric family the aggregate processor writes has exactly one source in its
 * {@link MetricRow} record ({@link AvroRow}): a field added to an Avro metric schema fails here (and
 * in every test that writes rows) until the family's figures record has an accessor of its name.
 */
class AvroRowTest {

    private static final AggregateHeader.Envelope COHORT = new AggregateHeader.Envelope("p1", "partner-a", null, "c1", null, null);
    private static final AggregateHeader.Envelope DIALOGUE = new AggregateHeader.Envelope("p1", "partner-a", "unit-7", "d1", "policy_dialogue",
            "water");
    private static final RowStamp STAMP = new RowStamp(42L, 1_700_000_000_123L, false);

    @Test
    void everyFieldOfEveryFamilyHasOneSource() {
        List<String> families = new ArrayList<>();
        for (Class<?> row : MetricRow.class.getPermittedSubclasses()) {
            Class<? extends SpecificRecordBase> avro = avroOf(row);
            Schema schema = schemaOf(avro);
            AvroRow<?> mapping = AvroRow.of(avro, row.asSubclass(Record.class));
            assertEquals(schema.getFields().stream().map(Schema.Field::name).toList(), List.copyOf(mapping.sources().keySet()),
                    row.getSimpleName() + " fills every field of " + schema.getName());
            families.add(schema.getFullName());
        }
        Set<String> written = new TreeSet<>(Set.of(OutputSchemas.RETENTION, OutputSchemas.CURVE, OutputSchemas.PARTICIPANTS,
                OutputSchemas.DIALOGUES, OutputSchemas.ATTENDANCE));
        assertEquals(written, new TreeSet<>(families), "one MetricRow record per family the aggregate processor writes");
    }

    @Test
    void aRetentionRowTakesEachFigureByName() {
        RetentionFigures f = new RetentionFigures(12, 5, 20, 11, 4, 3, 2, 70, 100, 19_800);
        CohortRetention row = new MetricRow.Retention(COHORT, "female", "youth_15_29", f, STAMP).avro();
        assertEquals(List.of("p1", "partner-a", "c1", "female", "youth_15_29"),
                List.of(row.getProgramId(), row.getPartnerId(), row.getCohortId(), row.getSex(), row.getAgeBand()));
        assertNull(row.getOrgUnitId());
        assertEquals(List.of(12, 5, 20, 11, 4, 3, 2, 70, 100), List.of(row.getSessionsPlanned(), row.getSessionsHeld(), row.getEnrolled(),
                row.getActive(), row.getCompleted(), row.getDroppedOut(), row.getTransferred(), row.getPresentTotal(), row.getExpectedTotal()));
        assertEquals(List.of(15.0 / 20, 3.0 / 20, 4.0 / 20, 0.7), List.of(row.getRetentionRate(), row.getDropoutRate(),
                row.getCompletionRate(), row.getAttendanceRate()));
        assertEquals(EventDays.instant(19_800), row.getAsOf());
        assertEquals(Instant.ofEpochMilli(1_700_000_000_123L), row.getUpdatedAt());
        assertEquals(42L, row.getVersion());
        assertEquals(false, row.getDeleted());
        assertEquals(CohortRetention.newBuilder(row).build(), row, "complete: the builder finds no field unset");
    }

    @Test
    void rowsNameAndTypeWhatTheirFiguresHoldOtherwise() {
        ParticipantProgress person = new MetricRow.Participant(COHORT, "person-9",
                new Derived(Derived.DROPPED_OUT, 1, 2, 19_700, 8, 2, Derived.NO_SESSION, 19_750, 19_760), STAMP).avro();
        assertEquals(List.of("person-9", Groups.SEXES.get(1), Groups.BANDS.get(2), "dropped_out"),
                List.of(person.getPersonId(), person.getSex(), person.getAgeBand(), person.getStatus()));
        assertEquals(LocalDate.ofEpochDay(19_700), person.getEnrolledOn());
        assertEquals(List.of(8, 2), List.of(person.getSessionsExpected(), person.getSessionsAttended()));
        assertEquals(0.25, person.getAttendanceRate());
        assertNull(person.getLastSessionPresent());

        DialogueSummary summary = new MetricRow.Dialogue(DIALOGUE, new DialogueFigures(19_000, 9, 4, 3, 1, 1, 6, 19_001), STAMP).avro();
        assertEquals(List.of("d1", "policy_dialogue", "water", "unit-7"),
                List.of(summary.getDialogueId(), summary.getKind(), summary.getTopic(), summary.getOrgUnitId()));
        assertEquals(List.of(9, 4, 3, 1, 1, 6), List.of(summary.getAttendees(), summary.getAttendeesFemale(), summary.getAttendeesMale(),
                summary.getAttendeesOther(), summary.getAttendeesUnknown(), summary.getIdentifiedPersons()));
        assertEquals(LocalDate.ofEpochDay(19_000), summary.getHeldOn());

        DialogueAttendance attendance = new MetricRow.Attendance(DIALOGUE, "chair" + Keys.SEP + "x" + Keys.SEP + "female",
                new AttendanceFigures(3, 19_000, 19_002), STAMP).avro();
        assertEquals(List.of("chair" + Keys.SEP + "x", "female", "policy_dialogue"),
                List.of(attendance.getRole(), attendance.getSex(), attendance.getKind()));
    }

    /** A row record without a family's figures: the mapping fails naming each field it cannot fill. */
    record WithoutFigures(AggregateHeader.Envelope envelope, String sex, String ageBand, RowStamp stamp) {
    }

    @Test
    void aFieldWithoutSourceFailsTheMappingNamingIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AvroRow.of(CohortRetention.class, WithoutFigures.class));
        for (String field : List.of("cohort_id", "sessions_planned", "present_total", "attendance_rate", "as_of")) {
            assertTrue(e.getMessage().contains(field + " ("), e.getMessage());
        }
        assertTrue(!e.getMessage().contains("program_id") && !e.getMessage().contains("updated_at"), e.getMessage());
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends SpecificRecordBase> avroOf(Class<?> row) {
        for (Type t : row.getGenericInterfaces()) {
            if (t instanceof ParameterizedType p && p.getRawType() == MetricRow.class) {
                return (Class<? extends SpecificRecordBase>) p.getActualTypeArguments()[0];
            }
        }
        throw new IllegalStateException(row + " names no Avro row");
    }

    private static Schema schemaOf(Class<?> avro) {
        try {
            return (Schema) avro.getMethod("getClassSchema").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
