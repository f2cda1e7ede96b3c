package org.fieldstream.reports;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.fieldstream.clickhouse.ClickHouseGateway;

/**
 * The Indicator Performance Tracking Table of one program's fiscal year, from {@code v_targets},
 * {@code v_programs}, {@code actuals_by_period} and {@code actuals_by_breakdown} (program dimension):
 * one row per indicator with its baseline, life-of-program target and actual to date, the fiscal
 * year's target, actual and share achieved, the actual of each fiscal quarter, a deviation flag where
 * the year's actual lies further than the program's {@code deviation_threshold} from its target, and an
 * empty column for the officer's narrative; under each indicator its disaggregation rows (same
 * indicator, a disaggregation and a category: by sex and by age band, dialogues by kind), with
 * {@value #DNA} (disaggregates not available, figures empty) where the records cannot give that
 * breakdown. Every actual is exact (people reached are distinct persons of the period, also per sex
 * and age band); a count with no record in a period is 0. Retention and dropout rates are shares of
 * the persons enrolled in the cohorts that started in the period, empty where none did; their targets
 * and baselines are fractions, shown as percentages like the rates. Targets not given stay empty.
 */
final class IpttReport {

    static final List<String> INDICATORS = List.of("people_reached", "new_people_reached", "enrolled", "completed", "dropped_out",
            "retention_rate", "dropout_rate", "dialogues_held", "dialogue_attendance");
    static final List<String> HEADER = List.of("indicator", "disaggregation", "category", "baseline", "lop_target", "lop_actual",
            "fy_target", "fy_actual", "fy_achieved", "q1_actual", "q2_actual", "q3_actual", "q4_actual", "deviation",
            "deviation_narrative");
    /** Sexes and age bands of the metric definitions, each with its unknown. */
    static final List<String> SEXES = List.of("female", "male", "other", "unknown");
    static final List<String> AGE_BANDS = List.of("under_15", "youth_15_29", "adult_30_plus", "unknown");
    static final String SEX = "sex";
    static final String AGE_BAND = "age_band";
    static final String KIND = "kind";
    /** Disaggregates not available: the records of the indicator cannot give this breakdown. */
    static final String DNA = "DNA";

    /** Counts by sex and by age band, from the persons they count. */
    private static final List<String> PERSON_COUNTS = List.of("people_reached", "new_people_reached", "enrolled", "completed", "dropped_out");
    /** Rate indicators: numerator over the persons enrolled in the cohorts that started in the period ({@code actuals_by_breakdown}). */
    private static final Map<String, String> RATE_NUMERATORS = Map.of("retention_rate", "cohort_retained", "dropout_rate", "cohort_dropped_out");
    private static final String RATE_DENOMINATOR = "cohort_enrolled";

