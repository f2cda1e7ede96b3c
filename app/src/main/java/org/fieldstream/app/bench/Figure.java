package org.fieldstream.app.bench;

/**
 * One measured figure of a benchmark run. {@code baseline} is NaN when the figure has none;
 * {@code target} is a readable condition ("ratio >= 0.33", "< 1000 ms") and {@code met} is null when
 * the figure has no target.
 */
record Figure(String name, double value, String unit, String baselineName, double baseline, String target, Boolean met) {

    static Figure plain(String name, double value, String unit) {
        return new Figure(name, value, unit, "", Double.NaN, "", null);
    }

    double ratio() {
        return Double.isNaN(baseline) || baseline == 0 ? Double.NaN : value / baseline;
    }
}
