package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;

import org.fieldstream.events.DialogueKind;
import org.fieldstream.events.Sex;
import org.fieldstream.metrics.DialogueAttendance;
import org.fieldstream.metrics.DialogueSummary;
import org.fieldstream.metrics.OutreachCount;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutreachTopologyTest {

    private static final LocalDate JAN = LocalDate.of(2026, 1, 12);
    private static final LocalDate FEB = LocalDate.of(2026, 2, 9);
    private static final LocalDate MAR = LocalDate.of(2026, 3, 9);

    private final TopologyHarness h = new TopologyHarness();
    private final TestEvents ev = new TestEvents("p1", "partnerA", "village-1");

    @BeforeEach
    void reference() {
        h.orgUnit("village-1", "village", "dist-1", "upz-1");
        h.orgUnit("upz-2", "upazila", "dist-1", null);
    }

    @AfterEach
    void close() {
        h.close();
    }

    private OutreachCount cell(String key) {
        return h.rows(h.topics.outreach).get("p1|" + key);
    }

    private long reached(String key) {
        OutreachCount c = cell(key);
        return c == null || c.getDeleted() ? 0 : c.getPeopleReached();
    }

    private void cohort(String id, LocalDate... sessions) {
        h.send(ev.registered(id, 10, JAN));
        for (int i = 0; i < sessions.length; i++) {
            h.send(ev.held(id, i + 1, sessions[i]));
        }
    }

    @Test
    void personPresentTwiceInAMonthIsCountedOnce() {
        cohort("c1", JAN, JAN.plusDays(7));
        cohort("c2", JAN.plusDays(2));
        h.send(ev.enrolled("c1", "a", Sex.FEMALE, 22, JAN), ev.present("c1", 1, "a"), ev.present("c1", 2, "a"), ev.present("c2", 1, "a"));
        h.send(ev.enrolled("c1", "b", Sex.MALE, 40, JAN), ev.present("c1", 2, "b"));
        h.settle();
        assertEquals(2, reached("month|2026-01|program|p1|all|all"));
        assertEquals(1, reached("month|2026-01|program|p1|female|youth_15_29"));
        assertEquals(1, reached("month|2026-01|program|p1|male|adult_30_plus"));
        assertEquals(2, reached("month|2026-01|partner|partnerA|all|all"));
        assertEquals(2, reached("month|2026-01|district|dist-1|all|all"), "rolled up from the village");
        assertEquals(2, reached("month|2026-01|upazila|upz-1|all|all"));
        assertEquals(2, cell("month|2026-01|program|p1|all|all").getNewPeopleReached());
        OutreachCount month = cell("month|2026-01|program|p1|all|all");
        assertEquals(LocalDate.of(2026, 1, 1), month.getPeriodStart());
        assertEquals("month", month.getPeriodKind());
        assertEquals("2026-01", month.getPeriod());
    }

    @Test
    void afterAQuietSpellANewPersonsReachIsCountedWithoutWaitingForATimer() {
        cohort("c1", JAN);
        h.settle();
        h.quiet();
        h.send(ev.present("c1", 1, "a"));
        h.read();
        assertEquals(1, reached("month|2026-01|program|p1|all|all"), "through the three stages without a punctuation");
        assertEquals(LocalDate.of(2026, 1, 12).atStartOfDay(EventDays.ZONE).toInstant(), cell("month|2026-01|program|p1|all|all").getAsOf());
        h.send(ev.present("c1", 1, "b"));
        h.read();
        assertEquals(1, reached("month|2026-01|program|p1|all|all"), "within an interval of the last flush: waits for the timers");
        h.settle();
        assertEquals(2, reached("month|2026-01|program|p1|all|all"));
    }

    @Test
    void aQuarterIsADistinctCountNotTheSumOfItsMonths() {
        cohort("c1", JAN, FEB, MAR);
        h.send(ev.present("c1", 1, "a"), ev.present("c1", 2, "a"), ev.present("c1", 3, "a"), ev.present("c1", 2, "b"));
        h.settle();
        assertEquals(1, reached("month|2026-01|program|p1|all|all"));
        assertEquals(2, reached("month|2026-02|program|p1|all|all"));
        assertEquals(1, reached("month|2026-03|program|p1|all|all"));
        assertEquals(2, reached("quarter|2026-Q1|program|p1|all|all"));
        assertEquals(2, reached("to_date|all|program|p1|all|all"));
        assertEquals(LocalDate.of(2026, 1, 1), cell("quarter|2026-Q1|program|p1|all|all").getPeriodStart());
        // new vs continuing: a is new in January only, b in February
        assertEquals(1, cell("month|2026-02|program|p1|all|all").getNewPeopleReached());
        assertEquals(0, cell("month|2026-03|program|p1|all|all").getNewPeopleReached());
        assertEquals(2, cell("quarter|2026-Q1|program|p1|all|all").getNewPeopleReached());
        // without reference data for the program, to_date starts at the epoch
        assertEquals(LocalDate.EPOCH, cell("to_date|all|program|p1|all|all").getPeriodStart());
        // no enrolment: sex and age band unknown
        assertEquals(2, reached("quarter|2026-Q1|program|p1|unknown|unknown"));
    }

    @Test
    void aRetractionTakesThePersonOut() {
        cohort("c1", JAN);
        h.send(ev.present("c1", 1, "a"), ev.present("c1", 1, "b"));
        h.settle();
        assertEquals(2, reached("month|2026-01|program|p1|all|all"));
        h.send(ev.retract("c1", TestEvents.attendanceRoot("c1", 1, "b"), 2));
        h.settle();
        assertEquals(1, reached("month|2026-01|program|p1|all|all"));
        h.send(ev.retract("c1", TestEvents.attendanceRoot("c1", 1, "a"), 2));
        h.settle();
        OutreachCount gone = cell("month|2026-01|program|p1|all|all");
        assertTrue(gone.getDeleted(), "a count that falls to zero is written as deleted");
    }

    @Test
    void aLateEventUpdatesTheMonthItBelongsTo() {
        cohort("c1", JAN, MAR);
        h.send(ev.present("c1", 2, "a"));
        h.settle();
        assertEquals(1, cell("month|2026-03|program|p1|all|all").getNewPeopleReached());
        h.send(ev.present("c1", 1, "a")); // late: January
        h.settle();
        assertEquals(1, reached("month|2026-01|program|p1|all|all"));
        assertEquals(1, cell("month|2026-01|program|p1|all|all").getNewPeopleReached());
        assertEquals(0, cell("month|2026-03|program|p1|all|all").getNewPeopleReached(), "no longer new in March");
        assertEquals(1, reached("month|2026-03|program|p1|all|all"));
    }

    @Test
    void attendanceWaitsForItsSessionAndSessionDateCorrectionMovesTheMonth() {
        cohort("c1");
        h.send(ev.present("c1", 1, "a"));
        h.settle();
        assertNull(cell("month|2026-01|program|p1|all|all"));
        h.send(ev.held("c1", 1, JAN));
        h.settle();
        assertEquals(1, reached("month|2026-01|program|p1|all|all"));
        h.send(ev.held("c1", 1, FEB, 2)); // corrected date
        h.settle();
        assertEquals(0, reached("month|2026-01|program|p1|all|all"));
        assertEquals(1, reached("month|2026-02|program|p1|all|all"));
        assertEquals(1, reached("quarter|2026-Q1|program|p1|all|all"));
    }

    @Test
    void dialoguesCountByKindRoleAndSexAndOnlyIdentifiedAttendeesAreReached() {
        h.orgUnit("village-1", "village", "dist-1", "upz-1");
        h.send(ev.dialogueHeld("d1", DialogueKind.VILLAGE_GRADING, FEB));
        h.send(ev.dialogueAttended("d1", "1", "x", "member", Sex.FEMALE, 31));
        h.send(ev.dialogueAttended("d1", "2", "y", "member", Sex.FEMALE, 12));
        h.send(ev.dialogueAttended("d1", "3", null, "official", Sex.MALE, null));
        h.send(ev.dialogueAttended("d1", "4", "x", "member", Sex.FEMALE, 31)); // same person recorded twice: two records
        h.settle();
        DialogueSummary d = h.rows(h.topics.dialogues).get("d1");
        assertEquals("village_grading", d.getKind());
        assertEquals(4, d.getAttendees(), "every attendee record counts in attendance");
        assertEquals(3, d.getAttendeesFemale());
        assertEquals(1, d.getAttendeesMale());
        assertEquals(2, d.getIdentifiedPersons(), "distinct person ids");
        assertEquals(FEB, d.getHeldOn());
        DialogueAttendance members = h.rows(h.topics.dialogueAttendance).get("d1|member|female");
        assertEquals(3, members.getAttendees());
        assertEquals(1, h.rows(h.topics.dialogueAttendance).get("d1|official|male").getAttendees());
        assertEquals(2, reached("month|2026-02|program|p1|all|all"));
        assertEquals(1, reached("month|2026-02|program|p1|female|adult_30_plus"));
        assertEquals(1, reached("month|2026-02|program|p1|female|under_15"));
        h.send(ev.retract("d1", "d1/held", 2));
        h.settle();
        assertTrue(h.rows(h.topics.dialogues).get("d1").getDeleted());
        assertTrue(h.rows(h.topics.dialogueAttendance).get("d1|official|male").getDeleted());
        assertEquals(0, reached("month|2026-02|program|p1|all|all"));
    }

    @Test
    void sexAndAgeBandComeFromThePersonsMostRecentRecord() {
        cohort("c1", JAN);
        h.send(ev.enrolled("c1", "a", Sex.FEMALE, 14, JAN), ev.present("c1", 1, "a"));
        h.send(ev.dialogueHeld("d1", DialogueKind.POLICY_DIALOGUE, MAR));
        h.send(ev.dialogueAttended("d1", "1", "a", "youth", Sex.FEMALE, 15));
        h.settle();
        assertEquals(1, reached("quarter|2026-Q1|program|p1|female|youth_15_29"));
        assertEquals(0, reached("quarter|2026-Q1|program|p1|female|under_15"));
        assertEquals(1, reached("month|2026-01|program|p1|female|youth_15_29"));
        assertFalse(cell("month|2026-01|program|p1|female|under_15") != null
                && !cell("month|2026-01|program|p1|female|under_15").getDeleted());
    }

    @Test
    void districtAndUpazilaRollUpFromTheOrgUnitAndUnknownUnitsAreSkipped() {
        TestEvents other = new TestEvents("p1", "partnerB", "upz-2");
        TestEvents unknown = new TestEvents("p1", "partnerC", "nowhere");
        h.send(other.registered("c9", 2, JAN), other.held("c9", 1, JAN), other.present("c9", 1, "z"));
        h.send(unknown.registered("c8", 2, JAN), unknown.held("c8", 1, JAN), unknown.present("c8", 1, "w"));
        h.settle();
        assertEquals(1, reached("month|2026-01|upazila|upz-2|all|all"));
        assertEquals(1, reached("month|2026-01|district|dist-1|all|all"));
        assertEquals(1, reached("month|2026-01|partner|partnerC|all|all"));
        assertEquals(2, reached("month|2026-01|program|p1|all|all"));
    }
}
