package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Record;
import org.fieldstream.events.ExitReason;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.Sex;
import org.fieldstream.metrics.CohortRetention;
import org.fieldstream.metrics.ParticipantProgress;
import org.fieldstream.metrics.RetentionCurvePoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The aggregate processor alone, with a mock context: what one event writes, and as_of by event time. */
class AggregateProcessorTest {

    private static final String COHORT = "p1/ngo/c1";
    private static final LocalDate MARCH = LocalDate.of(2026, 3, 2);

    private final ProcessorFixture<String, AggregateOutput> f = new ProcessorFixture<>();
    private final TestEvents ev = new TestEvents("p1", "ngo", "upz-1");
    private final AggregateProcessor processor = new AggregateProcessor(TopologyHarness.PUNCTUATE, OutputSchemas.current());

    @BeforeEach
    void init() {
        f.store(AggregateProcessor.ROOTS_STORE, InternalSerdes.rootRecord());
        f.store(AggregateProcessor.PERSONS_STORE, InternalSerdes.personState());
        f.store(AggregateProcessor.HEADERS_STORE, InternalSerdes.header());
        f.store(AggregateProcessor.DIRTY_STORE, Serdes.ByteArray());
        f.store(AggregateProcessor.SCHEMAS_STORE, Serdes.Long());
        processor.init(f.context);
    }

    private void send(FieldEvent... events) {
        for (FieldEvent e : events) {
            processor.process(new Record<>(e.getAggregateId(), e, 0L));
        }
    }

    private static Instant dayStart(LocalDate date) {
        return date.atStartOfDay(EventDays.ZONE).toInstant();
    }

    /** A cohort of {@code persons} enrolled on the day before the first of {@code sessions} sessions, all present at all but the last. */
    private void cohort(int persons, int sessions) {
        send(ev.registered(COHORT, 10, MARCH));
        for (int s = 1; s <= sessions; s++) {
            send(ev.held(COHORT, s, MARCH.plusDays(4L * (s - 1))));
        }
        for (int p = 0; p < persons; p++) {
            send(ev.enrolled(COHORT, "t" + p, Sex.values()[p % 4], 15 + p % 30, MARCH.minusDays(1)));
            for (int s = 1; s < sessions; s++) {
                send(ev.present(COHORT, s, "t" + p));
            }
        }
        f.punctuate();
        f.reset();
    }

    /**
     * The cohort's total row last written. The first event into an idle processor is flushed at once
     * ({@link QuietSpell}), so a test's earlier rows may hold an intermediate total.
     */
    private CohortRetention lastTotal() {
        List<Record<String, CohortRetention>> totals = f.rows(MetricRow.TOTALS, CohortRetention.class);
        return totals.get(totals.size() - 1).value();
    }

    @Test
    void oneAttendanceIntoALargeCohortWritesAHandfulOfRows() {
        cohort(500, 6);
        send(ev.present(COHORT, 6, "t7"));
        f.punctuate();
        List<Record<String, ParticipantProgress>> participants = f.rows(MetricRow.PARTICIPANTS, ParticipantProgress.class);
        assertEquals(1, participants.size());
        assertEquals(COHORT + "|t7", participants.get(0).key());
        assertEquals(6, participants.get(0).value().getSessionsAttended());
        assertEquals(1, f.rows(MetricRow.TOTALS, CohortRetention.class).size());
        assertEquals(1, f.rows(MetricRow.GROUPS, CohortRetention.class).size());
        List<Record<String, RetentionCurvePoint>> curve = f.rows(MetricRow.CURVE, RetentionCurvePoint.class);
        assertEquals(List.of(COHORT + "|6|all|all", COHORT + "|6|unknown|youth_15_29"), curve.stream().map(Record::key).toList(),
                "only the point the person's last presence moved to, in total and in the person's group");
        assertEquals(1, curve.get(0).value().getSurviving());
        assertEquals(1, curve.get(1).value().getSurviving());
        assertEquals(0, f.forwarded(OutreachTopology.REACH_ROUTE).size(), "the person was already reached in March");
        assertEquals(5, f.forwardedCount());
        assertEquals(500 * 5 + 1, f.rows(MetricRow.TOTALS, CohortRetention.class).get(0).value().getPresentTotal());
    }

