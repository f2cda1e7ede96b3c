package org.fieldstream.streams;

import java.util.List;
import java.util.Set;

import org.fieldstream.events.ExitReason;

/** A participant's status, first match wins (docs/design.md, "Retention"). */
final class StatusRule {

    static final String ACTIVE = "active";
    static final String COMPLETED = "completed";
    static final String DROPPED_OUT = "dropped_out";
    static final String TRANSFERRED = "transferred";

    /** Tolerance for comparing an attendance share with the completion threshold (0.8 * 5 is not 4.0). */
    private static final double EPSILON = 1e-9;

    private StatusRule() {
    }

    /**
     * @param exits reasons of the person's live exit records
     * @param allHeld the cohort has held all planned sessions
     * @param presentAtExpected presence at each expected session, in session order
     */
    static String status(Set<ExitReason> exits, boolean allHeld, List<Boolean> presentAtExpected, ProgramParams params) {
        if (exits.contains(ExitReason.TRANSFERRED)) {
            return TRANSFERRED;
        }
        if (exits.contains(ExitReason.COMPLETED) || (allHeld && attendedEnough(presentAtExpected, params))) {
            return COMPLETED;
        }
        if (exits.contains(ExitReason.DROPPED_OUT) || missedLast(presentAtExpected, params.dropoutMissedSessions())) {
            return DROPPED_OUT;
        }
        return ACTIVE;
    }

    /**
     * The same rule over counts, as the incremental state keeps them: {@code missedRun} is the number
     * of expected sessions at the end of the list without the person present. Returns a
     * {@link Derived} status index.
     */
    static int status(boolean transferred, boolean completed, boolean droppedOut, boolean allHeld, int expected,
                      int attended, int missedRun, ProgramParams params) {
        if (transferred) {
            return Derived.TRANSFERRED;
        }
        if (completed || (allHeld && expected > 0 && attended >= params.completionAttendance() * expected - EPSILON)) {
            return Derived.COMPLETED;
        }
        int n = params.dropoutMissedSessions();
        if (droppedOut || (n > 0 && missedRun >= n)) {
            return Derived.DROPPED_OUT;
        }
        return Derived.ACTIVE;
    }

    static boolean attendedEnough(List<Boolean> presentAtExpected, ProgramParams params) {
        if (presentAtExpected.isEmpty()) {
            return false;
        }
        long present = presentAtExpected.stream().filter(Boolean::booleanValue).count();
        return present >= params.completionAttendance() * presentAtExpected.size() - EPSILON;
    }

    /** The last {@code n} expected sessions all passed without the person present. */
    static boolean missedLast(List<Boolean> presentAtExpected, int n) {
        int size = presentAtExpected.size();
        if (n <= 0 || size < n) {
            return false;
        }
        return presentAtExpected.subList(size - n, size).stream().noneMatch(Boolean::booleanValue);
    }
}
