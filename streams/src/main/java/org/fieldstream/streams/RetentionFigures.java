package org.fieldstream.streams;

/**
 * The figures of a cohort retention row (the cohort's total or one sex x age band group): sessions
 * planned and held, then over the participants counted: enrolled (not transferred), by status, present
 * and expected session counts, and the row's as_of day.
 */
record RetentionFigures(int sessionsPlanned, int sessionsHeld, int enrolled, int active, int completed, int droppedOut, int transferred,
                        int presentTotal, int expectedTotal, int asOfDay) {

    /** The row of a grain whose participants' counts are {@code counts}. */
    static RetentionFigures of(int planned, int held, AggregateHeader.GroupCounts counts, int asOfDay) {
        return new RetentionFigures(planned, held, counts.enrolled, counts.active, counts.completed, counts.droppedOut,
                counts.transferred, counts.present, counts.expected, asOfDay);
    }

    double retentionRate() {
        return Rates.ratio(active + completed, enrolled);
    }

    double dropoutRate() {
        return Rates.ratio(droppedOut, enrolled);
    }

    double completionRate() {
        return Rates.ratio(completed, enrolled);
    }

    double attendanceRate() {
        return Rates.ratio(presentTotal, expectedTotal);
    }
}
