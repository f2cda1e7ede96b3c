package org.fieldstream.seeds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.function.Function;

import org.fieldstream.events.AttendanceStatus;
import org.fieldstream.events.DialogueKind;
import org.fieldstream.events.ExitReason;
import org.fieldstream.events.Sex;
import org.fieldstream.reference.ReferenceData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExpectedMetricsTest {

    private static final String P = "shouhardo3";
    private static final String N = "ndp";
    private static final String C = "c1";
    private static final LocalDate D1 = LocalDate.of(2026, 1, 4);

    private final ReferenceData reference = ReferenceData.bundled();
    private final Ledger ledger = new Ledger();

    /** A cohort of `planned` sessions of which `held` are held, one per day from Jan 4 (crossing no month before 28). */
    private void cohort(int planned, int held) {
        ledger.accept(new FieldRecord.Cohort(P, N, C, "t", planned, D1, null, "bd-kazipur-tekani-purbapara", null));
        for (int s = 1; s <= held; s++) {
            ledger.accept(session(s, D1.plusDays(s - 1)));
        }
    }

    private static FieldRecord.Session session(int n, LocalDate on) {
        return new FieldRecord.Session(P, N, C, n, on);
    }

    private void enrol(String person, Sex sex, Integer birthYear, LocalDate on) {
        ledger.accept(enrolment(person, sex, birthYear, on));
    }

    private static FieldRecord.Enrolment enrolment(String person, Sex sex, Integer birthYear, LocalDate on) {
        return new FieldRecord.Enrolment(P, N, C, person, sex, birthYear, null, on);
    }

    private void present(String person, int... sessions) {
        for (int s : sessions) {
            ledger.accept(attendance(person, s, AttendanceStatus.PRESENT));
        }
    }

    private static FieldRecord.Attendance attendance(String person, int session, AttendanceStatus status) {
        return new FieldRecord.Attendance(P, N, C, session, person, status);
    }

    private void exit(String person, ExitReason reason) {
        ledger.accept(new FieldRecord.Exit(P, N, C, person, reason, null));
    }

    private ExpectedMetrics compute() {
        return ExpectedMetrics.compute(ledger, reference, Function.identity());
    }

    private Map<String, Object> progress(ExpectedMetrics m, String person) {
        return m.family("participant_progress").get(C + "|" + person);
    }

    private Map<String, Object> total(ExpectedMetrics m) {
        return m.family("cohort_retention").get(C + "|all|all");
    }

    private static int[] range(int from, int to) {
        return java.util.stream.IntStream.rangeClosed(from, to).toArray();
    }

    @Test
    void firstMatchingStatusWins() {
        cohort(10, 10);
        enrol("transferred-but-present", Sex.FEMALE, 2005, D1);
        present("transferred-but-present", range(1, 10));
        exit("transferred-but-present", ExitReason.TRANSFERRED);
        enrol("exited-dropout-but-80", Sex.MALE, 2004, D1);
        present("exited-dropout-but-80", range(1, 8));
        exit("exited-dropout-but-80", ExitReason.DROPPED_OUT);
        enrol("exited-completed-low", Sex.MALE, 2004, D1);
        present("exited-completed-low", 1);
        exit("exited-completed-low", ExitReason.COMPLETED);

        ExpectedMetrics m = compute();
        assertEquals("transferred", progress(m, "transferred-but-present").get("status"));
        assertEquals("completed", progress(m, "exited-dropout-but-80").get("status"));
        assertEquals("completed", progress(m, "exited-completed-low").get("status"));
    }

    @Test
    void threeMissedHeldSessionsMakeADropoutButComingBackDoesNot() {
        cohort(20, 10);
        enrol("missed-last-3", Sex.FEMALE, 2005, D1);
        present("missed-last-3", range(1, 7));
        enrol("missed-last-2", Sex.FEMALE, 2005, D1);
        present("missed-last-2", range(1, 8));
        enrol("came-back", Sex.MALE, 2005, D1);
        present("came-back", 1, 2, 6, 7, 8, 9, 10);
        enrol("late-2-expected", Sex.MALE, 2005, D1.plusDays(8));

        ExpectedMetrics m = compute();
        assertEquals("dropped_out", progress(m, "missed-last-3").get("status"));
        assertEquals("active", progress(m, "missed-last-2").get("status"));
        assertEquals("active", progress(m, "came-back").get("status"));
        assertEquals("active", progress(m, "late-2-expected").get("status"), "fewer than 3 expected sessions");
        assertEquals(2, progress(m, "late-2-expected").get("sessions_expected"));
        Map<String, Object> t = total(m);
        assertEquals(4, t.get("enrolled"));
        assertEquals(1, t.get("dropped_out"));
        assertEquals(0.25, t.get("dropout_rate"));
        assertEquals(0.75, t.get("retention_rate"));
        assertEquals(7, progress(m, "missed-last-3").get("last_session_present"));
    }

    @Test
    void eightyPercentOnceAllPlannedSessionsAreHeldCompletes() {
        cohort(15, 15);
        enrol("twelve-of-15", Sex.FEMALE, 2000, D1);
        present("twelve-of-15", range(1, 12));
        enrol("eleven-of-15", Sex.FEMALE, 2000, D1);
        present("eleven-of-15", range(1, 10));
        present("eleven-of-15", 15);
        ExpectedMetrics m = compute();
        assertEquals("completed", progress(m, "twelve-of-15").get("status"), "12/15 is exactly 0.8");
        assertEquals("active", progress(m, "eleven-of-15").get("status"));
        assertEquals(0.5, total(m).get("completion_rate"));
        assertEquals(23.0 / 30, total(m).get("attendance_rate"));
    }

    @Test
    void eightyPercentBeforeTheLastSessionIsNotYetCompletion() {
        cohort(10, 9);
        enrol("all-so-far", Sex.MALE, 2000, D1);
        present("all-so-far", range(1, 9));
        assertEquals("active", progress(compute(), "all-so-far").get("status"));
    }

    @Test
    void transfersLeaveEveryDenominator() {
        cohort(10, 10);
        enrol("stays", Sex.FEMALE, 2000, D1);
        present("stays", range(1, 10));
        enrol("moves", Sex.MALE, 2000, D1);
        present("moves", 1, 2);
        exit("moves", ExitReason.TRANSFERRED);
        ExpectedMetrics m = compute();
        Map<String, Object> t = total(m);
        assertEquals(1, t.get("enrolled"));
        assertEquals(1, t.get("transferred"));
        assertEquals(1.0, t.get("retention_rate"));
        assertEquals(10, t.get("expected_total"));
        assertEquals(1.0, t.get("attendance_rate"));
        assertEquals(1, m.family("retention_curve").get(C + "|10|all|all").get("enrolled"));
        assertEquals(0, m.family("retention_curve").get(C + "|10|male|youth_15_29").get("enrolled"));
        Map<String, Object> maleGroup = m.family("cohort_retention_by_group").get(C + "|male|youth_15_29");
        assertEquals(0, maleGroup.get("enrolled"));
        assertEquals(1, maleGroup.get("transferred"));
    }

    @Test
    void survivalCountsPresenceAtTheSessionOrLater() {
        cohort(5, 5);
        enrol("a", Sex.FEMALE, 2000, D1);
        present("a", 1, 2);
        enrol("b", Sex.FEMALE, 2000, D1);
        present("b", 1, 4);
        Map<String, Map<String, Object>> curve = compute().family("retention_curve");
        assertEquals(2, curve.get(C + "|1|all|all").get("surviving"));
        assertEquals(2, curve.get(C + "|2|all|all").get("surviving"));
        assertEquals(1, curve.get(C + "|3|all|all").get("surviving"));
        assertEquals(0.5, curve.get(C + "|4|all|all").get("survival_rate"));
        assertEquals(0, curve.get(C + "|5|all|all").get("surviving"));
    }

    @Test
    void survivalBySexAndAgeBandCountsEachGroupsOwnPersons() {
        cohort(5, 5);
        enrol("a", Sex.FEMALE, 2000, D1);
        present("a", 1, 4);
        enrol("b", Sex.FEMALE, 2000, D1);
        present("b", 1);
        enrol("m", Sex.MALE, 2000, D1);
        present("m", 2);
        enrol("o", Sex.FEMALE, 1980, D1);
        present("o", 5);
        Map<String, Map<String, Object>> curve = compute().family("retention_curve");
        assertEquals(5 * 4, curve.size(), "five sessions, in total and for three groups");
        assertEquals(2, curve.get(C + "|4|all|all").get("surviving")); // a, o
        assertEquals(4, curve.get(C + "|4|all|all").get("enrolled"));
        assertEquals(Map.of("sex", "female", "age_band", "youth_15_29", "enrolled", 2, "surviving", 1, "survival_rate", 0.5),
                pick(curve.get(C + "|4|female|youth_15_29"), "sex", "age_band", "enrolled", "surviving", "survival_rate"));
        assertEquals(0, curve.get(C + "|4|male|youth_15_29").get("surviving"), "by sex: m was last present at 2");
        assertEquals(1, curve.get(C + "|2|male|youth_15_29").get("surviving"));
        assertEquals(1.0, curve.get(C + "|4|female|adult_30_plus").get("survival_rate"), "by age band: o was present at 5");
    }

    private static Map<String, Object> pick(Map<String, Object> row, String... fields) {
        Map<String, Object> out = new java.util.HashMap<>();
        for (String f : fields) {
            out.put(f, row.get(f));
        }
        return out;
    }

    @Test
    void retractedEnrolmentRemovesThePersonFromTheCohortButNotFromOutreach() {
        cohort(5, 5);
        enrol("kept", Sex.FEMALE, 2000, D1);
        present("kept", 1);
        FieldRecord.Enrolment wrong = enrolment("voided", Sex.MALE, 1990, D1);
        ledger.accept(wrong, 1, false);
        present("voided", 1);
        ledger.accept(wrong, 2, true);
        ExpectedMetrics m = compute();
        assertEquals(1, total(m).get("enrolled"));
        assertNull(progress(m, "voided"));
        Map<String, Object> jan = m.family("outreach").get("shouhardo3|month|2026-01|program|shouhardo3|all|all");
        assertEquals(2L, jan.get("people_reached"));
        assertEquals(1L, m.family("outreach").get("shouhardo3|month|2026-01|program|shouhardo3|unknown|unknown").get("people_reached"),
                "no current record carries the voided person's sex or age");
    }

    @Test
    void higherRevisionReplacesInAnyOrderAndSameRevisionIsADuplicate() {
        cohort(5, 5);
        enrol("p", Sex.FEMALE, 2000, D1);
        ledger.accept(attendance("p", 1, AttendanceStatus.PRESENT), 2, false);
        ledger.accept(attendance("p", 1, AttendanceStatus.ABSENT), 1, false);
        ledger.accept(attendance("p", 2, AttendanceStatus.ABSENT), 1, false);
        ledger.accept(attendance("p", 2, AttendanceStatus.PRESENT), 2, false);
        ledger.accept(attendance("p", 3, AttendanceStatus.PRESENT), 1, false);
        ledger.accept(attendance("p", 3, AttendanceStatus.ABSENT), 1, false);
        ledger.accept(enrolment("p", Sex.MALE, 1980, D1), 2, false);
        Map<String, Object> p = progress(compute(), "p");
        assertEquals(3, p.get("sessions_attended"));
        assertEquals("male", p.get("sex"));
        assertEquals("adult_30_plus", p.get("age_band"));
    }

    @Test
    void expectedSessionsStartAtTheEnrolmentDate() {
        cohort(10, 10);
        enrol("late", Sex.OTHER, null, D1.plusDays(5));
        present("late", 1, 6, 7, 8, 9, 10);
        ExpectedMetrics m = compute();
        Map<String, Object> p = progress(m, "late");
        assertEquals(5, p.get("sessions_expected"));
        assertEquals(5, p.get("sessions_attended"));
        assertEquals("completed", p.get("status"));
        assertEquals("unknown", p.get("age_band"));
        assertTrue(m.family("cohort_retention_by_group").containsKey(C + "|other|unknown"));
    }

    @Test
    void countsAPersonOnceWhenPresentTwiceInAMonthAndQuarterIsNotTheSumOfMonths() {
        ledger.accept(new FieldRecord.Cohort(P, N, C, "t", 3, D1, null, "bd-kazipur-tekani-purbapara", null));
        ledger.accept(session(1, LocalDate.of(2026, 1, 10)));
        ledger.accept(session(2, LocalDate.of(2026, 1, 20)));
        ledger.accept(session(3, LocalDate.of(2026, 2, 3)));
        enrol("p", Sex.FEMALE, 2004, D1);
        present("p", 1, 2, 3);
        ledger.accept(new FieldRecord.Dialogue(P, N, "d1", DialogueKind.VILLAGE_GRADING, "v", LocalDate.of(2026, 1, 25),
                "bd-belkuchi-rajapur-purbapara"));
        ledger.accept(new FieldRecord.DialogueAttendee(P, N, "d1", 1, "p", "youth", Sex.FEMALE, 21));
        ledger.accept(new FieldRecord.DialogueAttendee(P, N, "d1", 2, null, "union_parishad_chairman", Sex.MALE, null));

        Map<String, Map<String, Object>> out = compute().family("outreach");
        String program = "shouhardo3|%s|%s|program|shouhardo3|all|all";
        assertEquals(1L, out.get(program.formatted("month", "2026-01")).get("people_reached"));
        assertEquals(1L, out.get(program.formatted("month", "2026-01")).get("new_people_reached"));
        assertEquals(1L, out.get(program.formatted("month", "2026-02")).get("people_reached"));
        assertEquals(0L, out.get(program.formatted("month", "2026-02")).get("new_people_reached"));
        assertEquals(1L, out.get(program.formatted("quarter", "2026-Q1")).get("people_reached"));
        assertEquals(1L, out.get(program.formatted("to_date", "all")).get("people_reached"));
        assertEquals(LocalDate.of(2025, 10, 1), out.get(program.formatted("to_date", "all")).get("period_start"));
        assertEquals(1L, out.get("shouhardo3|month|2026-01|upazila|bd-sirajganj-belkuchi|all|all").get("people_reached"));
        assertEquals(1L, out.get("shouhardo3|month|2026-01|upazila|bd-sirajganj-kazipur|female|youth_15_29").get("people_reached"));
        assertEquals(1L, out.get("shouhardo3|quarter|2026-Q1|district|bd-sirajganj|all|all").get("people_reached"));
        assertFalse(out.containsKey("shouhardo3|month|2026-02|upazila|bd-sirajganj-belkuchi|all|all"));
    }

    @Test
    void officialsCountInDialogueAttendanceNeverInPeopleReached() {
        ledger.accept(new FieldRecord.Dialogue("iid-edu", "iid", "pd", DialogueKind.POLICY_DIALOGUE, "schools",
                LocalDate.of(2026, 3, 2), "bd-dhaka-savar"));
        ledger.accept(new FieldRecord.DialogueAttendee("iid-edu", "iid", "pd", 1, null, "upazila_education_officer", Sex.MALE, null));
        ledger.accept(new FieldRecord.DialogueAttendee("iid-edu", "iid", "pd", 2, null, "head_teacher", Sex.FEMALE, null));
        ledger.accept(new FieldRecord.DialogueAttendee("iid-edu", "iid", "pd", 3, "cbo-1", "cbo_member", Sex.FEMALE, 40));
        ledger.accept(new FieldRecord.DialogueAttendee("iid-edu", "iid", "pd", 4, "cbo-2", "cbo_member", Sex.FEMALE, 35), 1, false);
        ledger.accept(new FieldRecord.DialogueAttendee("iid-edu", "iid", "pd", 4, "cbo-2", "cbo_member", Sex.FEMALE, 35), 2, true);
        ExpectedMetrics m = compute();
        Map<String, Object> summary = m.family("dialogues").get("pd");
        assertEquals(3, summary.get("attendees"));
        assertEquals(2, summary.get("attendees_female"));
        assertEquals(1, summary.get("identified_persons"));
        assertEquals("policy_dialogue", summary.get("kind"));
        assertEquals(1, m.family("dialogue_attendance").get("pd|head_teacher|female").get("attendees"));
        assertEquals(1, m.family("dialogue_attendance").get("pd|cbo_member|female").get("attendees"));
        assertEquals(1L, m.family("outreach").get("iid-edu|month|2026-03|program|iid-edu|all|all").get("people_reached"));
        assertEquals(1L, m.family("outreach").get("iid-edu|month|2026-03|district|bd-dhaka-district|female|adult_30_plus").get("people_reached"));
    }

    @Test
    void outreachAttributesComeFromThePersonsMostRecentRecord() {
        cohort(2, 2);
        enrol("p", Sex.UNKNOWN, null, D1);
        present("p", 1);
        ledger.accept(new FieldRecord.Dialogue(P, N, "d2", DialogueKind.COMMUNITY_CONSULTATION, "x", LocalDate.of(2026, 4, 1),
                "bd-kazipur-tekani-purbapara"));
        ledger.accept(new FieldRecord.DialogueAttendee(P, N, "d2", 1, "p", "youth", Sex.FEMALE, 16));
        Map<String, Map<String, Object>> out = compute().family("outreach");
        assertEquals(1L, out.get("shouhardo3|month|2026-01|program|shouhardo3|female|youth_15_29").get("people_reached"),
                "the April dialogue record is the latest and applies to January too");
        assertFalse(out.containsKey("shouhardo3|month|2026-01|program|shouhardo3|unknown|unknown"));
    }

    @Test
    void aPartnersGrainsTakeOnlyThatPartnersRecordsOfThePerson() {
        cohort(2, 2); // ndp, sessions Jan 4 and 5
        enrol("p", Sex.FEMALE, 2004, D1);
        present("p", 1);
        // mms records the same person: enrolled later as a man born 1980, reached in December
        ledger.accept(new FieldRecord.Cohort(P, "mms", "m1", "t", 2, LocalDate.of(2025, 12, 1), null, "bd-kazipur-tekani-purbapara", null));
        ledger.accept(new FieldRecord.Session(P, "mms", "m1", 1, LocalDate.of(2025, 12, 1)));
        ledger.accept(new FieldRecord.Enrolment(P, "mms", "m1", "p", Sex.MALE, 1980, null, LocalDate.of(2026, 2, 1)));
        ledger.accept(new FieldRecord.Attendance(P, "mms", "m1", 1, "p", AttendanceStatus.PRESENT));
        Map<String, Map<String, Object>> out = compute().family("outreach");
        Map<String, Object> ndp = out.get("shouhardo3|month|2026-01|partner|ndp|female|youth_15_29");
        assertEquals(1L, ndp.get("people_reached"), "ndp's own record: female, 22");
        assertEquals(1L, ndp.get("new_people_reached"), "first reached by ndp in January");
        assertFalse(out.containsKey("shouhardo3|month|2026-01|partner|ndp|male|adult_30_plus"));
        Map<String, Object> program = out.get("shouhardo3|month|2026-01|program|shouhardo3|male|adult_30_plus");
        assertEquals(1L, program.get("people_reached"), "the program's most recent record: mms's, male, 46");
        assertEquals(0L, program.get("new_people_reached"), "first reached in the program in December");
        assertEquals(1L, out.get("shouhardo3|month|2025-12|partner|mms|male|adult_30_plus").get("people_reached"));
    }

    @Test
    void writtenFilesReadBackToTheSameRows(@TempDir Path dir) {
        cohort(5, 5);
        enrol("a", Sex.FEMALE, 2000, D1);
        present("a", 1, 2, 3);
        ExpectedMetrics m = ExpectedMetrics.compute(ledger, reference, k -> "pid-" + k);
        m.write(dir);
        ExpectedMetrics back = ExpectedMetrics.read(dir);
        for (MetricFamily f : MetricFamily.values()) {
            assertEquals(m.family(f), back.family(f), f.familyName());
        }
        assertTrue(back.family("participant_progress").containsKey(C + "|pid-a"));
        Map<String, Object> row = back.family("participant_progress").get(C + "|pid-a");
        assertEquals(3, row.get("last_session_present"));
        assertEquals(D1, row.get("enrolled_on"));
    }
}
