package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.streams.KafkaStreams;
import org.fieldstream.events.DialogueKind;
import org.fieldstream.events.ExitReason;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.Sex;
import org.fieldstream.metrics.CohortRetention;
import org.fieldstream.metrics.DialogueAttendance;
import org.fieldstream.metrics.DialogueSummary;
import org.fieldstream.metrics.OutreachCount;
import org.fieldstream.metrics.ParticipantProgress;
import org.fieldstream.metrics.RetentionCurvePoint;
import org.junit.jupiter.api.Test;

/**
 * The streams application on the real broker (3-partition topics, exactly_once_v2) over a small
 * cohort and a dialogue built here, mixed with generated cohorts: a handful of figures worked out by
 * hand from the small scenario, written as literals, and every row equal to the test oracle's
 * whole recomputation ({@link Recompute}), which shares no code with the incremental topology.
 */
class StreamsHandComputedIT {

    private static final LocalDate JAN = LocalDate.of(2026, 1, 5);

    /**
     * Cohort "hand" of partner-h, 3 planned sessions held on Jan 5, 11 and 19: a (female, 20)
     * present at all three; b (enrolled male 20, corrected to 35) whose only presence is retracted;
     * c (male, 14, enrolled Jan 11) present at 2, absent at 3; t (female, 20) present at 1, then
     * transferred. Dialogue "dlg" on Feb 10: a as a member and an unnamed official.
     */
    private static List<FieldEvent> handEvents() {
        TestEvents ev = new TestEvents(ItScenario.PROGRAM, "partner-h", "upz-1");
        List<FieldEvent> list = new ArrayList<>();
        list.add(ev.registered("hand", 3, JAN));
        for (String p : new String[] {"a", "b", "t"}) {
            list.add(ev.enrolled("hand", p, p.equals("b") ? Sex.MALE : Sex.FEMALE, 20, JAN));
        }
        list.add(ev.enrolled("hand", "c", Sex.MALE, 14, JAN.plusDays(6)));
        list.add(ev.held("hand", 1, JAN));
        list.add(ev.held("hand", 3, JAN.plusDays(14)));
        list.add(ev.present("hand", 1, "a"));
        list.add(ev.present("hand", 2, "a")); // before its SessionHeld: waits
        list.add(ev.present("hand", 3, "a"));
        list.add(ev.present("hand", 1, "b"));
        list.add(ev.present("hand", 1, "t"));
        list.add(ev.present("hand", 2, "c"));
        list.add(ev.absent("hand", 3, "c"));
        list.add(ev.present("hand", 1, "a")); // duplicate
        list.add(ev.exited("hand", "t", ExitReason.TRANSFERRED));
        list.add(ev.held("hand", 2, JAN.plusDays(6))); // late
        list.add(ev.retract("hand", TestEvents.attendanceRoot("hand", 1, "b"), 2)); // b was not there after all
        list.add(ev.enrolled("hand", "b", Sex.MALE, 35, JAN, 2)); // correction: b is 35
        list.add(ev.dialogueHeld("dlg", DialogueKind.COMMUNITY_CONSULTATION, LocalDate.of(2026, 2, 10)));
        list.add(ev.dialogueAttended("dlg", "1", "a", "member", Sex.FEMALE, 20));
        list.add(ev.dialogueAttended("dlg", "2", null, "official", Sex.MALE, null));
        return list;
    }

