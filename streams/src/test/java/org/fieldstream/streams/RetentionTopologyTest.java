package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.fieldstream.events.ExitReason;
import org.fieldstream.events.Sex;
import org.fieldstream.metrics.CohortRetention;
import org.fieldstream.metrics.ParticipantProgress;
import org.fieldstream.metrics.RetentionCurvePoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetentionTopologyTest {

    private static final LocalDate D1 = LocalDate.of(2026, 3, 2);

    private final TopologyHarness h = new TopologyHarness();
    private final TestEvents ev = new TestEvents("p1", "partnerA", "upz-1");

    @AfterEach
    void close() {
        h.close();
    }

    private void sessions(String cohort, int count) {
        for (int i = 1; i <= count; i++) {
            h.send(ev.held(cohort, i, D1.plusDays(7L * (i - 1))));
        }
    }

    private ParticipantProgress person(String cohort, String person) {
        return h.rows(h.topics.participantProgress).get(cohort + "|" + person);
    }

    private CohortRetention total(String cohort) {
        return h.rows(h.topics.cohortRetention).get(cohort + "|all|all");
    }

    @Test
    void threeMissedExpectedSessionsMakeADropout() {
        h.send(ev.registered("c1", 6, D1), ev.enrolled("c1", "a", Sex.FEMALE, 20, D1), ev.enrolled("c1", "b", Sex.MALE, 40, D1));
        sessions("c1", 4);
        h.send(ev.present("c1", 1, "a"), ev.absent("c1", 2, "a"), ev.absent("c1", 3, "a"));
        h.send(ev.present("c1", 1, "b"), ev.present("c1", 4, "b"));
        h.settle();
        assertEquals("dropped_out", person("c1", "a").getStatus()); // missed 2, 3, 4
        assertEquals("active", person("c1", "b").getStatus());
        CohortRetention total = total("c1");
        assertEquals(2, total.getEnrolled());
        assertEquals(1, total.getDroppedOut());
        assertEquals(0.5, total.getDropoutRate());
        assertEquals(0.5, total.getRetentionRate());
        assertEquals(3, total.getPresentTotal());
        assertEquals(8, total.getExpectedTotal());
        assertEquals(3.0 / 8, total.getAttendanceRate());
    }

    @Test
    void eightyPercentOfExpectedSessionsAtCohortEndCompletes() {
        h.send(ev.registered("c1", 5, D1), ev.enrolled("c1", "a", Sex.FEMALE, 20, D1), ev.enrolled("c1", "b", Sex.FEMALE, 20, D1));
        sessions("c1", 4);
        for (int s = 1; s <= 4; s++) {
            h.send(ev.present("c1", s, "a"));
        }
        h.send(ev.present("c1", 1, "b"), ev.present("c1", 2, "b"), ev.present("c1", 3, "b"));
        h.settle();
        assertEquals("active", person("c1", "a").getStatus(), "not all planned sessions held yet");
        h.send(ev.held("c1", 5, D1.plusDays(28)));
        h.settle();
        assertEquals("completed", person("c1", "a").getStatus()); // 4 of 5 = 80%
        assertEquals("active", person("c1", "b").getStatus()); // 3 of 5 = 60%, missed only 2
        assertEquals(4, person("c1", "a").getLastSessionPresent());
        assertEquals(0.8, person("c1", "a").getAttendanceRate());
        assertEquals(0.5, total("c1").getCompletionRate());
    }

    @Test
    void firstMatchingStatusWins() {
        h.send(ev.registered("c1", 3, D1));
        sessions("c1", 3);
        for (String p : new String[] {"t", "c", "d"}) {
            h.send(ev.enrolled("c1", p, Sex.MALE, 10, D1));
        }
        for (int s = 1; s <= 3; s++) {
            h.send(ev.present("c1", s, "t"));
        }
        h.send(ev.exited("c1", "t", ExitReason.TRANSFERRED)); // transferred beats completed-by-attendance
        h.send(ev.exited("c1", "c", ExitReason.COMPLETED)); // completed beats three missed sessions
        h.send(ev.exited("c1", "d", ExitReason.OTHER)); // no rule for other: three missed -> dropped out
        h.settle();
        assertEquals("transferred", person("c1", "t").getStatus());
        assertEquals("completed", person("c1", "c").getStatus());
        assertEquals("dropped_out", person("c1", "d").getStatus());
    }

    @Test
    void transfersLeaveEveryDenominator() {
        h.send(ev.registered("c1", 4, D1), ev.enrolled("c1", "a", Sex.FEMALE, 20, D1), ev.enrolled("c1", "t", Sex.FEMALE, 20, D1));
        sessions("c1", 2);
        h.send(ev.present("c1", 1, "a"), ev.present("c1", 2, "t"), ev.exited("c1", "t", ExitReason.TRANSFERRED));
        h.settle();
        CohortRetention total = total("c1");
        assertEquals(1, total.getEnrolled());
        assertEquals(1, total.getTransferred());
        assertEquals(1, total.getActive());
        assertEquals(1.0, total.getRetentionRate());
        assertEquals(1, total.getPresentTotal());
        assertEquals(2, total.getExpectedTotal());
        RetentionCurvePoint second = h.rows(h.topics.retentionCurve).get("c1|2|all|all");
        assertEquals(1, second.getEnrolled());
        assertEquals(0, second.getSurviving(), "the transferred person's presence does not survive");
        CohortRetention group = h.rows(h.topics.cohortRetentionByGroup).get("c1|female|youth_15_29");
        assertEquals(1, group.getEnrolled());
        assertEquals(1, group.getTransferred());
    }

    @Test
    void expectedSessionsStartAtEnrolmentAndAttendanceWaitsForItsSession() {
        h.send(ev.registered("c1", 4, D1), ev.enrolled("c1", "late", Sex.OTHER, null, D1.plusDays(3)));
        sessions("c1", 2);
        h.send(ev.present("c1", 1, "late"), ev.present("c1", 3, "late"));
        h.settle();
        ParticipantProgress late = person("c1", "late");
        assertEquals(1, late.getSessionsExpected()); // session 2 only
        assertEquals(0, late.getSessionsAttended()); // session 1 precedes enrolment, session 3 not held
        assertNull(late.getLastSessionPresent());
        assertEquals("unknown", late.getAgeBand());
        h.send(ev.held("c1", 3, D1.plusDays(14)));
        h.settle();
        assertEquals(2, person("c1", "late").getSessionsExpected());
        assertEquals(1, person("c1", "late").getSessionsAttended());
        assertEquals(3, person("c1", "late").getLastSessionPresent());
    }

    @Test
    void retractedEnrolmentTakesThePersonOut() {
        h.send(ev.registered("c1", 4, D1), ev.enrolled("c1", "a", Sex.FEMALE, 20, D1), ev.enrolled("c1", "b", Sex.MALE, 20, D1));
        h.settle();
        assertEquals(2, total("c1").getEnrolled());
        h.send(ev.retract("c1", TestEvents.enrolmentRoot("c1", "b"), 2));
        h.settle();
        assertEquals(1, total("c1").getEnrolled());
        assertTrue(person("c1", "b").getDeleted());
        assertTrue(h.rows(h.topics.cohortRetentionByGroup).get("c1|male|youth_15_29").getDeleted());
        assertFalse(person("c1", "a").getDeleted());
        // a late lower revision of the retracted record does not revive it
        h.send(ev.enrolled("c1", "b", Sex.MALE, 20, D1, 1));
        h.settle();
        assertTrue(person("c1", "b").getDeleted());
    }

    @Test
    void correctionReplacesAndDuplicateChangesNothing() {
        h.send(ev.registered("c1", 4, D1), ev.enrolled("c1", "a", Sex.FEMALE, 20, D1));
        h.settle();
        long version = person("c1", "a").getVersion();
        h.send(ev.enrolled("c1", "a", Sex.FEMALE, 20, D1)); // duplicate
        h.settle();
        assertEquals(version, person("c1", "a").getVersion(), "a duplicate writes nothing");
        h.send(ev.enrolled("c1", "a", Sex.MALE, 35, D1, 2)); // correction
        h.settle();
        assertEquals("male", person("c1", "a").getSex());
        assertEquals("adult_30_plus", person("c1", "a").getAgeBand());
        assertTrue(person("c1", "a").getVersion() > version);
        assertTrue(h.rows(h.topics.cohortRetentionByGroup).get("c1|female|youth_15_29").getDeleted());
        assertEquals(1, h.rows(h.topics.cohortRetentionByGroup).get("c1|male|adult_30_plus").getEnrolled());
    }

    @Test
    void survivalCurveCountsPresenceAtOrAfterEachSession() {
        h.send(ev.registered("c1", 3, D1));
        sessions("c1", 3);
        h.send(ev.enrolled("c1", "a", Sex.FEMALE, 20, D1), ev.enrolled("c1", "b", Sex.FEMALE, 20, D1),
                ev.enrolled("c1", "c", Sex.FEMALE, 20, D1));
        h.send(ev.present("c1", 1, "a"), ev.present("c1", 3, "a"), ev.present("c1", 1, "b"), ev.present("c1", 2, "b"));
        h.settle();
        Map<String, RetentionCurvePoint> curve = h.live(h.topics.retentionCurve);
        assertEquals(6, curve.size(), "three sessions, in total and for the one group");
        assertEquals(2, curve.get("c1|1|all|all").getSurviving());
        assertEquals(2, curve.get("c1|2|all|all").getSurviving());
        assertEquals(1, curve.get("c1|3|all|all").getSurviving());
        assertEquals(1.0 / 3, curve.get("c1|3|all|all").getSurvivalRate());
        assertEquals(D1.plusDays(14), curve.get("c1|3|all|all").getHeldOn());
        assertEquals(curve.get("c1|3|all|all").getSurviving(), curve.get("c1|3|female|youth_15_29").getSurviving());
    }

    @Test
    void survivalCurveBySexAndAgeBandCountsEachGroupsOwnPersons() {
        h.send(ev.registered("c1", 3, D1));
        sessions("c1", 3);
        h.send(ev.enrolled("c1", "a", Sex.FEMALE, 20, D1), ev.enrolled("c1", "c", Sex.FEMALE, 20, D1),
                ev.enrolled("c1", "b", Sex.MALE, 20, D1), ev.enrolled("c1", "t", Sex.MALE, 20, D1),
                ev.enrolled("c1", "d", Sex.FEMALE, 40, D1.plusDays(10)));
        // a: 1 and 3; c: never; b: 1 and 2; t: 3, then transferred; d (enrolled after session 2): 3
        h.send(ev.present("c1", 1, "a"), ev.present("c1", 3, "a"), ev.present("c1", 1, "b"), ev.present("c1", 2, "b"),
                ev.present("c1", 3, "t"), ev.exited("c1", "t", ExitReason.TRANSFERRED), ev.present("c1", 3, "d"));
        h.settle();
        Map<String, RetentionCurvePoint> curve = h.live(h.topics.retentionCurve);
        assertEquals(3 * 4, curve.size(), "three sessions, in total and for each of the three groups with persons");

        RetentionCurvePoint all = curve.get("c1|3|all|all");
        assertEquals(List.of("all", "all", 4, 2), List.of(all.getSex(), all.getAgeBand(), all.getEnrolled(), all.getSurviving()));
        assertEquals(3, curve.get("c1|2|all|all").getSurviving()); // a, b, d (last present at 3, 2, 3)

        // by sex, within youth_15_29: female a and c, one of them present at 3; male b (t transferred), last present at 2
        RetentionCurvePoint femaleYouth = curve.get("c1|3|female|youth_15_29");
        assertEquals(List.of("female", "youth_15_29", 2, 1, 0.5), List.of(femaleYouth.getSex(), femaleYouth.getAgeBand(),
                femaleYouth.getEnrolled(), femaleYouth.getSurviving(), femaleYouth.getSurvivalRate()));
        RetentionCurvePoint maleYouth = curve.get("c1|3|male|youth_15_29");
        assertEquals(List.of(1, 0, 0.0), List.of(maleYouth.getEnrolled(), maleYouth.getSurviving(), maleYouth.getSurvivalRate()),
                "t's presence at 3 does not survive: transferred");
        assertEquals(1, curve.get("c1|2|male|youth_15_29").getSurviving());

        // by age band, within female: adult d, present at 3
        RetentionCurvePoint femaleAdult = curve.get("c1|3|female|adult_30_plus");
        assertEquals(List.of(1, 1, 1.0), List.of(femaleAdult.getEnrolled(), femaleAdult.getSurviving(), femaleAdult.getSurvivalRate()));
        assertEquals(1, curve.get("c1|1|female|adult_30_plus").getSurviving());

        // a group's point carries its group row's as_of (d's enrolment, later than the youth groups' dates)
        CohortRetention adults = h.rows(h.topics.cohortRetentionByGroup).get("c1|female|adult_30_plus");
        assertEquals(adults.getAsOf(), femaleAdult.getAsOf());
        assertEquals(total("c1").getAsOf(), all.getAsOf());
    }

    @Test
    void programParametersComeFromReferenceData() {
        h.program("p1", 2, 0.5);
        h.send(ev.registered("c1", 2, D1), ev.enrolled("c1", "a", Sex.FEMALE, 20, D1), ev.enrolled("c1", "b", Sex.FEMALE, 20, D1));
        sessions("c1", 2);
        h.send(ev.present("c1", 1, "a"));
        h.settle();
        assertEquals("completed", person("c1", "a").getStatus()); // 1 of 2 >= 50%
        assertEquals("dropped_out", person("c1", "b").getStatus()); // missed the last 2
    }
}
