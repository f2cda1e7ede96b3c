package org.fieldstream.reports;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.reports.ReportRows.CohortRetentionRow;
import org.fieldstream.reports.ReportRows.PooledSurvivalRow;
import org.fieldstream.reports.ReportRows.RetentionSummaryRow;
import org.fieldstream.reports.ReportRows.RetentionTotalsRow;
import org.fieldstream.reports.ReportRows.SurvivalPointRow;

/**
 * Retention per cohort with its partner and district, totals by partner and district (rates from the
 * summed counts, never averaged), and the survival curve points of the same cohorts.
 */
final class RetentionReport {

    static final String PER_COHORT = "Retention per cohort";
    static final String BY_PARTNER_DISTRICT = "Retention by partner and district";
    static final String ALL_COHORTS = "Retention of all cohorts shown";
    static final String CURVE_POINTS = "Survival curve points";
    static final String POOLED = "Survival of the cohorts shown, persons pooled";
    /**
     * Up to this many characters the cohorts of a period enter each query as literals; a longer list
     * is read as a subquery of v_cohort_starts instead (ClickHouse parses at most 262,144 bytes of a query).
     */
    static final int PERIOD_LITERAL_CHARS = 131_072;

    private final ClickHouseGateway gateway;
    private final String db;
    private final int periodLiteralChars;

    RetentionReport(ClickHouseGateway gateway, String db) {
        this(gateway, db, PERIOD_LITERAL_CHARS);
    }

    /** With the longest literal list of a period's cohorts (tests read the subquery too). */
    RetentionReport(ClickHouseGateway gateway, String db, int periodLiteralChars) {
        this.gateway = gateway;
        this.db = db;
        this.periodLiteralChars = periodLiteralChars;
    }

    /** Every cohort and every curve point of the filters (the report command, a CSV download). */
    ReportOutput run(Filters filters) {
        String cohorts = cohortRows(filters);
        List<CohortRetentionRow> perCohort = read(CohortRetentionRow.class, "v_cohort_retention",
                "FROM (" + cohorts + ") ORDER BY program_id, partner_id, district_id, cohort_id");
        // a cohort id is unique within its program and partner only, hence the tuple; each cohort's total curve
        List<SurvivalPointRow> curve = read(SurvivalPointRow.class, "dash_survival_curves", curvePoints(cohorts, ""));
        return output(filters, perCohort, summed(cohorts), curve, curve, pooled(cohorts));
    }

    /** The report's figures with the total rows of its long tables, for a page that shows some of them. */
    record Listed(ReportOutput output, Map<String, Long> totals) {
    }

    /**
     * One page of the cohort list (sorted and searched as the listing says) and of the curve points,
     * the totals of every cohort of the filters, and the curves of the cohorts listed: what the
     * dashboard shows, whatever the number of cohorts. Once the cohorts are known, the curve points,
     * the pooled curve and the cohort figures with their sums are read at the same time, on their own
     * connections: the page waits for the slowest of the three rather than their sum.
     */
    Listed page(Filters filters, DashboardListing listing) {
        String cohorts = cohortRows(filters);
        String searched = "FROM (" + cohorts + ")" + (listing.q().isEmpty() ? ""
                : " WHERE position(lowerUTF8(cohort_id), lowerUTF8(" + SqlText.literal(listing.q()) + ")) > 0");
        String limit = "\nLIMIT " + DashboardListing.ROWS + " OFFSET " + listing.offset(DashboardListing.COHORTS);
        CompletableFuture<List<SurvivalPointRow>> points = ParallelReads.start(() -> read(SurvivalPointRow.class, "dash_survival_curves",
                curvePoints(cohorts, "\nLIMIT " + DashboardListing.ROWS + " OFFSET " + listing.offset("survival-points"))));
        CompletableFuture<List<PooledSurvivalRow>> pooled = ParallelReads.start(() -> pooled(cohorts));
        List<CohortRetentionRow> perCohort = read(CohortRetentionRow.class, "v_cohort_retention",
                searched + "\nORDER BY " + listing.orderBy() + limit);
        long all = Long.parseLong(gateway.queryValue("SELECT count() FROM (" + cohorts + ")"));
        // without a search the listed cohorts are all of them: one count, not two
        long listed = listing.q().isEmpty() ? all : Long.parseLong(gateway.queryValue("SELECT count() " + searched));
        boolean oneByOne = all <= ReportOutput.SurvivalCurves.DRAWN_ONE_BY_ONE;
        List<SurvivalPointRow> drawn = oneByOne ? read(SurvivalPointRow.class, "dash_survival_curves", curvePoints(cohorts, "")) : List.of();
        // the sums are read while the curve lanes still run
        Sums sums = summed(cohorts);
        ReportOutput output = output(filters, perCohort, sums, ParallelReads.joined(points), drawn, ParallelReads.joined(pooled));
        // the pooled curve counts, per session, the cohorts' points the curve-point table lists: their sum is its length
        long curvePoints = Dashboard.section(output, POOLED).rows().stream().mapToLong(r -> ((PooledSurvivalRow) r).cohorts()).sum();
        return new Listed(output, Map.of(DashboardListing.COHORTS, listed, "survival-points", curvePoints));
    }

