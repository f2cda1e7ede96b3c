package org.fieldstream.reports;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.fieldstream.clickhouse.ClickHouseGateway;

/**
 * What one dashboard page shows, read from the views by the report command's own classes (so the
 * page and {@code fieldstream report} cannot disagree): the retention report and the outreach report
 * for the filters, the freshness report for the whole database, and the filter choices.
 *
 * @param outreach null when both a partner and a district are chosen: outreach is counted by
 *                 partner or by district, not by both ({@link #OUTREACH_NEEDS_ONE} says so on the page)
 * @param freshness null on an analyst's page: freshness and dead letters are read from tables of
 *                 every program, which no scope holds
 */
record Dashboard(Filters filters, ReferenceCheck.Choices choices, ReportOutput retention, ReportOutput outreach,
                 ReportOutput freshness, Instant readAt, DashboardListing listing, Map<String, Long> totals) {

    /** Every row of every table: the listing's defaults and no totals read apart. */
    Dashboard(Filters filters, ReferenceCheck.Choices choices, ReportOutput retention, ReportOutput outreach, ReportOutput freshness,
              Instant readAt) {
        this(filters, choices, retention, outreach, freshness, readAt, DashboardListing.DEFAULT, Map.of());
    }

    static final String OUTREACH_NEEDS_ONE =
            "People reached are counted by partner or by district, not by both: clear one of them to see outreach and targets.";

    /** Reads every figure, every row of every table (a CSV download); a filter naming nothing known is refused with {@link ReportError}. */
    static Dashboard read(ClickHouseGateway gateway, String db, Filters filters, Clock clock) {
        return read(gateway, db, filters, null, clock);
    }

    /**
     * Reads what a page shows: the listing's page of the cohorts and the curve points (null: every row),
     * every other figure whole; a filter naming nothing known is refused with {@link ReportError}.
     */
    static Dashboard read(ClickHouseGateway gateway, String db, Filters filters, DashboardListing listing, Clock clock) {
        return read(gateway, db, filters, listing, clock, () -> new FreshnessReport(gateway, db, Clock.fixed(clock.instant(), clock.getZone())).run());
    }

    /** As {@link #read(ClickHouseGateway, String, Filters, DashboardListing, Clock)}, the freshness report from {@code freshness} (a {@link RecentReport}). */
    static Dashboard read(ClickHouseGateway gateway, String db, Filters filters, DashboardListing listing, Clock clock,
                          Supplier<ReportOutput> freshness) {
        ReferenceCheck references = new ReferenceCheck(gateway, db);
        references.verify(filters);
        return read(gateway, db, filters, references.choices(), listing, clock, freshness);
    }

    /**
     * What a page shows to a logged-in analyst, read as them from their scope database: the filters
     * narrowed to the scope ({@link DashboardScope.Outside} for another program or partner), the
     * choices of the scope, and no freshness (read from tables of every program, not in a scope).
     */
    static Dashboard read(ClickHouseGateway analyst, DashboardScope scope, Filters filters, DashboardListing listing, Clock clock) {
        ReferenceCheck.Choices choices = scope.choices(analyst);
        return read(analyst, scope.database(), scope.narrow(filters, choices), choices, listing, clock, null);
    }

    /**
     * The retention and outreach reports are read at the same time as the freshness report (null:
     * none), each on its own connection: a page takes as long as its slowest report rather than their sum.
     */
    private static Dashboard read(ClickHouseGateway gateway, String db, Filters filters, ReferenceCheck.Choices choices,
                                  DashboardListing listing, Clock clock, Supplier<ReportOutput> freshness) {
        Instant readAt = clock.instant();
        CompletableFuture<RetentionReport.Listed> retention = ParallelReads.start(() -> listing == null
                ? new RetentionReport.Listed(new RetentionReport(gateway, db).run(filters), Map.of())
                : new RetentionReport(gateway, db).page(filters, listing));
        CompletableFuture<ReportOutput> outreach = ParallelReads.start(() -> filters.partner() != null && filters.district() != null
                ? null : new OutreachReport(gateway, db).run(filters));
        ReportOutput whole = freshness == null ? null : freshness.get();
        RetentionReport.Listed listed = ParallelReads.joined(retention);
        return new Dashboard(filters, choices, listed.output(), ParallelReads.joined(outreach), whole, readAt,
                listing == null ? DashboardListing.DEFAULT : listing, listed.totals());
    }

    /**
     * Every row of one long table (a CSV download): only the report holding it is read, the retention
     * report for a retention table, the outreach report for another; null when outreach is not counted
     * for these filters ({@link #OUTREACH_NEEDS_ONE}), or the table is none of the page's.
     */
    static DashboardPage.Table table(ClickHouseGateway gateway, String db, Filters filters, String table) {
        new ReferenceCheck(gateway, db).verify(filters);
        return verifiedTable(gateway, db, filters, table);
    }

    /** {@link #table} of a logged-in analyst, read as them from their scope database. */
    static DashboardPage.Table table(ClickHouseGateway analyst, DashboardScope scope, Filters filters, String table) {
        return verifiedTable(analyst, scope.database(), scope.narrow(filters, scope.choices(analyst)), table);
    }

    private static DashboardPage.Table verifiedTable(ClickHouseGateway gateway, String db, Filters filters, String table) {
        if (DashboardListing.RETENTION_TABLES.contains(table)) {
            return DashboardPage.retentionTables(new RetentionReport(gateway, db).run(filters)).get(table);
        }
        if (filters.partner() != null && filters.district() != null) {
            return null;
        }
        return DashboardPage.outreachTables(new OutreachReport(gateway, db).run(filters)).get(table);
    }

    /** The rows of a table for these filters: read apart for a table read a page at a time, else the rows it holds. */
    long total(String table, int rows) {
        return totals.getOrDefault(table, (long) rows);
    }

    /** A section of one of the reports by its title (the titles are the report command's). */
    static ReportOutput.Section<?> section(ReportOutput report, String title) {
        return report.sections().stream().filter(s -> s.title().equals(title)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no section " + title + " in the " + report.title() + " report"));
    }
}
