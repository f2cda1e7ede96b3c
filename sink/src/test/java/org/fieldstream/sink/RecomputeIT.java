package org.fieldstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.events.AttendanceRecorded;
import org.fieldstream.events.AttendanceStatus;
import org.fieldstream.events.AvroCodec;
import org.fieldstream.events.ExitReason;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.ParticipantExited;
import org.fieldstream.events.TrainingCohortRegistered;
import org.fieldstream.platform.TestServices;
import org.fieldstream.schema.Migrations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SQL recomputation of cohort retention over field_events, on hand-made events that exercise
 * every status rule, corrections and retractions.
 */
class RecomputeIT {

    private static final String DB = "it_recompute_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static ClickHouseGateway gateway;
    private static final RecordMapper EVENTS = TableMappings.eventMapper();
    private static final AvroCodec<FieldEvent> CODEC = AvroCodec.of(FieldEvent.class);
    private static final List<byte[]> ROWS = new ArrayList<>();
    private static long offset;

    @BeforeAll
    static void load() {
        gateway = new ClickHouseGateway(TestServices.clickHouse().httpUrl(), "default", "");
        Migrations.apply(gateway, DB);
        // cohort C1: 4 planned sessions, all held a week apart from the start
        add("reg", 1, TrainingCohortRegistered.newBuilder(Samples.cohort("C1")).setPlannedSessions(4).build());
        for (int s = 1; s <= 4; s++) {
            add("ses" + s, 1, Samples.session("C1", s));
        }
        // A attends everything: completed by attendance
        add("enrA", 1, Samples.enrolled("C1", "A"));
        presences("A", 1, 2, 3, 4);
        // B only at 1, then misses 2, 3, 4: dropped out by the last three expected sessions
        add("enrB", 1, Samples.enrolled("C1", "B"));
        presences("B", 1);
        // C transfers: leaves every denominator
        add("enrC", 1, Samples.enrolled("C1", "C"));
        presences("C", 1, 2);
        add("exitC", 1, ParticipantExited.newBuilder(Samples.exited("C1", "C")).setReason(ExitReason.TRANSFERRED).build());
        // D's enrolment is retracted: not counted at all
        add("enrD", 1, Samples.enrolled("C1", "D"));
        add("enrD", 2, Samples.retracted("not a participant"));
        // E at 1, 2, 3 (3 of 4 < 80%), present at one of the last three: active
        add("enrE", 1, Samples.enrolled("C1", "E"));
        presences("E", 1, 2, 3);
        // F's presence at 4 was first recorded absent, then corrected to present (revision 2)
        add("enrF", 1, Samples.enrolled("C1", "F"));
        presences("F", 1, 2, 3);
        add("attF4", 1, attendance("F", 4, AttendanceStatus.ABSENT));
        add("attF4", 2, attendance("F", 4, AttendanceStatus.PRESENT));
        gateway.insertTabSeparated(DB, "field_events", EVENTS.columns(), ROWS);
    }

    private static AttendanceRecorded attendance(String person, int session, AttendanceStatus status) {
        return AttendanceRecorded.newBuilder(Samples.attendance("C1", session, person)).setStatus(status).build();
    }

    private static void presences(String person, int... sessions) {
        for (int s : sessions) {
            add("att" + person + s, 1, attendance(person, s, AttendanceStatus.PRESENT));
        }
    }

    private static void add(String root, int revision, Object payload) {
        FieldEvent event = Samples.event(root + "#" + revision, root, revision, "C1", payload);
        ROWS.add(EVENTS.map(new ConsumerRecord<>("hand", 0, offset++, "C1", CODEC.encode(event))));
    }

    @AfterAll
    static void close() {
        gateway.execute("DROP DATABASE IF EXISTS " + DB);
        gateway.close();
    }

    @Test
    void statusOfEveryPersonFollowsTheRules() {
        Map<String, String> status = new TreeMap<>();
        for (Map<String, String> row : gateway.query("SELECT person_id, status, sessions_expected, sessions_attended FROM "
                + DB + ".recompute_participant_status")) {
            status.put(row.get("person_id"), row.get("status") + " " + row.get("sessions_attended") + "/" + row.get("sessions_expected"));
        }
        assertEquals(Map.of("A", "completed 4/4", "B", "dropped_out 1/4", "C", "transferred 2/4", "E", "active 3/4",
                "F", "completed 4/4"), status);
    }

    @Test
    void cohortFiguresCountPersonsNotTransferred() {
        Map<String, String> c = gateway.query("SELECT * FROM " + DB + ".recompute_cohort_retention").get(0);
        assertEquals("P1", c.get("program_id"));
        assertEquals("PN1", c.get("partner_id"));
        assertEquals("C1", c.get("cohort_id"));
        assertEquals("4", c.get("sessions_planned"));
        assertEquals("4", c.get("sessions_held"));
        assertEquals("4", c.get("enrolled"));
        assertEquals("1", c.get("active"));
        assertEquals("2", c.get("completed"));
        assertEquals("1", c.get("dropped_out"));
        assertEquals("1", c.get("transferred"));
        assertEquals("12", c.get("present_total"));
        assertEquals("16", c.get("expected_total"));
        assertEquals("12", c.get("sessions_attended"));
        assertEquals("16", c.get("sessions_expected"));
        assertEquals("0.75", c.get("retention_rate"));
        assertEquals("0.25", c.get("dropout_rate"));
        assertEquals("0.5", c.get("completion_rate"));
        assertEquals("0.75", c.get("attendance_rate"));
    }
}
