package org.fieldstream.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The sex × age band cells of the outreach tables, in a reading order, with their headings. */
final class DashboardGroups {

    private static final List<String> SEXES = List.of("female", "male", "other", "unknown", "all");
    private static final List<String> BANDS = List.of("under_15", "youth_15_29", "adult_30_plus", "unknown", "all");
    private static final Map<String, String> BAND_LABELS = Map.of("under_15", "under 15", "youth_15_29", "15–29",
            "adult_30_plus", "30+", "unknown", "unknown", "all", "all ages");
    private static final Map<String, String> SEX_LABELS = Map.of("female", "Female", "male", "Male", "other", "Other",
            "unknown", "Sex unknown", "all", "All sexes");

    private DashboardGroups() {
    }

    /** The distinct {sex, age band} pairs of the rows: known sexes and bands in their order, others after them by name. */
    static List<String[]> cells(List<ReportRows.ReachByGroupRow> rows) {
        Comparator<String[]> order = Comparator.<String[], Integer>comparing(c -> rank(SEXES, c[0])).thenComparing(c -> c[0])
                .thenComparing(c -> rank(BANDS, c[1])).thenComparing(c -> c[1]);
        TreeSet<String[]> cells = new TreeSet<>(order);
        rows.forEach(row -> cells.add(new String[] {row.sex(), row.ageBand()}));
        return new ArrayList<>(cells);
    }

    /** Consecutive cells of the same sex: {sex, how many}. */
    static List<String[]> spans(List<String[]> cells) {
        List<String[]> spans = new ArrayList<>();
        for (String[] cell : cells) {
            if (!spans.isEmpty() && spans.get(spans.size() - 1)[0].equals(cell[0])) {
                String[] last = spans.get(spans.size() - 1);
                last[1] = String.valueOf(Integer.parseInt(last[1]) + 1);
            } else {
                spans.add(new String[] {cell[0], "1"});
            }
        }
        return spans;
    }

    static String sexLabel(String sex) {
        return SEX_LABELS.getOrDefault(sex, sex);
    }

    static String bandLabel(String band) {
        return BAND_LABELS.getOrDefault(band, band);
    }

    private static int rank(List<String> known, String value) {
        int index = known.indexOf(value);
        return index < 0 ? known.size() : index;
    }
}
