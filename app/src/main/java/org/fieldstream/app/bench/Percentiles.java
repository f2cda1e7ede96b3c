package org.fieldstream.app.bench;

import java.util.Arrays;

/** Nearest-rank percentiles of a sample (no interpolation: every reported value was observed). */
final class Percentiles {

    private Percentiles() {
    }

    /** The {@code p}-th percentile (0 < p <= 100) of {@code values}; NaN for an empty sample. */
    static double of(double[] values, double p) {
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
        }
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
