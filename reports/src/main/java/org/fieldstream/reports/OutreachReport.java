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

/**
 * People reached per month, quarter and to date for one dimension: the partner or district given,
 * else the program(s). Figures are the streams' exact distinct counts for each grain; they are
 * shown as they are and never summed across months or dimension ids.
 */
final class OutreachReport {

    private final ClickHouseGateway gateway;
    private final String db;

    private static final String BY_GROUP = "a person counts in one cell per period; a cell nobody is in has no row";

    OutreachReport(ClickHouseGateway gateway, String db) {
        this.gateway = gateway;
        this.db = db;
    }

    ReportOutput run(Filters filters) {
        List<String> grain = grain(filters);
        List<Map<String, String>> monthly = gateway.query("""
                SELECT program_id, dimension, dimension_id, month, people_reached, new_people_reached
                FROM %s.dash_people_reached_by_month%s
                ORDER BY program_id, dimension_id, month""".formatted(db, SqlText.where(withMonths(grain, filters))));
        List<Map<String, String>> quarterly = gateway.query("""
                SELECT program_id, dimension, dimension_id, period AS quarter, people_reached, new_people_reached
                FROM %s.outreach_quarterly%s
                ORDER BY program_id, dimension_id, quarter""".formatted(db, SqlText.where(withQuarters(totals(grain), filters))));
        List<Map<String, String>> monthlyGroups = gateway.query("""
                SELECT program_id, dimension, dimension_id, period AS month, sex, age_band, people_reached, new_people_reached
                FROM %s.outreach_monthly%s
                ORDER BY program_id, dimension_id, month, sex, age_band""".formatted(db, SqlText.where(groups(withMonths(grain, filters)))));
        List<Map<String, String>> quarterlyGroups = gateway.query("""
                SELECT program_id, dimension, dimension_id, period AS quarter, sex, age_band, people_reached, new_people_reached
                FROM %s.outreach_quarterly%s
                ORDER BY program_id, dimension_id, quarter, sex, age_band""".formatted(db, SqlText.where(groups(withQuarters(grain, filters)))));
        List<Map<String, String>> toDate = gateway.query("""
                SELECT program_id, dimension, dimension_id, people_reached, as_of
                FROM %s.outreach_to_date%s
                ORDER BY program_id, dimension_id""".formatted(db, SqlText.where(totals(grain))));
        List<Map<String, String>> targets = gateway.query("""
                SELECT program_id, indicator, period, dimension, dimension_id, target, actual, round(achievement, 4) AS achievement
                FROM %s.dash_targets_vs_actuals%s
                ORDER BY program_id, indicator, period, dimension_id""".formatted(db, SqlText.where(grain)));
        String period = filters.hasPeriod() ? "months " + ReportRequest.period(filters) : "";
        return new ReportOutput("Outreach", filters.describe(), List.of(
                new ReportOutput.Section("People reached per month", period, monthly),
                new ReportOutput.Section("People reached per quarter", filters.hasPeriod() ? "quarters overlapping " + ReportRequest.period(filters) : "", quarterly),
                new ReportOutput.Section("People reached per month by sex and age band", BY_GROUP, monthlyGroups),
                new ReportOutput.Section("People reached per quarter by sex and age band", BY_GROUP, quarterlyGroups),
                new ReportOutput.Section("People reached to date", "whole program so far; --from/--to do not apply", toDate),
                new ReportOutput.Section("Targets vs actuals", "", targets)),
                List.of(new ReportOutput.MonthlyReach("People reached per month", months(monthly), series(monthly))));
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
    static List<String> months(List<Map<String, String>> rows) {
        TreeSet<String> months = new TreeSet<>();
        rows.forEach(row -> months.add(row.get("month")));
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

    private static Map<String, Map<String, Long>> series(List<Map<String, String>> rows) {
        Map<String, Map<String, Long>> series = new TreeMap<>();
        for (Map<String, String> row : rows) {
            series.computeIfAbsent(row.get("dimension_id"), k -> new LinkedHashMap<>())
                    .put(row.get("month"), Long.parseLong(row.get("people_reached")));
        }
        return series;
    }
}