    @Test
    void afterAQuietSpellAnEventIsWrittenAtOnceRightAfterAnotherItWaitsForThePunctuation() {
        cohort(3, 3);
        f.advance(TopologyHarness.PUNCTUATE.toMillis()); // an interval since the last flush that found changes
        send(ev.present(COHORT, 3, "t1"));
        assertEquals(5, f.forwardedCount(), "written at once, without a punctuation");
        assertEquals(COHORT + "|t1", f.rows(MetricRow.PARTICIPANTS, ParticipantProgress.class).get(0).key());
        assertTrue(f.commitRequested(), "and committed without waiting for the commit interval");
        f.reset();
        f.advance(QuietSpell.PAUSE_MS - 1);
        send(ev.present(COHORT, 3, "t2"));
        assertEquals(0, f.forwardedCount(), "a moment after the last record the event waits for the timer");
        assertFalse(f.commitRequested(), "nor asks for a commit");
        f.punctuate();
        assertFalse(f.commitRequested(), "a punctuation's flush waits for the commit interval");
        assertEquals(COHORT + "|t2", f.rows(MetricRow.PARTICIPANTS, ParticipantProgress.class).get(0).key());
        assertEquals(3 * 2 + 2, f.rows(MetricRow.TOTALS, CohortRetention.class).get(0).value().getPresentTotal(),
                "both presences counted, once each");
    }

    @Test
    void aDuplicateOrAnOlderRevisionWritesNothing() {
        cohort(3, 3);
        send(ev.present(COHORT, 1, "t1")); // the same record again
        send(ev.enrolled(COHORT, "t2", Sex.MALE, 50, MARCH, 0)); // an older revision
        f.punctuate();
        assertEquals(0, f.forwardedCount());
    }

    @Test
    void aRetractedPresenceIsTakenBack() {
        cohort(3, 3);
        send(ev.retract(COHORT, TestEvents.attendanceRoot(COHORT, 2, "t1"), 2));
        f.punctuate();
        ParticipantProgress t1 = f.rows(MetricRow.PARTICIPANTS, ParticipantProgress.class).get(0).value();
        assertEquals(1, t1.getSessionsAttended());
        assertEquals(1, t1.getLastSessionPresent());
        assertEquals(5, f.rows(MetricRow.TOTALS, CohortRetention.class).get(0).value().getPresentTotal());
        f.reset();
        send(ev.present(COHORT, 2, "t1")); // a lower revision of the retracted record: stays retracted
        f.punctuate();
        assertEquals(0, f.forwardedCount());
    }

    @Test
    void attendanceTakesItsSessionsDateNotTheReceiveTime() {
        send(ev.registered(COHORT, 2, MARCH));
        send(ev.enrolled(COHORT, "a", Sex.FEMALE, 20, MARCH));
        LocalDate june = LocalDate.of(2026, 6, 10);
        // the ingest did not know the session's date: the attendance carries its receive time
        send(ev.event(COHORT, TestEvents.attendanceRoot(COHORT, 1, "a"), 1,
                ev.present(COHORT, 1, "a").getPayload(), Instant.parse("2026-11-29T12:48:00Z")));
        send(ev.held(COHORT, 1, june));
        f.punctuate();
        ParticipantProgress a = f.rows(MetricRow.PARTICIPANTS, ParticipantProgress.class).get(0).value();
        assertEquals(1, a.getSessionsAttended());
        assertEquals(dayStart(june), a.getAsOf());
        assertEquals(dayStart(june), lastTotal().getAsOf());
    }

    @Test
    void asOfIsTheLatestDateOfTheRecordsARowReflects() {
        send(ev.registered(COHORT, 4, MARCH));
        send(ev.held(COHORT, 1, MARCH.plusDays(3)));
        send(ev.enrolled(COHORT, "a", Sex.FEMALE, 20, MARCH), ev.enrolled(COHORT, "b", Sex.MALE, 40, MARCH.plusDays(9)));
        f.punctuate();
        List<Record<String, ParticipantProgress>> rows = f.rows(MetricRow.PARTICIPANTS, ParticipantProgress.class);
        assertEquals(dayStart(MARCH.plusDays(3)), rows.get(0).value().getAsOf(), "a: the session after her enrolment");
        assertEquals(dayStart(MARCH.plusDays(9)), rows.get(1).value().getAsOf(), "b: his enrolment");
        assertEquals(dayStart(MARCH.plusDays(9)), lastTotal().getAsOf());
        f.reset();
        // an exit with a date moves b's row and the total; an exit without one adds no date
        send(ev.event(COHORT, COHORT + "/exit/b", 1, org.fieldstream.events.ParticipantExited.newBuilder().setCohortId(COHORT)
                .setPersonId("b").setReason(ExitReason.DROPPED_OUT).setExitedOn(MARCH.plusDays(20)).build()));
        send(ev.exited(COHORT, "a", ExitReason.OTHER));
        f.punctuate();
        assertEquals(dayStart(MARCH.plusDays(20)), lastTotal().getAsOf());
        assertTrue(f.rows(MetricRow.PARTICIPANTS, ParticipantProgress.class).stream().noneMatch(r -> r.key().endsWith("|a")),
                "a's exit (other, no date) changes neither her figures nor her as_of: no row");
    }

