package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import org.fieldstream.events.ExitReason;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.RecordRetracted;
import org.junit.jupiter.api.Test;

/** The pure rules: status order, age bands, periods, versions, which revision wins. */
class RulesTest {

    private static final ProgramParams P = ProgramParams.DEFAULTS;

    @Test
    void statusFirstMatchWins() {
        List<Boolean> allPresent = List.of(true, true, true, true, true);
        List<Boolean> missedThree = List.of(true, true, false, false, false);
        assertEquals("transferred", StatusRule.status(Set.of(ExitReason.TRANSFERRED, ExitReason.COMPLETED), true, allPresent, P));
        assertEquals("completed", StatusRule.status(Set.of(ExitReason.COMPLETED), false, missedThree, P));
        assertEquals("completed", StatusRule.status(Set.of(ExitReason.DROPPED_OUT), true, allPresent, P));
        assertEquals("dropped_out", StatusRule.status(Set.of(ExitReason.DROPPED_OUT), false, allPresent, P));
        assertEquals("dropped_out", StatusRule.status(Set.of(), false, missedThree, P));
        assertEquals("active", StatusRule.status(Set.of(ExitReason.OTHER), false, List.of(false, false), P));
    }

    @Test
    void completionNeedsEightyPercentOfExpectedSessionsOnceAllAreHeld() {
        assertTrue(StatusRule.attendedEnough(List.of(true, true, true, true, false), P));
        assertFalse(StatusRule.attendedEnough(List.of(true, true, true, false, false), P));
        assertTrue(StatusRule.attendedEnough(List.of(true, true, true, true, true, true, true, true, true, true, true, true,
                false, false, false), P)); // 12 of 15
        assertFalse(StatusRule.attendedEnough(List.of(), P));
        assertEquals("active", StatusRule.status(Set.of(), false, List.of(true, true, true, true, false), P));
    }

    @Test
    void dropoutNeedsTheLastThreeExpectedSessionsMissed() {
        assertTrue(StatusRule.missedLast(List.of(true, false, false, false), 3));
        assertFalse(StatusRule.missedLast(List.of(false, false, false, true), 3));
        assertFalse(StatusRule.missedLast(List.of(false, false), 3));
    }

    @Test
    void ageBands() {
        assertEquals("under_15", AgeBand.of(14));
        assertEquals("youth_15_29", AgeBand.of(15));
        assertEquals("youth_15_29", AgeBand.of(29));
        assertEquals("adult_30_plus", AgeBand.of(30));
        assertEquals("unknown", AgeBand.of(null));
        assertEquals("youth_15_29", AgeBand.atEnrolment(40, 2000, LocalDate.of(2026, 3, 1)), "birth year first");
        assertEquals("adult_30_plus", AgeBand.atEnrolment(40, null, LocalDate.of(2026, 3, 1)));
    }

    @Test
    void periods() {
        assertEquals("2026-03", Periods.month(LocalDate.of(2026, 3, 31)));
        assertEquals("2026-Q1", Periods.quarterOfMonth("2026-03"));
        assertEquals("2026-Q2", Periods.quarterOfMonth("2026-04"));
        assertEquals("2026-Q4", Periods.quarterOfMonth("2026-12"));
        assertEquals(LocalDate.of(2026, 4, 1), Periods.start("quarter", "2026-Q2", null));
        assertEquals(LocalDate.of(2026, 2, 1), Periods.start("month", "2026-02", null));
        assertEquals(LocalDate.of(2025, 7, 1), Periods.start("to_date", "all", LocalDate.of(2025, 7, 1)));
        assertEquals("2026", Periods.yearOfMonth("2026-12"));
        assertEquals(LocalDate.of(2026, 1, 1), Periods.start("year", "2026", null));
    }

    @Test
    void aFiscalYearIsNamedByTheYearItEndsIn() {
        assertEquals("FY2026-10", Periods.fiscalYearOfMonth("2025-10", 10), "October 2025 opens FY2026");
        assertEquals("FY2026-10", Periods.fiscalYearOfMonth("2026-09", 10), "September 2026 closes it");
        assertEquals("FY2027-10", Periods.fiscalYearOfMonth("2026-10", 10));
        assertEquals("FY2026-04", Periods.fiscalYearOfMonth("2026-03", 4));
        assertEquals("FY2027-04", Periods.fiscalYearOfMonth("2026-04", 4));
        assertEquals("FY2026-07", Periods.fiscalYearOfMonth("2026-06", 7));
        assertEquals(LocalDate.of(2025, 10, 1), Periods.start("fiscal_year", "FY2026-10", null));
        assertEquals(LocalDate.of(2025, 4, 1), Periods.start("fiscal_year", "FY2026-04", null));
    }

    @Test
    void versionsGrowAndNeverFallBelowTheClock() {
        assertEquals(1_000, Versions.next(5, 1_000));
        assertEquals(1_001, Versions.next(1_000, 1_000));
        assertEquals(2_001, Versions.next(2_000, 1_000), "a clock step back still grows");
    }

    @Test
    void higherRevisionWinsAndEqualRevisionsAreOrderedDeterministically() {
        TestEvents ev = new TestEvents("p", "q", null);
        FieldEvent r1 = ev.held("c", 1, LocalDate.of(2026, 1, 1), 1);
        FieldEvent r2 = ev.held("c", 1, LocalDate.of(2026, 1, 8), 2);
        FieldEvent retract2 = ev.event("c", r1.getRootId(), 2, new RecordRetracted("x"), Instant.EPOCH);
        assertTrue(CurrentRecords.wins(r2, r1));
        assertFalse(CurrentRecords.wins(r1, r2));
        assertFalse(CurrentRecords.wins(r1, r1), "a duplicate never wins");
        assertTrue(CurrentRecords.wins(retract2, r2), "on equal revisions a retraction wins");
        assertFalse(CurrentRecords.wins(r2, retract2));
    }
}