    /** The cohorts' counts summed by partner and district, and over every cohort. */
    private record Sums(List<RetentionTotalsRow> totals, List<RetentionSummaryRow> overall) {
    }

    private Sums summed(String cohorts) {
        return new Sums(read(RetentionTotalsRow.class, "v_cohort_retention by partner and district",
                "FROM (" + sums(cohorts, RetentionTotalsRow.class) + ") ORDER BY program_id, partner_id, district_id"),
                read(RetentionSummaryRow.class, "v_cohort_retention summed", "FROM (" + sums(cohorts, RetentionSummaryRow.class) + ")"));
    }

    private ReportOutput output(Filters filters, List<CohortRetentionRow> perCohort, Sums sums, List<SurvivalPointRow> points,
                                List<SurvivalPointRow> drawn, List<PooledSurvivalRow> pooled) {
        List<RetentionTotalsRow> totals = sums.totals();
        List<RetentionSummaryRow> overall = sums.overall();
        String period = filters.hasPeriod() ? "cohorts starting " + ReportRequest.period(filters) : "";
        return new ReportOutput("Retention", filters.describe(), List.of(
                ReportOutput.Section.of(PER_COHORT, period, CohortRetentionRow.class, perCohort),
                ReportOutput.Section.of(BY_PARTNER_DISTRICT, "rates from summed counts", RetentionTotalsRow.class, totals),
                ReportOutput.Section.of(ALL_COHORTS, "rates from summed counts", RetentionSummaryRow.class, overall),
                ReportOutput.Section.of(CURVE_POINTS, "share of enrolled present at this session or a later one", SurvivalPointRow.class, points),
                ReportOutput.Section.of(POOLED, "persons of the cohorts that held the session, pooled; percentiles of those cohorts' survival",
                        PooledSurvivalRow.class, pooled)),
                List.of(new ReportOutput.SurvivalCurves("Survival curves: persons pooled, the cohorts' 10th to 90th percentile"
                        + (drawn.isEmpty() ? "" : ", one line per cohort"), curves(drawn), pooledCurve(pooled))));
    }

    /** Per session, the persons of the cohorts that held it pooled, with the 10th and 90th percentile of those cohorts' survival. */
    private List<PooledSurvivalRow> pooled(String cohorts) {
        return read(PooledSurvivalRow.class, "dash_survival_curves pooled", """
                FROM (
                    SELECT session_number, count() AS cohorts, sum(e) AS enrolled, sum(s) AS surviving,
                           sum(s) / nullIf(sum(e), 0) AS pooled_rate, quantile(0.1)(r) AS p10, quantile(0.9)(r) AS p90
                    FROM (%s)
                    GROUP BY session_number
                ) ORDER BY session_number""".formatted(curvePoints("SELECT session_number, enrolled AS e, surviving AS s, survival_rate AS r",
                cohorts, "")));
    }

    /** FROM ... of the total curve points of the cohorts a query selects (program_id, partner_id, cohort_id), in order. */
    private String curvePoints(String cohorts, String limit) {
        return curvePoints("", cohorts, "\nORDER BY program_id, partner_id, cohort_id, session_number" + limit);
    }

    /**
     * The cohorts' total curves from dash_survival_curves (v_retention_curve's rows where sex = age_band
     * = 'all', the total chosen before FINAL merges the table's rows). GLOBAL IN: the cohorts are read
     * where the query is run, then sent along; in an analyst's scope database dash_survival_curves is a
     * Distributed table whose replica user may not read the scope's tables the cohorts come from
     * (docs/security.md).
     */
    private String curvePoints(String select, String cohorts, String rest) {
        return """
                %sFROM %s.dash_survival_curves
                WHERE (program_id, partner_id, cohort_id) GLOBAL IN (SELECT program_id, partner_id, cohort_id FROM (%s))%s"""
                .formatted(select.isEmpty() ? "" : select + " ", db, cohorts, rest);
    }

    private <R extends Record> List<R> read(Class<R> type, String view, String rest) {
        return RowType.of(type).query(gateway, view, rest);
    }