    @Test
    void aRetractedRegistrationDeletesEveryRowWithItsLastContent() {
        cohort(2, 2);
        send(ev.retract(COHORT, COHORT + "/reg", 2));
        f.punctuate();
        List<Record<String, ParticipantProgress>> participants = f.rows(MetricRow.PARTICIPANTS, ParticipantProgress.class);
        assertEquals(2, participants.size());
        participants.forEach(r -> assertTrue(r.value().getDeleted()));
        assertEquals(1, participants.get(0).value().getSessionsAttended(), "the last content, marked deleted");
        CohortRetention total = f.rows(MetricRow.TOTALS, CohortRetention.class).get(0).value();
        assertTrue(total.getDeleted());
        assertEquals(2, total.getEnrolled());
        List<Record<String, RetentionCurvePoint>> curve = f.rows(MetricRow.CURVE, RetentionCurvePoint.class);
        assertEquals(6, curve.size(), "two sessions, in total and in the two persons' groups");
        curve.forEach(r -> assertTrue(r.value().getDeleted()));
    }

    @Test
    void reachIsSentOnlyWhenThePersonsMonthsOrAttributesChange() {
        send(ev.registered(COHORT, 4, MARCH), ev.held(COHORT, 1, MARCH), ev.held(COHORT, 2, MARCH.plusDays(7)),
                ev.held(COHORT, 3, LocalDate.of(2026, 4, 6)));
        send(ev.enrolled(COHORT, "a", Sex.FEMALE, 20, MARCH));
        f.punctuate();
        List<Record<String, InternalSerdes.ReachChange>> reach = f.forwarded(OutreachTopology.REACH_ROUTE);
        assertEquals(1, reach.size());
        assertEquals("p1|a", reach.get(0).key());
        assertTrue(reach.get(0).value().reach().places().isEmpty(), "enrolled, not yet reached: attributes only");
        f.reset();
        send(ev.present(COHORT, 2, "a"));
        f.punctuate();
        Reach march = f.<InternalSerdes.ReachChange>forwarded(OutreachTopology.REACH_ROUTE).get(0).value().reach();
        assertEquals(List.of(new Reach.Place("2026-03", "ngo", "upz-1", EventDays.of(MARCH.plusDays(7)))), march.places());
        f.reset();
        send(ev.present(COHORT, 1, "a")); // earlier in March: the first day moves
        f.punctuate();
        assertEquals(EventDays.of(MARCH), f.<InternalSerdes.ReachChange>forwarded(OutreachTopology.REACH_ROUTE).get(0).value()
                .reach().places().get(0).firstDay());
        f.reset();
        send(ev.absent(COHORT, 3, "a"));
        f.punctuate();
        assertEquals(0, f.forwarded(OutreachTopology.REACH_ROUTE).size(), "an absence changes no reach");
        send(ev.retract(COHORT, TestEvents.enrolmentRoot(COHORT, "a"), 2), ev.retract(COHORT, TestEvents.attendanceRoot(COHORT, 1, "a"), 2),
                ev.retract(COHORT, TestEvents.attendanceRoot(COHORT, 2, "a"), 2));
        f.punctuate();
        List<Record<String, InternalSerdes.ReachChange>> sent = f.forwarded(OutreachTopology.REACH_ROUTE);
        assertNull(sent.get(sent.size() - 1).value().reach(), "withdrawn");
        assertFalse(f.forwarded(MetricRow.PARTICIPANTS).isEmpty());
    }
}
