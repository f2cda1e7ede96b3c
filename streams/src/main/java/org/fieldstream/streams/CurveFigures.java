package org.fieldstream.streams;

/**
 * The figures of a survival point at one held session of a grain: the session's date, the grain's
 * enrolled (as its retention row counts them), those whose last presence is at this session or later,
 * and the as_of day of the grain's retention row.
 */
record CurveFigures(int heldOnDay, int enrolled, int surviving, int asOfDay) {

    double survivalRate() {
        return Rates.ratio(surviving, enrolled);
    }
}