    /**
     * One row: an indicator's (disaggregation and category empty) or one of its disaggregation rows
     * (no target, baseline or flag). Figures are null where no target or baseline is given and on a
     * {@value #DNA} row; {@code share} rows (rates) hold shares, shown as percentages.
     */
    record Row(String indicator, String disaggregation, String category, boolean share, Double baseline, Double lopTarget,
               Double lopActual, Double fyTarget, Double fyActual, Double fyAchieved, Double[] quarters, String deviation) {

        /** The indicator's own row, the one targets name. */
        boolean isIndicator() {
            return disaggregation.isEmpty();
        }

        List<String> cells() {
            List<String> cells = new ArrayList<>(List.of(indicator, disaggregation, category, figure(baseline), figure(lopTarget),
                    figure(lopActual), figure(fyTarget), figure(fyActual), percent(fyAchieved)));
            for (Double q : quarters) {
                cells.add(figure(q));
            }
            cells.add(deviation);
            cells.add("");
            return cells;
        }

        private String figure(Double value) {
            return share ? percent(value) : number(value);
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

    /** The program's fiscal year start and deviation threshold ({@code v_programs}). */
    Program program(String program) {
        List<Map<String, String>> settings = gateway.query("SELECT toString(fiscal_year_start_month) AS start, toString(deviation_threshold)"
                + " AS threshold FROM " + db + ".v_programs WHERE " + SqlText.equal("program_id", program));
        if (settings.isEmpty()) {
            throw new ReportError("unknown program " + Filters.shown(program));
        }
        return new Program(Integer.parseInt(settings.get(0).get("start")), Double.parseDouble(settings.get(0).get("threshold")));
    }

    /**
     * The fiscal years (by the year they end in) that have a program target or an actual of the program
     * in {@code actuals_by_period}, from the latest.
     */
    List<Integer> fiscalYears(String program) {
        TreeSet<Integer> years = new TreeSet<>(Comparator.reverseOrder());
        String where = " WHERE " + SqlText.equal("program_id", program) + " AND dimension = 'program' AND startsWith(period, 'FY')";
        for (String view : List.of("v_targets", "actuals_by_period")) {
            for (Map<String, String> row : gateway.query("SELECT DISTINCT period FROM " + db + "." + view + where)) {
                String period = row.get("period");
                if (period.matches("FY[0-9]{4}(-Q[1-4])?")) {
                    years.add(Integer.parseInt(period.substring(2, 6)));
                }
            }
        }
        return List.copyOf(years);
    }

    /** The fiscal year (named by the year it ends in) that holds {@code day} when fiscal years start in {@code startMonth}. */
    static int fiscalYearOf(LocalDate day, int startMonth) {
        return day.plusMonths((13 - startMonth) % 12).getYear();
    }

    List<Row> rows(String program, int fiscalYear) {
        return rows(program, fiscalYear, 0);
    }

    /**
     * The year's rows; with {@code k} above 0 (a publication), a rate whose persons retained (or
     * dropped out), enrolled, or the difference of the two are 1 to k - 1 is {@link Double#NaN}:
     * {@link IpttPublication} shows it hidden.
     */
    List<Row> rows(String program, int fiscalYear, int k) {
        Program p = program(program);
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
        Map<String, Double> broken = new HashMap<>();
        Set<String> kinds = new TreeSet<>();
        for (Map<String, String> a : gateway.query("SELECT indicator, breakdown, category, period, toString(actual) AS actual FROM " + db
                + ".actuals_by_breakdown" + scope)) {
            broken.put(a.get("indicator") + "|" + a.get("breakdown") + "|" + a.get("category") + "|" + a.get("period"),
                    Double.parseDouble(a.get("actual")));
            if (KIND.equals(a.get("breakdown"))) {
                kinds.add(a.get("category"));
            }
        }
        List<Row> rows = new ArrayList<>();
        for (String indicator : INDICATORS) {
            Map<String, String> lop = targets.get(indicator + "|all");
            Map<String, String> year = targets.get(indicator + "|" + fy);
            String numerator = RATE_NUMERATORS.get(indicator);
            boolean share = numerator != null;
            Function<String, Double> total = share ? period -> rate(broken, numerator, "all", "all", period, k)
                    : "dialogue_attendance".equals(indicator) ? period -> broken.getOrDefault(indicator + "|all|all|" + period, 0.0)
                    : period -> actuals.getOrDefault(indicator + "|" + period, 0.0);
            Double fyActual = total.apply(fy);
            Double fyTarget = year == null ? null : Double.valueOf(year.get("target"));
            String baselineText = lop != null && !lop.get("baseline").isEmpty() ? lop.get("baseline")
                    : year != null && !year.get("baseline").isEmpty() ? year.get("baseline") : null;
            rows.add(new Row(indicator, "", "", share, baselineText == null ? null : Double.valueOf(baselineText),
                    lop == null ? null : Double.valueOf(lop.get("target")), total.apply("all"), fyTarget, fyActual,
                    fyTarget == null || fyTarget == 0 || fyActual == null ? null : fyActual / fyTarget, quarters(fy, total),
                    fyActual == null ? "" : deviation(fyTarget, fyActual, p.deviationThreshold())));
            if (indicator.equals("dialogues_held")) {
                for (String kind : kinds) {
                    rows.add(subRow(indicator, KIND, kind, false, fy,
                            period -> broken.getOrDefault(indicator + "|" + KIND + "|" + kind + "|" + period, 0.0)));
                }
            }
            for (String breakdown : List.of(SEX, AGE_BAND)) {
                if (!available(indicator, breakdown)) {
                    rows.add(subRow(indicator, breakdown, DNA, share, fy, period -> null));
                    continue;
                }
                for (String category : breakdown.equals(SEX) ? SEXES : AGE_BANDS) {
                    rows.add(subRow(indicator, breakdown, category, share, fy, share
                            ? period -> rate(broken, numerator, breakdown, category, period, k)
                            : period -> broken.getOrDefault(indicator + "|" + breakdown + "|" + category + "|" + period, 0.0)));
                }
            }
        }
        return rows;
    }

    /**
     * The row groups of a year's rows for {@link IpttPublication}: each indicator's rows by sex, by age
     * band and by kind, each group with the indicator's row they break down (the publication uses a
     * group where its figures add up). DNA rows and rates are in none.
     */
    static List<IpttPublication.RowGroup> rowGroups(List<Row> rows) {
        List<IpttPublication.RowGroup> groups = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row total = rows.get(i);
            if (!total.isIndicator() || total.share()) {
                continue;
            }
            Map<String, List<Integer>> parts = new java.util.LinkedHashMap<>();
            for (int j = i + 1; j < rows.size() && !rows.get(j).isIndicator(); j++) {
                Row part = rows.get(j);
                if (!part.share() && part.lopActual() != null) {
                    parts.computeIfAbsent(part.disaggregation(), d -> new ArrayList<>()).add(j);
                }
            }
            int indicatorRow = i;
            parts.values().forEach(group -> groups.add(new IpttPublication.RowGroup(indicatorRow, group)));
        }
        return List.copyOf(groups);
    }

    /**
     * Whether the records of an indicator give the breakdown: counts of persons and rates over persons
     * by sex and by age band; dialogue attendance by sex only (dialogue rows count attendees by sex and
     * hold no age); dialogues held neither (a dialogue has no sex or age).
     */
    static boolean available(String indicator, String breakdown) {
        return PERSON_COUNTS.contains(indicator) || RATE_NUMERATORS.containsKey(indicator)
                || indicator.equals("dialogue_attendance") && breakdown.equals(SEX);
    }

    private static Row subRow(String indicator, String disaggregation, String category, boolean share, String fy,
                              Function<String, Double> actual) {
        return new Row(indicator, disaggregation, category, share, null, null, actual.apply("all"), null, actual.apply(fy), null,
                quarters(fy, actual), "");
    }

    private static Double[] quarters(String fy, Function<String, Double> actual) {
        Double[] quarters = new Double[4];
        for (int q = 0; q < 4; q++) {
            quarters[q] = actual.apply(fy + "-Q" + (q + 1));
        }
        return quarters;
    }

    /** A cohort figure over the persons enrolled in the cohorts that started in the period; null where none did. */
    private static Double rate(Map<String, Double> broken, String numerator, String breakdown, String category, String period, int k) {
        String cell = "|" + breakdown + "|" + category + "|" + period;
        double enrolled = broken.getOrDefault(RATE_DENOMINATOR + cell, 0.0);
        double counted = broken.getOrDefault(numerator + cell, 0.0);
        if (enrolled == 0) {
            return null;
        }
        return small(counted, k) || small(enrolled, k) || small(enrolled - counted, k) ? Double.NaN : counted / enrolled;
    }

    private static boolean small(double persons, int k) {
        return persons > 0 && persons < k;
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

    private static String percent(Double share) {
        return share == null ? "" : String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    private static String number(Double value) {
        if (value == null) {
            return "";
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString(value.longValue()) : value.toString();
    }
}