    @Test
    void streamedMetricsEqualHandDerivedFiguresAndTheRecomputation() throws Exception {
        ItKafka kafka = new ItKafka();
        kafka.reference(ItScenario.PROGRAM, ItScenario.PROGRAM_START, ItScenario.ORG_UNITS);
        List<FieldEvent> events = new ArrayList<>(handEvents());
        events.addAll(ItScenario.generated(6, 8, 11));
        Map<String, String> expected = ItScenario.recomputed(events);

        StreamsSettings settings = StreamsSettings.load(null, Map.of(
                "FIELDSTREAM_BOOTSTRAP_SERVERS", kafka.bootstrap,
                "FIELDSTREAM_STREAMS_APPLICATION_ID", kafka.id,
                "FIELDSTREAM_TOPIC_PREFIX", kafka.topics.prefix(),
                "FIELDSTREAM_STREAMS_STATE_DIR", Path.of("target", "it-state", kafka.id).toString(),
                "FIELDSTREAM_STREAMS_COMMIT_INTERVAL_MS", "100",
                "FIELDSTREAM_STREAMS_PUNCTUATE_INTERVAL_MS", "200"));
        try (KafkaStreams streams = new KafkaStreams(MetricsTopology.build(settings), settings.streamsProperties())) {
            streams.start();
            kafka.send(events.subList(0, events.size() / 2));
            kafka.send(events.subList(events.size() / 2, events.size()));
            kafka.awaitMetrics(expected, Duration.ofSeconds(90));
            assertHandFigures(kafka, kafka.readMetrics());
            streams.close(Duration.ofSeconds(30));
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T row(ItKafka kafka, Map<String, Map<String, SpecificRecordBase>> m, String topic, String key) {
        T row = (T) m.get(kafka.topics.name(topic)).get(key);
        assertNotNull(row, topic + " has no row " + key);
        return row;
    }

    private static void assertHandFigures(ItKafka kafka, Map<String, Map<String, SpecificRecordBase>> m) {
        // statuses: t transferred (out of every denominator); a completed (3 of 3 expected, all 3 held);
        // b dropped out (expected 1, 2, 3, present at none once his presence is retracted);
        // c active (expected 2 and 3, enrolled on session 2's date; 1 of 2 < 80%, only 1 missed)
        CohortRetention total = row(kafka, m, "metrics.cohort-retention", "hand|all|all");
        assertEquals(3, total.getSessionsHeld());
        assertEquals(3, total.getEnrolled()); // a, b, c
        assertEquals(1, total.getTransferred());
        assertEquals(1, total.getCompleted());
        assertEquals(1, total.getDroppedOut());
        assertEquals(1, total.getActive());
        assertEquals(4, total.getPresentTotal()); // a 3 + b 0 + c 1
        assertEquals(8, total.getExpectedTotal()); // a 3 + b 3 + c 2
        assertEquals(2.0 / 3, total.getRetentionRate(), 1e-12); // (active 1 + completed 1) / 3
        assertEquals(1.0 / 3, total.getDropoutRate(), 1e-12);
        assertEquals(0.5, total.getAttendanceRate(), 1e-12); // 4 / 8
        ParticipantProgress b = row(kafka, m, "metrics.participant-progress", "hand|b");
        assertEquals("adult_30_plus", b.getAgeBand()); // corrected age 35
        assertEquals("dropped_out", b.getStatus());
        ParticipantProgress c = row(kafka, m, "metrics.participant-progress", "hand|c");
        assertEquals(2, c.getSessionsExpected());
        assertEquals("active", c.getStatus());
        CohortRetention bGroup = row(kafka, m, "metrics.cohort-retention-by-group", "hand|male|adult_30_plus");
        assertEquals(1, bGroup.getEnrolled());
        assertEquals(1, bGroup.getDroppedOut());
        CohortRetention aGroup = row(kafka, m, "metrics.cohort-retention-by-group", "hand|female|youth_15_29");
        assertEquals(1, aGroup.getEnrolled()); // a; t transferred
        assertEquals(1, aGroup.getCompleted());
        assertEquals(1, aGroup.getTransferred());

        // survival at k: of a, b, c, those present at k or later (last presence a 3, c 2, b none)
        RetentionCurvePoint s1 = row(kafka, m, "metrics.retention-curve", "hand|1|all|all");
        RetentionCurvePoint s2 = row(kafka, m, "metrics.retention-curve", "hand|2|all|all");
        RetentionCurvePoint s3 = row(kafka, m, "metrics.retention-curve", "hand|3|all|all");
        assertEquals(3, s2.getEnrolled());
        assertEquals(2, s1.getSurviving()); // a, c (c was not expected at 1, but present later)
        assertEquals(2, s2.getSurviving()); // a, c
        assertEquals(1, s3.getSurviving()); // a
        assertEquals(1.0 / 3, s3.getSurvivalRate(), 1e-12);
        // by sex x age band, each group over its own persons: female youth is a alone (t transferred)
        RetentionCurvePoint aAt3 = row(kafka, m, "metrics.retention-curve", "hand|3|female|youth_15_29");
        assertEquals(1, aAt3.getEnrolled());
        assertEquals(1, aAt3.getSurviving());
        RetentionCurvePoint bAt1 = row(kafka, m, "metrics.retention-curve", "hand|1|male|adult_30_plus");
        assertEquals(0, bAt1.getSurviving()); // b, never present once his presence is retracted

        // dlg: a (member, female) and an official noted by role only (male, no person id)
        DialogueSummary dlg = row(kafka, m, "metrics.dialogues", "dlg");
        assertEquals("community_consultation", dlg.getKind());
        assertEquals(2, dlg.getAttendees());
        assertEquals(1, dlg.getAttendeesFemale());
        assertEquals(1, dlg.getIdentifiedPersons()); // the official counts in attendance, never as a person
        DialogueAttendance officials = row(kafka, m, "metrics.dialogue-attendance", "dlg|official|male");
        assertEquals(1, officials.getAttendees());

        // partner-h reached in January: session 1 a, t (b retracted); session 2 a, c; session 3 a -> {a, t, c};
        // in February: dlg a. Q1 is |{a, t, c} u {a}| = 3, not 3 + 1.
        OutreachCount jan = row(kafka, m, "metrics.outreach", "p-it|month|2026-01|partner|partner-h|all|all");
        OutreachCount feb = row(kafka, m, "metrics.outreach", "p-it|month|2026-02|partner|partner-h|all|all");
        OutreachCount q1 = row(kafka, m, "metrics.outreach", "p-it|quarter|2026-Q1|partner|partner-h|all|all");
        OutreachCount toDate = row(kafka, m, "metrics.outreach", "p-it|to_date|all|partner|partner-h|all|all");
        assertEquals(3, jan.getPeopleReached());
        assertEquals(3, jan.getNewPeopleReached());
        assertEquals(1, feb.getPeopleReached());
        assertEquals(0, feb.getNewPeopleReached()); // a was first reached in January
        assertEquals(3, q1.getPeopleReached());
        assertEquals(3, toDate.getPeopleReached());
        assertEquals(ItScenario.PROGRAM_START, toDate.getPeriodStart());
        // one cell per person: a (latest attributes female 20, at dlg) and t (female 20) -> 2; c (male 14) -> 1
        OutreachCount janYoungWomen = row(kafka, m, "metrics.outreach", "p-it|month|2026-01|partner|partner-h|female|youth_15_29");
        OutreachCount janBoys = row(kafka, m, "metrics.outreach", "p-it|month|2026-01|partner|partner-h|male|under_15");
        assertEquals(2, janYoungWomen.getPeopleReached());
        assertEquals(1, janBoys.getPeopleReached());
    }
}
