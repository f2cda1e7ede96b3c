package org.fieldstream.streams;

import java.util.List;

/**
 * A participant's figures in a cohort, as counted into the cohort's header and written in the
 * participant's row: status, group, enrolment date, expected and attended sessions, the last
 * session present ({@link #NO_SESSION} when none), the latest day of the person's own records
 * (enrolment and dated exits) and the row's as_of day.
 */
record Derived(int status, int sex, int band, int enrolledOn, int expected, int attended, int lastPresent,
               int ownDay, int asOfDay) {

    static final int NO_SESSION = Integer.MIN_VALUE;

    static final int ACTIVE = 0;
    static final int COMPLETED = 1;
    static final int DROPPED_OUT = 2;
    static final int TRANSFERRED = 3;
    static final List<String> STATUSES = List.of(StatusRule.ACTIVE, StatusRule.COMPLETED, StatusRule.DROPPED_OUT,
            StatusRule.TRANSFERRED);

    int group() {
        return Groups.group(sex, band);
    }

    boolean transferred() {
        return status == TRANSFERRED;
    }

    String statusName() {
        return STATUSES.get(status);
    }
}
