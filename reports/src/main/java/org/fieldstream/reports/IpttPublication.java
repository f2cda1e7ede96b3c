package org.fieldstream.reports;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The IPTT as published ({@code report iptt --publish}): small-cell suppression ({@link SmallCells})
 * of the actuals of people (every indicator but {@code dialogues_held}) over every sum a reader finds
 * in the table: a row's four quarters and its fiscal year, the fiscal years of the workbook and the
 * life-of-program actual (one figure on every sheet), and each {@link RowGroup}, rows that break a
 * row down (by sex, by age band: any rows whose figures add up to another row's), column by column.
 * A sum is used when the figures add up (distinct persons of several quarters need not). Targets and
 * baselines are plans and stay shown; a share achieved and a deviation flag are hidden with the
 * actual they come from.
 */
final class IpttPublication {

    /** The actual columns of a row, as {@link IpttReport#HEADER} names them. */
    static final List<String> ACTUALS = List.of("lop_actual", "fy_actual", "q1_actual", "q2_actual", "q3_actual", "q4_actual");

    /** Rows {@code parts} (indexes in a year's rows) add up to row {@code total}, in every actual column. */
    record RowGroup(int total, List<Integer> parts) {
        RowGroup {
            parts = List.copyOf(parts);
        }
    }

    private final int k;
    private final Map<Integer, List<Set<String>>> hidden;

    private IpttPublication(int k, Map<Integer, List<Set<String>>> hidden) {
        this.k = k;
        this.hidden = hidden;
    }

    int k() {
        return k;
    }

    /** The rows of {@code years} (fiscal year to its rows, rows in the same order each year) published at {@code k}. */
    static IpttPublication of(Map<Integer, List<IpttReport.Row>> years, int k) {
        SmallCells.Cells cells = new SmallCells.Cells();
        Map<Integer, List<Map<String, Integer>>> ids = new LinkedHashMap<>();
        Map<String, Integer> lop = new LinkedHashMap<>();
        Map<String, List<Integer>> fyOfRow = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<IpttReport.Row>> year : years.entrySet()) {
            List<Map<String, Integer>> rows = new ArrayList<>();
            List<IpttReport.Row> list = year.getValue();
            for (int i = 0; i < list.size(); i++) {
                IpttReport.Row row = list.get(i);
                Map<String, Integer> of = new LinkedHashMap<>();
                if (countsPeople(row)) {
                    String rowKey = i + "|" + row.indicator();
                    if (!lop.containsKey(rowKey) || cells.count(lop.get(rowKey)) != Math.round(row.lopActual())) {
                        lop.put(rowKey, cells.add(Math.round(row.lopActual())));
                    }
                    of.put("lop_actual", lop.get(rowKey));
                    of.put("fy_actual", cells.add(Math.round(row.fyActual())));
                    for (int q = 0; q < 4; q++) {
                        of.put(ACTUALS.get(2 + q), cells.add(Math.round(row.quarters()[q])));
                    }
                    List<Integer> quarters = ACTUALS.subList(2, 6).stream().map(of::get).toList();
                    if (cells.addsUp(of.get("fy_actual"), quarters)) {
                        cells.sum(of.get("fy_actual"), quarters);
                    }
                    fyOfRow.computeIfAbsent(rowKey, r -> new ArrayList<>()).add(of.get("fy_actual"));
                }
                rows.add(of);
            }
            for (RowGroup group : IpttReport.rowGroups(list)) {
                for (String column : ACTUALS) {
                    Integer total = rows.get(group.total()).get(column);
                    List<Integer> parts = group.parts().stream().map(p -> rows.get(p).get(column)).toList();
                    if (total != null && !parts.contains(null) && cells.addsUp(total, parts)) {
                        cells.sum(total, parts);
                    }
                }
            }
            ids.put(year.getKey(), rows);
        }
        fyOfRow.forEach((rowKey, fys) -> {
            if (years.size() > 1 && cells.addsUp(lop.get(rowKey), fys)) {
                cells.sum(lop.get(rowKey), fys);
            }
        });
        SmallCells.Published published = cells.suppress(k);
        Map<Integer, List<Set<String>>> hidden = new LinkedHashMap<>();
        ids.forEach((year, rows) -> {
            List<Set<String>> out = new ArrayList<>();
            for (Map<String, Integer> of : rows) {
                Set<String> h = new HashSet<>();
                of.forEach((column, id) -> {
                    if (published.isHidden(id)) {
                        h.add(column);
                    }
                });
                IpttReport.Row row = years.get(year).get(out.size());
                if (row.share()) {
                    rateCellsHidden(row, h);
                }
                if (h.contains("fy_actual")) {
                    h.add("fy_achieved");
                    h.add("deviation");
                }
                if (h.contains("lop_actual")) {
                    h.add("lop_achieved");
                }
                out.add(h);
            }
            hidden.put(year, out);
        });
        return new IpttPublication(k, hidden);
    }

    /** A rate over 1 to k - 1 persons ({@link IpttReport#rows(String, int, int)} made it NaN) is hidden. */
    private static void rateCellsHidden(IpttReport.Row rate, Set<String> hidden) {
        Double[] actuals = {rate.lopActual(), rate.fyActual(), rate.quarters()[0], rate.quarters()[1], rate.quarters()[2], rate.quarters()[3]};
        for (int c = 0; c < actuals.length; c++) {
            if (actuals[c] != null && actuals[c].isNaN()) {
                hidden.add(ACTUALS.get(c));
            }
        }
    }

    /** True for an indicator that counts people (every one but dialogues held: a meeting count names nobody). */
    static boolean countsPeople(IpttReport.Row row) {
        return !row.indicator().equals("dialogues_held") && !row.share() && row.lopActual() != null;
    }

    /** True when the column of the year's row is hidden. */
    boolean hidden(int fiscalYear, int row, String column) {
        return hidden.getOrDefault(fiscalYear, List.of()).size() > row && hidden.get(fiscalYear).get(row).contains(column);
    }

    /** What a hidden cell of the column shows: the marker for a count, {@link PublishedReport#RATE_HIDDEN} for a share or flag. */
    String shown(String column) {
        return column.endsWith("_actual") ? SmallCells.marker(k) : PublishedReport.RATE_HIDDEN;
    }

    /** What a hidden cell of the column shows in a row of counts or, {@code share}, of a rate (always {@link PublishedReport#RATE_HIDDEN}). */
    String shown(String column, boolean share) {
        return share ? PublishedReport.RATE_HIDDEN : shown(column);
    }

    /** The row's cells ({@link IpttReport.Row#cells}) with its hidden ones shown as such. */
    List<String> cells(int fiscalYear, int row, IpttReport.Row r) {
        List<String> cells = new ArrayList<>(r.cells());
        for (int c = 0; c < IpttReport.HEADER.size(); c++) {
            if (hidden(fiscalYear, row, IpttReport.HEADER.get(c))) {
                cells.set(c, shown(IpttReport.HEADER.get(c), r.share()));
            }
        }
        return cells;
    }
}
