package org.fieldstream.reports;

import java.time.Clock;
import java.time.Instant;

import org.fieldstream.clickhouse.ClickHouseGateway;

/**
 * What one dashboard page shows, read from the views by the report command's own classes (so the
 * page and {@code fieldstream report} cannot disagree): the retention report and the outreach report
 * for the filters, the freshness report for the whole database, and the filter choices.
 *
 * @param outreach null when both a partner and a district are chosen: outreach is counted by
 *                 partner or by district, not by both ({@link #OUTREACH_NEEDS_ONE} says so on the page)
 */
record Dashboard(Filters filters, ReferenceCheck.Choices choices, ReportOutput retention, ReportOutput outreach,
                 ReportOutput freshness, Instant readAt) {

    static final String OUTREACH_NEEDS_ONE =
            "People reached are counted by partner or by district, not by both: clear one of them to see outreach and targets.";

    /** Reads every figure; a filter naming nothing known is refused with {@link ReportError}. */
    static Dashboard read(ClickHouseGateway gateway, String db, Filters filters, Clock clock) {
        ReferenceCheck references = new ReferenceCheck(gateway, db);
        references.verify(filters);
        Instant readAt = clock.instant();
        ReportOutput retention = new RetentionReport(gateway, db).run(filters);
        ReportOutput outreach = filters.partner() != null && filters.district() != null
                ? null : new OutreachReport(gateway, db).run(filters);
        ReportOutput freshness = new FreshnessReport(gateway, db, Clock.fixed(readAt, clock.getZone())).run();
        return new Dashboard(filters, references.choices(), retention, outreach, freshness, readAt);
    }

    /** A section of one of the reports by its title (the titles are the report command's). */
    static ReportOutput.Section<?> section(ReportOutput report, String title) {
        return report.sections().stream().filter(s -> s.title().equals(title)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no section " + title + " in the " + report.title() + " report"));
    }
}
