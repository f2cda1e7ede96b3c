package org.fieldstream.streams;

/** Rates of metric rows: a ratio of counts, 0 when there is nothing to divide by. */
final class Rates {

    private Rates() {
    }

    static double ratio(int numerator, int denominator) {
        return denominator == 0 ? 0.0 : (double) numerator / denominator;
    }
}
