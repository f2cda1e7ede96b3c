package org.fieldstream.seeds;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

import org.fieldstream.events.ExitReason;

/**
 * One enrolled person in one cohort with the status rules of docs/design.md ("Retention") applied, first match wins:
 * transferred (exit reason), completed (exit reason, or all planned sessions held and attendance
 * rate at least completion_attendance), dropped_out (exit reason, or the last N expected sessions
 * all held without the person present, needing at least N expected sessions), else active.
 * Expected sessions are the held sessions dated on or after the enrolment date; only presence at an
 * expected session counts. The completion test compares the rate attended/expected (a double) with
 * completion_attendance, so 12 of 15 meets 0.8 exactly; with no expected session the rate is 0.
 */
record ParticipantState(String personKey, String sex, String ageBand, LocalDate enrolledOn, String status,
                        List<Integer> expected, List<Integer> attended) {

    static ParticipantState of(FieldRecord.Enrolment e, SortedMap<Integer, LocalDate> held, int planned,
                               Set<Integer> presentAt, ExitReason exit, int dropoutMissed, double completionAttendance) {
        List<Integer> expected = new ArrayList<>();
        for (Map.Entry<Integer, LocalDate> s : held.entrySet()) {
            if (!s.getValue().isBefore(e.enrolledOn())) {
                expected.add(s.getKey());
            }
        }
        List<Integer> attended = expected.stream().filter(presentAt::contains).toList();
        double rate = expected.isEmpty() ? 0.0 : (double) attended.size() / expected.size();
        String status;
        if (exit == ExitReason.TRANSFERRED) {
            status = "transferred";
        } else if (exit == ExitReason.COMPLETED
                || (planned > 0 && held.size() >= planned && !expected.isEmpty() && rate >= completionAttendance)) {
            status = "completed";
        } else if (exit == ExitReason.DROPPED_OUT || missedLast(expected, presentAt, dropoutMissed)) {
            status = "dropped_out";
        } else {
            status = "active";
        }
        return new ParticipantState(e.personKey(), AgeBand.sex(e.sex()), AgeBand.of(e.ageAtEnrolment()),
                e.enrolledOn(), status, expected, attended);
    }

    private static boolean missedLast(List<Integer> expected, Set<Integer> presentAt, int n) {
        if (n <= 0 || expected.size() < n) {
            return false;
        }
        return expected.subList(expected.size() - n, expected.size()).stream().noneMatch(presentAt::contains);
    }

    boolean transferred() {
        return "transferred".equals(status);
    }

    double attendanceRate() {
        return expected.isEmpty() ? 0.0 : (double) attended.size() / expected.size();
    }

    Integer lastSessionPresent() {
        return attended.isEmpty() ? null : attended.get(attended.size() - 1);
    }

    /** Present at an expected session numbered k or later. */
    boolean presentFrom(int k) {
        return !attended.isEmpty() && attended.get(attended.size() - 1) >= k;
    }
}
