package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
import org.fieldstream.metrics.DialogueSummary;
import org.fieldstream.metrics.OutreachCount;
import org.fieldstream.metrics.ParticipantProgress;
import org.fieldstream.metrics.RetentionCurvePoint;
import org.junit.jupiter.api.Test;

/**
 * The streams application on the real broker (3-partition topics, exactly_once_v2) over events built
 * here: figures derived by hand for one cohort and one dialogue, and every other row equal to the
 * TopologyTestDriver's for the same input.
 */
class StreamsHandComputedIT {

    private static final LocalDate JAN = LocalDate.of(2026, 1, 5);

    private static List<FieldEvent> handEvents() {
        TestEvents ev = new TestEvents(ItScenario.PROGRAM, "partner-h", "upz-1");
        List<FieldEvent> list = new ArrayList<>();
        list.add(ev.registered("hand", 3, JAN));
        for (String p : new String[] {"a", "b", "t"}) {
            list.add(ev.enrolled("hand", p, p.equals("b") ? Sex.MALE : Sex.FEMALE, 20, JAN));
        }
        list.add(ev.held("hand", 1, JAN));
        list.add(ev.held("hand", 3, JAN.plusDays(14)));
        list.add(ev.present("hand", 1, "a"));
        list.add(ev.present("hand", 2, "a")); // before its SessionHeld: waits
        list.add(ev.present("hand", 3, "a"));
        list.add(ev.present("hand", 1, "b"));
        list.add(ev.present("hand", 1, "t"));
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
    void streamedMetricsEqualHandDerivedFiguresAndTheUndisturbedComputation() throws Exception {
        ItKafka kafka = new ItKafka();
        kafka.reference(ItScenario.PROGRAM, ItScenario.PROGRAM_START, ItScenario.ORG_UNITS);
        List<FieldEvent> events = new ArrayList<>(handEvents());
        events.addAll(ItScenario.generated(6, 8, 11));
        Map<String, String> expected = ItScenario.expected(events);

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
            Map<String, String> actual = kafka.awaitMetrics(expected, 90);
            assertEquals(expected, actual);
            Thread.sleep(1500); // nothing further may arrive
            assertEquals(expected, kafka.comparable(kafka.readMetrics()));

            Map<String, Map<String, SpecificRecordBase>> m = kafka.readMetrics();
            assertHandFigures(kafka, m);
            streams.close(Duration.ofSeconds(30));
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T row(ItKafka kafka, Map<String, Map<String, SpecificRecordBase>> m, String topic, String key) {
        return (T) m.get(kafka.topics.name(topic)).get(key);
    }

    private static void assertHandFigures(ItKafka kafka, Map<String, Map<String, SpecificRecordBase>> m) {
        CohortRetention total = row(kafka, m, "metrics.cohort-retention", "hand|all|all");
        assertEquals(3, total.getSessionsHeld());
        assertEquals(2, total.getEnrolled()); // a, b; t transferred
        assertEquals(1, total.getTransferred());
        assertEquals(1, total.getCompleted()); // a: 3 of 3
        assertEquals(1, total.getDroppedOut()); // b: missed 1, 2, 3 once his presence is retracted
        assertEquals(0, total.getActive());
        assertEquals(3, total.getPresentTotal());
        assertEquals(6, total.getExpectedTotal());
        assertEquals(0.5, total.getRetentionRate());
        assertEquals(0.5, total.getAttendanceRate());
        ParticipantProgress b = row(kafka, m, "metrics.participant-progress", "hand|b");
        assertEquals("adult_30_plus", b.getAgeBand());
        assertEquals("dropped_out", b.getStatus());
        CohortRetention bGroup = row(kafka, m, "metrics.cohort-retention-by-group", "hand|male|adult_30_plus");
        assertEquals(1, bGroup.getDroppedOut());
        RetentionCurvePoint s2 = row(kafka, m, "metrics.retention-curve", "hand|2|all|all");
        assertEquals(2, s2.getEnrolled());
        assertEquals(1, s2.getSurviving());
        DialogueSummary dlg = row(kafka, m, "metrics.dialogues", "dlg");
        assertEquals(2, dlg.getAttendees());
        assertEquals(1, dlg.getIdentifiedPersons());
        assertEquals("community_consultation", dlg.getKind());
        // partner-h reached a and t in January, a again in February: the quarter is 2, not 1 + ... months
        OutreachCount jan = row(kafka, m, "metrics.outreach", "p-it|month|2026-01|partner|partner-h|all|all");
        OutreachCount feb = row(kafka, m, "metrics.outreach", "p-it|month|2026-02|partner|partner-h|all|all");
        OutreachCount q1 = row(kafka, m, "metrics.outreach", "p-it|quarter|2026-Q1|partner|partner-h|all|all");
        assertEquals(2, jan.getPeopleReached());
        assertEquals(1, feb.getPeopleReached());
        assertEquals(0, feb.getNewPeopleReached());
        assertEquals(2, q1.getPeopleReached());
        assertFalse(q1.getDeleted());
        OutreachCount toDate = row(kafka, m, "metrics.outreach", "p-it|to_date|all|partner|partner-h|all|all");
        assertEquals(ItScenario.PROGRAM_START, toDate.getPeriodStart());
    }
}
