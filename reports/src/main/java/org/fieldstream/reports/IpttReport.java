package org.fieldstream.reports;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fieldstream.clickhouse.ClickHouseGateway;

/**
 * The Indicator Performance Tracking Table of one program's fiscal year, from {@code v_targets},
 * {@code v_programs} and {@code actuals_by_period} (program dimension): one row per indicator with
 * its baseline, life-of-program target and actual to date, the fiscal year's target, actual and
 * share achieved, the actual of each fiscal quarter, a deviation flag where the year's actual lies
 * further than the program's {@code deviation_threshold} from its target, and an empty column for the
 * officer's narrative. Every actual is exact (people reached are distinct persons of the period); an
 * indicator with no record in a period has the actual 0. Targets not given stay empty.
 */
final class IpttReport {

    static final List<String> INDICATORS = List.of("people_reached", "new_people_reached", "enrolled", "completed", "dropped_out",
            "dialogues_held");
    static final List<String> HEADER = List.of("indicator", "baseline", "lop_target", "lop_actual", "fy_target", "fy_actual",
            "fy_achieved", "q1_actual", "q2_actual", "q3_actual", "q4_actual", "deviation", "deviation_narrative");

    /** One indicator's row; null where no target or baseline is given. */
    record Row(String indicator, Double baseline, Double lopTarget, double lopActual, Double fyTarget, double fyActual,
               Double fyAchieved, double[] quarters, String deviation) {

        List<String> cells() {
            List<String> cells = new ArrayList<>(List.of(indicator, number(baseline), number(lopTarget), number(lopActual),
                    number(fyTarget), number(fyActual), fyAchieved == null ? "" : String.format(java.util.Locale.ROOT, "%.1f%%", fyAchieved * 100)));
            for (double q : quarters) {
                cells.add(number(q));
            }
            cells.add(deviation);
            cells.add("");
            return cells;
        }
    }

    /** The program's reporting settings. */
    record Program(int fiscalStartMonth, double deviationThreshold) {
    }

    private final ClickHouseGateway gateway;
    private final String db;

    IpttReport(ClickHouseGateway gateway, String db) {
        this.gateway = gateway;
        this.db = db;
    }

    /** The program's name as its partner gave it in {@code programs.csv}. */
    String name(String program) {
        List<Map<String, String>> named = gateway.query("SELECT name FROM " + db + ".v_programs WHERE " + SqlText.equal("program_id", program));
        if (named.isEmpty()) {
            throw new ReportError("unknown program " + Filters.shown(program));
        }
        return named.get(0).get("name");
    }

    List<Row> rows(String program, int fiscalYear) {
        List<Map<String, String>> settings = gateway.query("SELECT toString(fiscal_year_start_month) AS start, toString(deviation_threshold)"
                + " AS threshold FROM " + db + ".v_programs WHERE " + SqlText.equal("program_id", program));
        if (settings.isEmpty()) {
            throw new ReportError("unknown program " + Filters.shown(program));
        }
        Program p = new Program(Integer.parseInt(settings.get(0).get("start")), Double.parseDouble(settings.get(0).get("threshold")));
        String fy = "FY" + fiscalYear;
        List<String> periods = List.of("all", fy, fy + "-Q1", fy + "-Q2", fy + "-Q3", fy + "-Q4");
        String inPeriods = "period IN (" + String.join(", ", periods.stream().map(SqlText::literal).toList()) + ")";
        String scope = " WHERE " + SqlText.equal("program_id", program) + " AND dimension = 'program' AND " + inPeriods;
        Map<String, Map<String, String>> targets = new HashMap<>();
        for (Map<String, String> t : gateway.query("SELECT indicator, period, toString(target) AS target,"
                + " ifNull(toString(baseline), '') AS baseline FROM " + db + ".v_targets" + scope)) {
            targets.put(t.get("indicator") + "|" + t.get("period"), t);
        }
        Map<String, Double> actuals = new HashMap<>();
        for (Map<String, String> a : gateway.query("SELECT indicator, period, toString(actual) AS actual FROM " + db
                + ".actuals_by_period" + scope)) {
            actuals.put(a.get("indicator") + "|" + a.get("period"), Double.parseDouble(a.get("actual")));
        }
        List<Row> rows = new ArrayList<>();
        for (String indicator : INDICATORS) {
            Map<String, String> lop = targets.get(indicator + "|all");
            Map<String, String> year = targets.get(indicator + "|" + fy);
            double fyActual = actuals.getOrDefault(indicator + "|" + fy, 0.0);
            Double fyTarget = year == null ? null : Double.valueOf(year.get("target"));
            String baselineText = lop != null && !lop.get("baseline").isEmpty() ? lop.get("baseline")
                    : year != null && !year.get("baseline").isEmpty() ? year.get("baseline") : null;
            double[] quarters = new double[4];
            for (int q = 0; q < 4; q++) {
                quarters[q] = actuals.getOrDefault(indicator + "|" + fy + "-Q" + (q + 1), 0.0);
            }
            rows.add(new Row(indicator, baselineText == null ? null : Double.valueOf(baselineText),
                    lop == null ? null : Double.valueOf(lop.get("target")), actuals.getOrDefault(indicator + "|all", 0.0),
                    fyTarget, fyActual, fyTarget == null || fyTarget == 0 ? null : fyActual / fyTarget, quarters,
                    deviation(fyTarget, fyActual, p.deviationThreshold())));
        }
        return rows;
    }

    /**
     * The row groups of a year's rows for {@link IpttPublication}: rows that break one row down (by
     * sex, by age band), each group with the row it adds up to. Every row today is its own indicator's
     * total, so there are none; a breakdown row names its group here and is then suppressed with it.
     */
    static List<IpttPublication.RowGroup> rowGroups(List<Row> rows) {
        return List.of();
    }

    /** "below target" / "above target" when the actual lies further than threshold x target from it; "" otherwise or without a target. */
    static String deviation(Double target, double actual, double threshold) {
        if (target == null) {
            return "";
        }
        double allowed = threshold * target;
        if (actual < target - allowed - 1e-9) {
            return "below target";
        }
        return actual > target + allowed + 1e-9 ? "above target" : "";
    }

    /** The table as CSV: UTF-8 byte order mark, header, CRLF lines, every text cell formula-safe ({@link CsvTable#field}). */
    static String csv(List<Row> rows) {
        return csv(rows, 0, null);
    }

    /** The table of {@code fiscalYear} as CSV, published (small cells hidden, the note as the last line) unless {@code published} is null. */
    static String csv(List<Row> rows, int fiscalYear, IpttPublication published) {
        StringBuilder csv = new StringBuilder(CsvTable.BOM);
        CsvTable.line(csv, HEADER);
        for (int i = 0; i < rows.size(); i++) {
            CsvTable.line(csv, published == null ? rows.get(i).cells() : published.cells(fiscalYear, i, rows.get(i)));
        }
        if (published != null) {
            CsvTable.line(csv, List.of(SmallCells.note(published.k())));
        }
        return csv.toString();
    }

    private static String number(Double value) {
        if (value == null) {
            return "";
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString(value.longValue()) : value.toString();
    }
}
