package org.fieldstream.seeds;

import java.util.Locale;

/**
 * Scale of a generated scenario, as a number of training cohorts (about 25 persons x 20 sessions,
 * so roughly 470 partner rows each, plus about one dialogue per cohort). Presets: tiny (3 cohorts,
 * unit tests), demo (8), small (40), medium (400), large (4,000: ~1.9 M rows), bench (40,000: ~19 M
 * rows). Expected metrics are computed only up to {@link #EXPECTED_LIMIT} cohorts, since they need
 * the whole final state in memory; the files themselves are written streaming at any size.
 */
public record Size(String name, int cohorts) {

    public static final int EXPECTED_LIMIT = 600;

    public static final Size TINY = new Size("tiny", 3);
    public static final Size DEMO = new Size("demo", 8);
    public static final Size SMALL = new Size("small", 40);
    public static final Size MEDIUM = new Size("medium", 400);
    public static final Size LARGE = new Size("large", 4_000);
    public static final Size BENCH = new Size("bench", 40_000);

    public Size {
        if (cohorts < 1) {
            throw new IllegalArgumentException("a scenario needs at least one cohort");
        }
    }

    /** A preset name or a number of cohorts. */
    public static Size parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "tiny" -> TINY;
            case "demo" -> DEMO;
            case "small" -> SMALL;
            case "medium" -> MEDIUM;
            case "large" -> LARGE;
            case "bench" -> BENCH;
            default -> new Size("cohorts-" + Integer.parseInt(text), Integer.parseInt(text));
        };
    }

    public boolean computesExpected() {
        return cohorts <= EXPECTED_LIMIT;
    }

    /**
     * Whether the scenario has the planted data-quality cohort ({@link QualityPlants}): from the demo's
     * size on; the tiny scenario of unit and pipeline tests stays without it.
     */
    boolean plantsQualityProblems() {
        return cohorts >= DEMO.cohorts();
    }

    /** Dialogues, consultations and meetings of partners other than the CoP organiser. */
    int communityDialogues() {
        return Math.max(3, cohorts);
    }

    /** Community of Practice sessions. */
    int copSessions() {
        return Math.max(2, cohorts / 8);
    }
}
