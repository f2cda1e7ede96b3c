package org.fieldstream.seeds;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

import org.fieldstream.events.AttendanceStatus;
import org.fieldstream.events.ExitReason;
import org.fieldstream.reference.Program;
import org.fieldstream.reference.ReferenceData;

/**
 * Cohort families of the expected metrics from a ledger's final state: cohort_retention,
 * cohort_retention_by_group, participant_progress, retention_curve. Only registered cohorts have
 * rows; only persons with a current (not retracted) enrolment count; attendance of a person not
 * enrolled in the cohort is ignored here (it still counts for outreach). A by-group row exists for
 * every sex x age band with at least one enrolled person, transferred ones included; the survival
 * curve has the same grains (sex = age_band = all for the total), each over its own persons.
 */
final class RetentionExpectation {

    private final ReferenceData reference;
    private final Function<String, String> pseudonym;
    private final Map<MetricFamily, Map<String, Map<String, Object>>> out;

    RetentionExpectation(ReferenceData reference, Function<String, String> pseudonym,
                         Map<MetricFamily, Map<String, Map<String, Object>>> out) {
        this.reference = reference;
        this.pseudonym = pseudonym;
        this.out = out;
    }

    void compute(Ledger ledger) {
        Map<String, SortedMap<Integer, LocalDate>> held = new HashMap<>();
        for (FieldRecord.Session s : ledger.current(FieldRecord.Session.class)) {
            held.computeIfAbsent(s.cohortId(), k -> new TreeMap<>()).put(s.sessionNumber(), s.heldOn());
        }
        Map<String, List<FieldRecord.Enrolment>> enrolled = new HashMap<>();
        for (FieldRecord.Enrolment e : ledger.current(FieldRecord.Enrolment.class)) {
            enrolled.computeIfAbsent(e.cohortId(), k -> new ArrayList<>()).add(e);
        }
        Map<String, Set<Integer>> present = new HashMap<>();
        for (FieldRecord.Attendance a : ledger.current(FieldRecord.Attendance.class)) {
            if (a.status() == AttendanceStatus.PRESENT) {
                present.computeIfAbsent(a.cohortId() + '|' + a.personKey(), k -> new HashSet<>()).add(a.sessionNumber());
            }
        }
        Map<String, ExitReason> exits = new HashMap<>();
        for (FieldRecord.Exit x : ledger.current(FieldRecord.Exit.class)) {
            exits.put(x.cohortId() + '|' + x.personKey(), x.reason());
        }
        for (FieldRecord.Cohort c : ledger.current(FieldRecord.Cohort.class)) {
            SortedMap<Integer, LocalDate> sessions = held.getOrDefault(c.cohortId(), new TreeMap<>());
            Program program = reference.program(c.programId()).orElse(null);
            int missed = program == null ? 3 : program.getDropoutMissedSessions();
            double completion = program == null ? 0.8 : program.getCompletionAttendance();
            List<ParticipantState> people = new ArrayList<>();
            for (FieldRecord.Enrolment e : enrolled.getOrDefault(c.cohortId(), List.of())) {
                String pk = c.cohortId() + '|' + e.personKey();
                people.add(ParticipantState.of(e, sessions, c.plannedSessions(), present.getOrDefault(pk, Set.of()),
                        exits.get(pk), missed, completion));
            }
            emitCohort(c, sessions, people);
        }
    }

    private void emitCohort(FieldRecord.Cohort c, SortedMap<Integer, LocalDate> sessions, List<ParticipantState> people) {
        put(MetricFamily.COHORT_RETENTION, retention(c, sessions, AgeBand.ALL, AgeBand.ALL, people));
        Map<String, List<ParticipantState>> groups = new TreeMap<>();
        for (ParticipantState p : people) {
            groups.computeIfAbsent(p.sex() + '|' + p.ageBand(), k -> new ArrayList<>()).add(p);
            put(MetricFamily.PARTICIPANT_PROGRESS, progress(c, p));
        }
        curve(c, sessions, AgeBand.ALL, AgeBand.ALL, people);
        for (Map.Entry<String, List<ParticipantState>> g : groups.entrySet()) {
            String[] parts = g.getKey().split("\\|");
            put(MetricFamily.COHORT_RETENTION_BY_GROUP, retention(c, sessions, parts[0], parts[1], g.getValue()));
            curve(c, sessions, parts[0], parts[1], g.getValue());
        }
    }

