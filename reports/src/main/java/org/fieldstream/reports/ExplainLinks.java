package org.fieldstream.reports;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The link from a dashboard figure to its explanation ({@code /explain?...}, {@link ExplainPage}): a
 * short relative URL with the parameters of {@code fieldstream explain} (its options without the
 * dashes, {@code figure} for its FIGURE). Which cells link: the counts of persons of a cohort
 * (enrolled, active, completed, dropped_out, transferred: the cohort list, a cohort's figures and its
 * participants by status), a survival point (present then or later), an outreach cell (people reached
 * and newly reached per month, quarter and to date, and each sex × age band cell) and a target's
 * actual. A 0 counts nobody and is shown without a link; so is a figure with no explanation (sums over
 * cohorts, rates).
 */
final class ExplainLinks {

    static final String PATH = "/explain";
    static final List<String> COHORT_FIGURES = List.of("enrolled", "active", "completed", "dropped_out", "transferred");
    private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");
    private static final Pattern QUARTER = Pattern.compile("\\d{4}-Q[1-4]");
    private static final Pattern YEAR = Pattern.compile("\\d{4}");
    private static final Pattern FISCAL_YEAR = Pattern.compile("FY\\d{4}");
    private static final Pattern FISCAL_QUARTER = Pattern.compile("FY\\d{4}-Q[1-4]");

    private ExplainLinks() {
    }

    /** A cohort figure: enrolled, active, completed, dropped_out or transferred. */
    static String cohort(String program, String partner, String cohort, String figure) {
        return href(ordered("program", program, "partner", partner, "cohort", cohort, "figure", figure));
    }

    /** The persons of a cohort (all sexes and age bands) surviving at held session {@code session}. */
    static String survival(String program, String partner, String cohort, String session) {
        return href(ordered("program", program, "partner", partner, "cohort", cohort, "session", session, "figure", ExplainCommand.SURVIVAL));
    }

    /** An outreach cell; {@code period} as its table names it (2026-03, 2026-Q1, 2026, FY2026, FY2026-Q1, all), sex and age band 'all' for every one. */
    static String reach(String program, String dimension, String dimensionId, String period, String sex, String ageBand, String figure) {
        Map<String, String> query = place(program, dimension, dimensionId);
        query.putAll(period(period));
        if (!"all".equals(sex)) {
            query.put("sex", sex);
        }
        if (!"all".equals(ageBand)) {
            query.put("age-band", ageBand);
        }
        query.put("figure", figure);
        return href(query);
    }

    /** A target's actual. */
    static String actual(String program, String indicator, String period, String dimension, String dimensionId) {
        Map<String, String> query = place(program, dimension, dimensionId);
        query.putAll(period(period));
        query.put("indicator", indicator);
        query.put("figure", ExplainCommand.ACTUAL);
        return href(query);
    }

    /** A dialogue's attendance. */
    static String attendance(String program, String partner, String dialogue) {
        return href(ordered("program", program, "partner", partner, "dialogue", dialogue, "figure", ExplainCommand.ATTENDANCE));
    }

    /**
     * The explanation of a cell of one of the dashboard's tables ({@code table} its data-section), or
     * null when the cell is no count of persons with an explanation, or is 0.
     */
    static String of(String table, String column, Map<String, String> row) {
        String value = row.get(column);
        if (value == null || value.isEmpty() || zero(value)) {
            return null;
        }
        return switch (table) {
            case DashboardListing.COHORTS, "cohort" -> COHORT_FIGURES.contains(column)
                    ? cohort(row.get("program_id"), row.get("partner_id"), row.get("cohort_id"), column) : null;
            case "survival-points", "cohort-sessions" -> "surviving".equals(column)
                    ? survival(row.get("program_id"), row.get("partner_id"), row.get("cohort_id"), row.get("session_number")) : null;
            case "reached-per-month", "reached-per-quarter" -> reachCell(column, row, row.get("period"));
            case "reached-to-date" -> reachCell(column, row, "all");
            case "targets-vs-actuals" -> "actual".equals(column) && ActualExplanation.INDICATORS.contains(row.get("indicator"))
                    && !period(row.get("period")).isEmpty()
                    ? actual(row.get("program_id"), row.get("indicator"), row.get("period"), row.get("dimension"), row.get("dimension_id")) : null;
            default -> null;
        };
    }

    /** The explanation of a cell of a cohort's participants by status ({@link CohortPage}): the status's persons, or null. */
    static String ofStatus(CohortPage.Key key, String column, Map<String, String> row) {
        String value = row.get(column);
        if (!"persons".equals(column) || value == null || value.isEmpty() || zero(value) || !COHORT_FIGURES.contains(row.get("status"))) {
            return null;
        }
        return cohort(key.program(), key.partner(), key.cohort(), row.get("status"));
    }

    private static String reachCell(String column, Map<String, String> row, String period) {
        if (ExplainCommand.REACHED.equals(column) || ExplainCommand.NEW_REACHED.equals(column)) {
            return reach(row.get("program_id"), row.get("dimension"), row.get("dimension_id"), period, "all", "all", column);
        }
        int slash = column.indexOf('/');
        if (slash > 0) {
            return reach(row.get("program_id"), row.get("dimension"), row.get("dimension_id"), period, column.substring(0, slash),
                    column.substring(slash + 1), ExplainCommand.REACHED);
        }
        return null;
    }

    /** The place parameters of a cell: the program's, or a partner's, district's or upazila's. */
    private static Map<String, String> place(String program, String dimension, String dimensionId) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("program", program);
        if (List.of("partner", "district", "upazila").contains(dimension)) {
            query.put(dimension, dimensionId);
        }
        return query;
    }

    /** The period parameter of a period as the views name it; empty for a form the explanation does not take. */
    static Map<String, String> period(String period) {
        if (period == null) {
            return Map.of();
        }
        if ("all".equals(period)) {
            return Map.of("to-date", "1");
        }
        if (MONTH.matcher(period).matches()) {
            return Map.of("period", period);
        }
        if (QUARTER.matcher(period).matches()) {
            return Map.of("quarter", period);
        }
        if (YEAR.matcher(period).matches()) {
            return Map.of("year", period);
        }
        if (FISCAL_YEAR.matcher(period).matches()) {
            return Map.of("fiscal-year", period);
        }
        if (FISCAL_QUARTER.matcher(period).matches()) {
            return Map.of("fiscal-quarter", period);
        }
        return Map.of();
    }

    private static boolean zero(String value) {
        try {
            return Double.parseDouble(value) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> query = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            query.put(pairs[i], pairs[i + 1]);
        }
        return query;
    }

    /** {@code /explain?name=value&...}, each value encoded. */
    static String href(Map<String, String> query) {
        StringBuilder out = new StringBuilder(PATH);
        query.forEach((name, value) -> out.append(out.length() == PATH.length() ? '?' : '&').append(name).append('=')
                .append(URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8)));
        return out.toString();
    }
}
