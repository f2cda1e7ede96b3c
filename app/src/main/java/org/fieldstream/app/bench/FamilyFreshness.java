package org.fieldstream.app.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Push-to-ClickHouse latencies per metric family, as {@link FamilyFreshnessProbe} measures them, and
 * their summary: p50 / p99 / max of the time until visible in ClickHouse, the same for the time until
 * the row is on its committed metric topic, and the share of the whole spent before that topic.
 */
final class FamilyFreshness {

    /** The metric families, each with the ClickHouse table the probe polls. */
    enum Family {
        PARTICIPANT_PROGRESS("participant progress", "participant_progress"),
        COHORT_RETENTION("cohort retention", "cohort_retention"),
        SURVIVAL_CURVE("survival curve", "retention_curve"),
        DIALOGUES("dialogues", "dialogues"),
        DIALOGUE_ATTENDANCE("dialogue attendance", "dialogue_attendance"),
        OUTREACH_MONTH("outreach month", "outreach"),
        OUTREACH_QUARTER("outreach quarter", "outreach"),
        OUTREACH_TO_DATE("outreach to date", "outreach");

        final String label;
        final String table;

        Family(String label, String table) {
            this.label = label;
            this.table = table;
        }
    }

    /** One probe's effect on one family: milliseconds from push to the committed topic and to ClickHouse (NaN: never). */
    record Sample(Family family, double onTopicMs, double visibleMs) {
    }

    /** A family's figures; NaN where there is no sample. */
    record Summary(Family family, int samples, int unseen, double p50, double p99, double max,
                   double onTopicP50, double onTopicP99, double shareBeforeTopic) {
    }

    private FamilyFreshness() {
    }

    /** Per family, in the order of {@link Family}: the families without any sample are left out. */
    static List<Summary> summarize(List<Sample> samples) {
        Map<Family, List<Sample>> byFamily = new EnumMap<>(Family.class);
        for (Sample s : samples) {
            byFamily.computeIfAbsent(s.family(), f -> new ArrayList<>()).add(s);
        }
        List<Summary> out = new ArrayList<>();
        byFamily.forEach((family, own) -> out.add(summary(family, own)));
        return out;
    }

    /**
     * Percentiles over the samples seen in ClickHouse; the share before the topic is the sum of the
     * times until the topic over the sum of the times until ClickHouse, both over the samples seen in
     * both places.
     */
    static Summary summary(Family family, List<Sample> own) {
        double[] visible = own.stream().mapToDouble(Sample::visibleMs).filter(v -> !Double.isNaN(v)).toArray();
        double[] onTopic = own.stream().mapToDouble(Sample::onTopicMs).filter(v -> !Double.isNaN(v)).toArray();
        double before = 0;
        double whole = 0;
        for (Sample s : own) {
            if (!Double.isNaN(s.onTopicMs()) && !Double.isNaN(s.visibleMs())) {
                before += Math.min(s.onTopicMs(), s.visibleMs());
                whole += s.visibleMs();
            }
        }
        return new Summary(family, own.size(), own.size() - visible.length, Percentiles.of(visible, 50),
                Percentiles.of(visible, 99), Percentiles.of(visible, 100), Percentiles.of(onTopic, 50),
                Percentiles.of(onTopic, 99), whole > 0 ? before / whole : Double.NaN);
    }

    /**
     * One aligned text table: a line per family, the idle figures beside the figures under load
     * (either list may lack a family: its cells stay empty).
     */
    static String table(List<Summary> idle, List<Summary> loaded, String loadedLabel) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("family", "idle p50 / p99 / max ms", "until topic p50 / p99", "share", "n",
                loadedLabel + " p50 / p99 / max ms", "until topic p50 / p99", "share", "n"));
        for (Family family : Family.values()) {
            Summary a = find(idle, family);
            Summary b = find(loaded, family);
            if (a == null && b == null) {
                continue;
            }
            List<String> row = new ArrayList<>(List.of(family.label));
            row.addAll(cells(a));
            row.addAll(cells(b));
            rows.add(row);
        }
        int[] widths = new int[rows.get(0).size()];
        for (List<String> row : rows) {
            for (int c = 0; c < row.size(); c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < rows.get(r).size(); c++) {
                String cell = rows.get(r).get(c);
                String pad = " ".repeat(widths[c] - cell.length());
                line.append(c == 0 ? "" : "  ").append(r > 0 && c > 0 ? pad + cell : cell + pad);
            }
            out.append(line.toString().stripTrailing()).append('\n');
            if (r == 0) {
                out.append("-".repeat(line.length())).append('\n');
            }
        }
        return out.toString();
    }

    private static Summary find(List<Summary> summaries, Family family) {
        return summaries.stream().filter(s -> s.family() == family).findFirst().orElse(null);
    }

    private static List<String> cells(Summary s) {
        if (s == null) {
            return List.of("", "", "", "");
        }
        String n = s.unseen() == 0 ? Integer.toString(s.samples())
                : String.format(Locale.ROOT, "%d (%d unseen)", s.samples(), s.unseen());
        return List.of(ms(s.p50()) + " / " + ms(s.p99()) + " / " + ms(s.max()), ms(s.onTopicP50()) + " / " + ms(s.onTopicP99()),
                Double.isNaN(s.shareBeforeTopic()) ? "n/a" : String.format(Locale.ROOT, "%.0f %%", 100 * s.shareBeforeTopic()), n);
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%,.0f", value);
    }
}
