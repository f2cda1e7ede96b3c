package org.fieldstream.reports;

import java.util.ArrayList;
import java.util.List;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.reports.ReportRows.QualityRow;

/**
 * Data quality per partner and month of the record date (dq_partner_month): timeliness (days from
 * record date to receipt, share received within 10 days after the month's end), integrity
 * (corrections, retractions), completeness (held sessions without attendance, enrolments with unknown
 * sex or age) and validity (records outside their cohort's dates, sessions with more present than enrolled).
 */
final class QualityReport {

    static final String PER_PARTNER_MONTH = "Data quality per partner and month";

    private final ClickHouseGateway gateway;
    private final String db;

    QualityReport(ClickHouseGateway gateway, String db) {
        this.gateway = gateway;
        this.db = db;
    }

    ReportOutput run(Filters filters) {
        List<String> conditions = new ArrayList<>();
        if (filters.program() != null) {
            conditions.add(SqlText.equal("program_id", filters.program()));
        }
        if (filters.partner() != null) {
            conditions.add(SqlText.equal("partner_id", filters.partner()));
        }
        if (filters.from() != null) {
            conditions.add(SqlText.onOrAfter("month", filters.from()));
        }
        if (filters.to() != null) {
            conditions.add(SqlText.onOrBefore("month", filters.to()));
        }
        List<QualityRow> rows = RowType.of(QualityRow.class).query(gateway, "dq_partner_month",
                // the month filter sits in a subquery: outside it, month is the printed yyyy-MM text
                "FROM (SELECT * FROM " + db + ".dq_partner_month" + SqlText.where(conditions) + ") ORDER BY program_id, partner_id, month");
        return new ReportOutput("Data quality", filters.describe(), List.of(ReportOutput.Section.of(PER_PARTNER_MONTH,
                "month of the record date; on time = received by the 10th day after the month's end", QualityRow.class, rows)),
                List.of());
    }
}
