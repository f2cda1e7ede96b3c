package org.fieldstream.reports;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.reports.ReportRows.ReachByGroupRow;
import org.fieldstream.reports.ReportRows.ReachRow;
import org.fieldstream.reports.ReportRows.ReachToDateRow;
import org.fieldstream.reports.ReportRows.TargetRow;

/**
 * People reached per month, quarter and to date for one dimension: the partner or district given,
 * else the program(s). Figures are the streams' exact distinct counts for each grain; they are
 * shown as they are and never summed across months or dimension ids.
 */
final class OutreachReport {

    private final ClickHouseGateway gateway;
    private final String db;

    static final String PER_MONTH = "People reached per month";
    static final String PER_QUARTER = "People reached per quarter";
    static final String PER_MONTH_BY_GROUP = "People reached per month by sex and age band";
    static final String PER_QUARTER_BY_GROUP = "People reached per quarter by sex and age band";
    static final String TO_DATE = "People reached to date";
    static final String TARGETS = "Targets vs actuals";
    private static final String BY_GROUP = "a person counts in one cell per period; a cell nobody is in has no row";

    OutreachReport(ClickHouseGateway gateway, String db) {
        this.gateway = gateway;
        this.db = db;
    }

    ReportOutput run(Filters filters) {
        List<String> grain = grain(filters);
        List<ReachRow> monthly = read(ReachRow.class, "outreach_monthly", totals(withMonths(grain, filters)), "");
        List<ReachRow> quarterly = read(ReachRow.class, "outreach_quarterly", totals(withQuarters(grain, filters)), "");
        List<ReachByGroupRow> monthlyGroups = read(ReachByGroupRow.class, "outreach_monthly", groups(withMonths(grain, filters)),
                ", sex, age_band");
        List<ReachByGroupRow> quarterlyGroups = read(ReachByGroupRow.class, "outreach_quarterly", groups(withQuarters(grain, filters)),
                ", sex, age_band");
        List<ReachToDateRow> toDate = read(ReachToDateRow.class, "outreach_to_date", totals(grain), "");
        List<TargetRow> targets = RowType.of(TargetRow.class).query(gateway, "dash_targets_vs_actuals",
                "FROM " + db + ".dash_targets_vs_actuals" + SqlText.where(grain) + " ORDER BY program_id, indicator, period, dimension_id");
        String period = filters.hasPeriod() ? "months " + ReportRequest.period(filters) : "";
        return new ReportOutput("Outreach", filters.describe(), List.of(
                ReportOutput.Section.of(PER_MONTH, period, ReachRow.class, monthly),
                ReportOutput.Section.of(PER_QUARTER, filters.hasPeriod() ? "quarters overlapping " + ReportRequest.period(filters) : "",
                        ReachRow.class, quarterly),
                ReportOutput.Section.of(PER_MONTH_BY_GROUP, BY_GROUP, ReachByGroupRow.class, monthlyGroups),
                ReportOutput.Section.of(PER_QUARTER_BY_GROUP, BY_GROUP, ReachByGroupRow.class, quarterlyGroups),
                ReportOutput.Section.of(TO_DATE, "whole program so far; --from/--to do not apply", ReachToDateRow.class, toDate),
                ReportOutput.Section.of(TARGETS, "", TargetRow.class, targets)),
                List.of(new ReportOutput.MonthlyReach("People reached per month", months(monthly), series(monthly))));
    }

    /** Rows of an outreach view for the conditions, ordered by program, dimension id and period. */
    private <R extends Record> List<R> read(Class<R> type, String view, List<String> conditions, String order) {
        RowType<R> rows = RowType.of(type);
        return rows.query(gateway, view, "FROM " + db + "." + view + SqlText.where(conditions)
                + " ORDER BY program_id, dimension_id" + (rows.names().contains("period") ? ", period" : "") + order);
    }

    /** dimension and dimension_id (and program) conditions for the chosen grain. */
    private static List<String> grain(Filters filters) {
        List<String> conditions = new ArrayList<>();
        if (filters.program() != null) {
            conditions.add(SqlText.equal("program_id", filters.program()));
        }
        if (filters.partner() != null) {
            conditions.add(SqlText.equal("dimension", "partner"));
            conditions.add(SqlText.equal("dimension_id", filters.partner()));
        } else if (filters.district() != null) {
            conditions.add(SqlText.equal("dimension", "district"));
            conditions.add(SqlText.equal("dimension_id", filters.district()));
        } else {
            conditions.add(SqlText.equal("dimension", "program"));
        }
        return conditions;
    }

    /** The outreach tables hold every sex × age band cell; the report shows the totals. */
    private static List<String> totals(List<String> grain) {
        List<String> conditions = new ArrayList<>(grain);
        conditions.add("sex = 'all'");
        conditions.add("age_band = 'all'");
        return conditions;
    }

    /** Every sex × age band cell except the total; a person sits in one cell of a grain, so cells add up to the total. */
    private static List<String> groups(List<String> conditions) {
        List<String> cells = new ArrayList<>(conditions);
        cells.add("NOT (sex = 'all' AND age_band = 'all')");
        return cells;
    }

    private static List<String> withMonths(List<String> grain, Filters filters) {
        List<String> conditions = new ArrayList<>(grain);
        if (filters.from() != null) {
            conditions.add(SqlText.onOrAfter("period_start", filters.from()));
        }
        if (filters.to() != null) {
            conditions.add(SqlText.onOrBefore("period_start", filters.to()));
        }
        return conditions;
    }

    private static List<String> withQuarters(List<String> grain, Filters filters) {
        List<String> conditions = new ArrayList<>(grain);
        if (filters.from() != null) {
            conditions.add(SqlText.onOrAfter("period_start", quarterStart(filters.from())));
        }
        if (filters.to() != null) {
            conditions.add(SqlText.onOrBefore("period_start", filters.to()));
        }
        return conditions;
    }

    static LocalDate quarterStart(LocalDate day) {
        return LocalDate.of(day.getYear(), (day.getMonthValue() - 1) / 3 * 3 + 1, 1);
    }

    /** Every month from the first to the last reached, so a month nobody was reached in shows as a gap. */
    static List<String> months(List<ReachRow> rows) {
        TreeSet<String> months = new TreeSet<>();
        rows.forEach(row -> months.add(row.period()));
        if (months.isEmpty()) {
            return List.of();
        }
        try {
            YearMonth last = YearMonth.parse(months.last());
            for (YearMonth month = YearMonth.parse(months.first()); month.isBefore(last); month = month.plusMonths(1)) {
                months.add(month.toString());
            }
        } catch (DateTimeParseException e) {
            // not yyyy-MM: the months as they are
        }
        return List.copyOf(months);
    }

    private static Map<String, Map<String, Long>> series(List<ReachRow> rows) {
        Map<String, Map<String, Long>> series = new TreeMap<>();
        for (ReachRow row : rows) {
            series.computeIfAbsent(row.dimensionId(), k -> new LinkedHashMap<>()).put(row.period(), row.peopleReached());
        }
        return series;
    }
}
