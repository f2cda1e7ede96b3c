package org.fieldstream.reports;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.fieldstream.clickhouse.ClickHouseGateway;

/**
 * Retention per cohort with its partner and district, totals by partner and district (rates from the
 * summed counts, never averaged), and the survival curve points of the same cohorts.
 */
final class RetentionReport {

    private final ClickHouseGateway gateway;
    private final String db;

    RetentionReport(ClickHouseGateway gateway, String db) {
        this.gateway = gateway;
        this.db = db;
    }

    ReportOutput run(Filters filters) {
        String cohorts = cohortRows(filters);
        List<Map<String, String>> perCohort = gateway.query("""
                SELECT program_id, partner_id, district_id, cohort_id, sessions_planned, sessions_held,
                       enrolled, active, completed, dropped_out, transferred,
                       round(retention_rate, 4) AS retention_rate, round(dropout_rate, 4) AS dropout_rate,
                       round(completion_rate, 4) AS completion_rate, round(attendance_rate, 4) AS attendance_rate, as_of
                FROM (%s)
                ORDER BY program_id, partner_id, district_id, cohort_id""".formatted(cohorts));
        List<Map<String, String>> totals = gateway.query("""
                SELECT program_id, partner_id, district_id, cohorts, enrolled, active, completed, dropped_out, transferred,
                       round((active + completed) / nullIf(enrolled, 0), 4) AS retention_rate,
                       round(dropped_out / nullIf(enrolled, 0), 4) AS dropout_rate,
                       round(completed / nullIf(enrolled, 0), 4) AS completion_rate,
                       round(present / nullIf(expected, 0), 4) AS attendance_rate
                FROM (
                    SELECT program_id, partner_id, district_id, count() AS cohorts, sum(enrolled) AS enrolled,
                           sum(active) AS active, sum(completed) AS completed, sum(dropped_out) AS dropped_out,
                           sum(transferred) AS transferred, sum(present_total) AS present, sum(expected_total) AS expected
                    FROM (%s)
                    GROUP BY program_id, partner_id, district_id
                )
                ORDER BY program_id, partner_id, district_id""".formatted(cohorts));
        List<Map<String, String>> overall = gateway.query("""
                SELECT cohorts, enrolled, active, completed, dropped_out, transferred,
                       round((active + completed) / nullIf(enrolled, 0), 4) AS retention_rate,
                       round(dropped_out / nullIf(enrolled, 0), 4) AS dropout_rate,
                       round(completed / nullIf(enrolled, 0), 4) AS completion_rate,
                       round(present / nullIf(expected, 0), 4) AS attendance_rate
                FROM (
                    SELECT count() AS cohorts, sum(enrolled) AS enrolled, sum(active) AS active, sum(completed) AS completed,
                           sum(dropped_out) AS dropped_out, sum(transferred) AS transferred,
                           sum(present_total) AS present, sum(expected_total) AS expected
                    FROM (%s)
                )""".formatted(cohorts));
        // a cohort id is unique within its program and partner only, hence the tuple; each cohort's total curve
        List<Map<String, String>> curve = gateway.query("""
                SELECT program_id, partner_id, cohort_id, session_number, held_on, enrolled, surviving,
                       round(survival_rate, 4) AS survival_rate
                FROM %s.v_retention_curve
                WHERE sex = 'all' AND age_band = 'all'
                  AND (program_id, partner_id, cohort_id) IN (SELECT program_id, partner_id, cohort_id FROM (%s))
                ORDER BY program_id, partner_id, cohort_id, session_number""".formatted(db, cohorts));
        String period = filters.hasPeriod() ? "cohorts starting " + ReportRequest.period(filters) : "";
        return new ReportOutput("Retention", filters.describe(), List.of(
                new ReportOutput.Section("Retention per cohort", period, perCohort),
                new ReportOutput.Section("Retention by partner and district", "rates from summed counts", totals),
                new ReportOutput.Section("Retention of all cohorts shown", "rates from summed counts", overall),
                new ReportOutput.Section("Survival curve points", "share of enrolled present at this session or a later one", curve)),
                List.of(new ReportOutput.SurvivalCurves("Survival curves, one line per cohort", curves(curve))));
    }

    /**
     * The filtered cohorts with their district. 18.16 allows one JOIN per SELECT with non-Nullable
     * keys, hence the nesting and ifNull; a unit at or above district level maps to district ''.
     */
    private String cohortRows(Filters filters) {
        List<String> conditions = new ArrayList<>();
        if (filters.program() != null) {
            conditions.add(SqlText.equal("program_id", filters.program()));
        }
        if (filters.partner() != null) {
            conditions.add(SqlText.equal("partner_id", filters.partner()));
        }
        if (filters.district() != null) {
            conditions.add(SqlText.equal("district_id", filters.district()));
        }
        if (filters.hasPeriod()) {
            conditions.add("cohort_id IN (" + cohortsStarting(filters) + ")");
        }
        return """
                SELECT * FROM (
                    SELECT * FROM (
                        SELECT program_id, partner_id, cohort_id, sessions_planned, sessions_held, enrolled, active, completed,
                               dropped_out, transferred, present_total, expected_total, retention_rate, dropout_rate,
                               completion_rate, attendance_rate, as_of, ifNull(org_unit_id, '') AS unit_key
                        FROM %1$s.v_cohort_retention
                    )
                    ANY LEFT JOIN (
                        SELECT org_unit_id AS unit_key, if(level = 'district', org_unit_id, ifNull(district_id, '')) AS district_id
                        FROM %1$s.v_org_units
                    ) USING (unit_key)
                )%2$s""".formatted(db, SqlText.where(conditions));
    }

    /** Cohorts whose registered start date lies in the period (the metric tables carry no start date). */
    private String cohortsStarting(Filters filters) {
        List<String> conditions = new ArrayList<>(List.of("event_type = 'training_cohort_registered'"));
        if (filters.from() != null) {
            conditions.add(SqlText.onOrAfter("assumeNotNull(start_date)", filters.from()));
        }
        if (filters.to() != null) {
            conditions.add(SqlText.onOrBefore("assumeNotNull(start_date)", filters.to()));
        }
        return "SELECT assumeNotNull(cohort_id) FROM " + db + ".v_field_events_current" + SqlText.where(conditions);
    }

    /** One curve per cohort, named by its id, or by partner/id where two partners use the same id. */
    private static Map<String, List<ReportOutput.CurvePoint>> curves(List<Map<String, String>> rows) {
        Map<String, Set<String>> partnersOfId = new HashMap<>();
        rows.forEach(row -> partnersOfId.computeIfAbsent(row.get("cohort_id"), k -> new HashSet<>()).add(row.get("partner_id")));
        Map<String, List<ReportOutput.CurvePoint>> curves = new TreeMap<>();
        for (Map<String, String> row : rows) {
            double rate = rate(row.get("survival_rate"));
            if (Double.isFinite(rate)) {
                curves.computeIfAbsent(curveName(row, partnersOfId), k -> new ArrayList<>())
                        .add(new ReportOutput.CurvePoint(Integer.parseInt(row.get("session_number")), rate));
            }
        }
        return new LinkedHashMap<>(curves);
    }

    static String curveName(Map<String, String> row, Map<String, Set<String>> partnersOfId) {
        String cohort = row.get("cohort_id");
        return partnersOfId.getOrDefault(cohort, Set.of()).size() > 1 ? row.get("partner_id") + "/" + cohort : cohort;
    }

    /** A rate as ClickHouse prints it; NULL, nan and inf become NaN (not drawn). */
    static double rate(String text) {
        if (text == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