    /** Survival at each held session of one grain: its persons not transferred, and those present there or later. */
    private void curve(FieldRecord.Cohort c, SortedMap<Integer, LocalDate> sessions, String sex, String ageBand,
                       List<ParticipantState> people) {
        List<ParticipantState> counted = people.stream().filter(p -> !p.transferred()).toList();
        for (Map.Entry<Integer, LocalDate> s : sessions.entrySet()) {
            int surviving = (int) counted.stream().filter(p -> p.presentFrom(s.getKey())).count();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("program_id", c.programId());
            row.put("partner_id", c.partnerId());
            row.put("cohort_id", c.cohortId());
            row.put("sex", sex);
            row.put("age_band", ageBand);
            row.put("session_number", s.getKey());
            row.put("held_on", s.getValue());
            row.put("enrolled", counted.size());
            row.put("surviving", surviving);
            row.put("survival_rate", rate(surviving, counted.size()));
            put(MetricFamily.RETENTION_CURVE, row);
        }
    }

    private static Map<String, Object> retention(FieldRecord.Cohort c, SortedMap<Integer, LocalDate> sessions,
                                                 String sex, String ageBand, List<ParticipantState> people) {
        int enrolled = 0;
        int presentTotal = 0;
        int expectedTotal = 0;
        Map<String, Integer> byStatus = new HashMap<>();
        for (ParticipantState p : people) {
            byStatus.merge(p.status(), 1, Integer::sum);
            if (!p.transferred()) {
                enrolled++;
                presentTotal += p.attended().size();
                expectedTotal += p.expected().size();
            }
        }
        int active = byStatus.getOrDefault("active", 0);
        int completed = byStatus.getOrDefault("completed", 0);
        int dropped = byStatus.getOrDefault("dropped_out", 0);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("program_id", c.programId());
        row.put("partner_id", c.partnerId());
        row.put("org_unit_id", c.orgUnitId());
        row.put("cohort_id", c.cohortId());
        row.put("sex", sex);
        row.put("age_band", ageBand);
        row.put("sessions_planned", c.plannedSessions());
        row.put("sessions_held", sessions.size());
        row.put("enrolled", enrolled);
        row.put("active", active);
        row.put("completed", completed);
        row.put("dropped_out", dropped);
        row.put("transferred", byStatus.getOrDefault("transferred", 0));
        row.put("present_total", presentTotal);
        row.put("expected_total", expectedTotal);
        row.put("retention_rate", rate(active + completed, enrolled));
        row.put("dropout_rate", rate(dropped, enrolled));
        row.put("completion_rate", rate(completed, enrolled));
        row.put("attendance_rate", rate(presentTotal, expectedTotal));
        return row;
    }

    private Map<String, Object> progress(FieldRecord.Cohort c, ParticipantState p) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("program_id", c.programId());
        row.put("partner_id", c.partnerId());
        row.put("org_unit_id", c.orgUnitId());
        row.put("cohort_id", c.cohortId());
        row.put("person_id", pseudonym.apply(p.personKey()));
        row.put("sex", p.sex());
        row.put("age_band", p.ageBand());
        row.put("enrolled_on", p.enrolledOn());
        row.put("status", p.status());
        row.put("sessions_expected", p.expected().size());
        row.put("sessions_attended", p.attended().size());
        row.put("attendance_rate", p.attendanceRate());
        row.put("last_session_present", p.lastSessionPresent());
        return row;
    }

    /** A share, 0 when the denominator is 0. */
    static double rate(long numerator, long denominator) {
        return denominator == 0 ? 0.0 : (double) numerator / denominator;
    }

    private void put(MetricFamily family, Map<String, Object> row) {
        family.check(row);
        out.computeIfAbsent(family, f -> new TreeMap<>()).put(family.key(row), row);
    }
}