    /**
     * The cohorts' counts summed as a summed row type reads them: grouped by its ID columns, its
     * {@code cohorts} counted, each of its other counts the sum of the cohorts' column of that name
     * (its rates come from these sums by their {@link Col#from()}).
     */
    private static String sums(String cohorts, Class<? extends Record> type) {
        List<String> keys = new ArrayList<>();
        List<String> sums = new ArrayList<>();
        for (Column c : RowType.of(type).columns()) {
            if (c.kind() == Col.Kind.ID) {
                keys.add(c.name());
            } else if (c.kind() == Col.Kind.COUNT) {
                sums.add(c.name().equals("cohorts") ? "count() AS cohorts" : "sum(" + c.name() + ") AS " + c.name());
            }
        }
        List<String> select = new ArrayList<>(keys);
        select.addAll(sums);
        return "SELECT " + String.join(", ", select) + "\nFROM (" + cohorts + ")"
                + (keys.isEmpty() ? "" : "\nGROUP BY " + String.join(", ", keys));
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
            conditions.add(startingInPeriod(filters));
        }
        return """
                SELECT * FROM (
                    SELECT * FROM (
                        SELECT *, ifNull(org_unit_id, '') AS unit_key FROM %1$s.v_cohort_retention
                    )
                    ANY LEFT JOIN (
                        SELECT org_unit_id AS unit_key, if(level = 'district', org_unit_id, ifNull(district_id, '')) AS district_id
                        FROM %1$s.v_org_units
                    ) USING (unit_key)
                )%2$s""".formatted(db, SqlText.where(conditions));
    }

    /**
     * The condition selecting the cohorts that start in the period, read once from v_cohort_starts:
     * per program and partner, {@code program_id = .. AND partner_id = .. AND cohort_id IN (..)} (a
     * cohort id is unique within its program and partner only; scalar IN lists read the same on 18.16
     * and current releases, and name each program and partner once). No cohort gives {@code 0}; a list
     * longer than the limit gives the subquery itself.
     */
    private String startingInPeriod(Filters filters) {
        String starting = cohortsStarting(filters);
        Map<List<String>, List<String>> idsByPartner = new LinkedHashMap<>();
        for (Map<String, String> row : gateway.query(starting + " ORDER BY program_id, partner_id, cohort_id")) {
            idsByPartner.computeIfAbsent(List.of(row.get("program_id"), row.get("partner_id")), k -> new ArrayList<>())
                    .add(SqlText.literal(row.get("cohort_id")));
        }
        if (idsByPartner.isEmpty()) {
            return "0";
        }
        List<String> partners = new ArrayList<>();
        int chars = 0;
        for (Map.Entry<List<String>, List<String>> e : idsByPartner.entrySet()) {
            String one = "(" + SqlText.equal("program_id", e.getKey().get(0)) + " AND " + SqlText.equal("partner_id", e.getKey().get(1))
                    + " AND cohort_id IN (" + String.join(", ", e.getValue()) + "))";
            chars += one.length() + 4;
            if (chars > periodLiteralChars) {
                return "(program_id, partner_id, cohort_id) IN (" + starting + ")";
            }
            partners.add(one);
        }
        return "(" + String.join(" OR ", partners) + ")";
    }

    /** Cohorts (program, partner, id) whose registered start date lies in the period (v_cohort_starts; the metric tables carry no start date). */
    private String cohortsStarting(Filters filters) {
        List<String> conditions = new ArrayList<>();
        if (filters.from() != null) {
            conditions.add(SqlText.onOrAfter("start_date", filters.from()));
        }
        if (filters.to() != null) {
            conditions.add(SqlText.onOrBefore("start_date", filters.to()));
        }
        return "SELECT program_id, partner_id, cohort_id FROM " + db + ".v_cohort_starts" + SqlText.where(conditions);
    }

    /** One curve per cohort, named by its id, or by partner/id where two partners use the same id. */
    private static Map<String, List<ReportOutput.CurvePoint>> curves(List<SurvivalPointRow> rows) {
        Map<String, Set<String>> partnersOfId = new HashMap<>();
        rows.forEach(row -> partnersOfId.computeIfAbsent(row.cohortId(), k -> new HashSet<>()).add(row.partnerId()));
        Map<String, List<ReportOutput.CurvePoint>> curves = new TreeMap<>();
        for (SurvivalPointRow row : rows) {
            if (Double.isFinite(row.survivalRate())) {
                curves.computeIfAbsent(curveName(row, partnersOfId), k -> new ArrayList<>())
                        .add(new ReportOutput.CurvePoint(Math.toIntExact(row.sessionNumber()), row.survivalRate()));
            }
        }
        return new LinkedHashMap<>(curves);
    }

    private static List<ReportOutput.PooledPoint> pooledCurve(List<PooledSurvivalRow> rows) {
        return rows.stream().filter(r -> r.survivalRate() != null && Double.isFinite(r.survivalRate()))
                .map(r -> new ReportOutput.PooledPoint(Math.toIntExact(r.sessionNumber()), r.survivalRate(), r.survivalP10(), r.survivalP90()))
                .toList();
    }

    static String curveName(SurvivalPointRow row, Map<String, Set<String>> partnersOfId) {
        String cohort = row.cohortId();
        return partnersOfId.getOrDefault(cohort, Set.of()).size() > 1 ? row.partnerId() + "/" + cohort : cohort;
    }

    /** A rate as the report has it; empty, nan and inf become NaN (not drawn, shown as "–"). */
    static double rate(String text) {
        if (text == null || text.isEmpty()) {
            return Double.NaN;
        }
        try {
            double rate = RowType.number(text);
            return Double.isFinite(rate) ? rate : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
