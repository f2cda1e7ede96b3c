package org.fieldstream.reports;

import java.util.ArrayList;
import java.util.List;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.reports.ReportRows.DefinitionRow;
import org.fieldstream.reports.ReportRows.QualityRow;
import org.fieldstream.reports.ReportRows.RejectedReasonRow;
import org.fieldstream.reports.ReportRows.ScorecardRow;

/**
 * Data quality per partner and month of the record date (dq_partner_month): timeliness (days from
 * record date to receipt, share received by the program's reporting deadline), integrity
 * (corrections, retractions), completeness (held sessions without attendance, enrolments with unknown
 * sex or age) and validity (records outside their cohort's dates, sessions with more present than
 * enrolled); then the scorecard (dq_scorecard) with each partner's month within or outside the
 * program's thresholds, the rows rejected by reason code (dq_rejected_rows) and every measure's definition.
 */
final class QualityReport {

    static final String PER_PARTNER_MONTH = "Data quality per partner and month";
    static final String SCORECARD = "Scorecard per partner and month";
    static final String REJECTED = "Rows rejected by reason";
    static final String DEFINITIONS = "Definitions";

    /** What each measure counts (docs/design.md, "Data quality"). */
    static final List<DefinitionRow> MEASURES = List.of(
            new DefinitionRow("Records", "events but retractions whose record date falls in the month (Asia/Dhaka), every revision"),
            new DefinitionRow("Median / 90th percentile days to receipt", "days from the record date to its receipt, the element at rank"
                    + " floor(q * n) of the sorted days"),
            new DefinitionRow("On time", "share of the records received by the reporting deadline: the program's reporting_deadline_days"
                    + " (default 10) after the end of the month; outside below dq_min_on_time_share (default 0.8)"),
            new DefinitionRow("Corrections", "events of revision > 1 that are not retractions"),
            new DefinitionRow("Retractions", "retractions, by the month they were received"),
            new DefinitionRow("Held sessions without attendance", "current held sessions with no current attendance record"),
            new DefinitionRow("Enrolments with unknown sex or age", "current enrolments without sex, or without a birth year or age"),
            new DefinitionRow("Records outside cohort dates", "current enrolments, held sessions and dated exits before the cohort's"
                    + " start or after its end"),
            new DefinitionRow("Sessions with more present than enrolled", "held sessions with more persons present than persons enrolled"),
            new DefinitionRow("Rows received / rejected", "events received in the month and rows rejected in it; Rejected = rejected /"
                    + " (received + rejected); outside above dq_max_rejected_share (default 0.05)"),
            new DefinitionRow("Records sent more than once", "records of the month whose event came on the events topic two or more times;"
                    + " Sent more than once = their share of the records; outside above dq_max_duplicate_share (default 0.05)"),
            new DefinitionRow("Late edits", "corrections and retractions of the month's records received after its reporting deadline;"
                    + " outside above dq_max_late_edits (default 0)"),
            new DefinitionRow("Attendance waiting for a session", "current attendance records of the month whose session was never held"),
            new DefinitionRow("Cohorts open after their end", "cohorts whose end date (in the month) has passed with no exit recorded"
                    + " and fewer sessions held than planned"),
            new DefinitionRow("Attendance outlier sessions", "held sessions whose count present x has 0.6745 |x - median| / MAD > 3.5"
                    + " against the partner's own sessions; when MAD = 0, any count other than the median"),
            new DefinitionRow("Status", "outside when On time, Rejected, Sent more than once or Late edits is outside the program's"
                    + " threshold (Outside on names them), else within"));

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
        // the month filter sits in a subquery: outside it, month is the printed yyyy-MM text
        String where = SqlText.where(conditions);
        List<QualityRow> rows = RowType.of(QualityRow.class).query(gateway, "dq_partner_month",
                "FROM (SELECT * FROM " + db + ".dq_partner_month" + where + ") ORDER BY program_id, partner_id, month");
        List<ScorecardRow> scorecard = RowType.of(ScorecardRow.class).query(gateway, "dq_scorecard",
                "FROM (SELECT * FROM " + db + ".dq_scorecard" + where + ") ORDER BY program_id, partner_id, month");
        List<RejectedReasonRow> rejected = RowType.of(RejectedReasonRow.class).query(gateway, "dq_rejected_rows",
                "FROM (SELECT * FROM " + db + ".dq_rejected_rows" + where + ") ORDER BY program_id, partner_id, month, rows_rejected DESC,"
                        + " reason_code, field, source");
        return new ReportOutput("Data quality", filters.describe(), List.of(
                ReportOutput.Section.of(PER_PARTNER_MONTH, "month of the record date; on time = received by the program's reporting"
                        + " deadline (reporting_deadline_days after the month's end, default 10)", QualityRow.class, rows),
                ReportOutput.Section.of(SCORECARD, "each measure in its own month (Definitions); status against the program's"
                        + " thresholds (dq_* in programs.csv)", ScorecardRow.class, scorecard),
                ReportOutput.Section.of(REJECTED, "month the row was rejected; metadata only, never the row", RejectedReasonRow.class, rejected),
                ReportOutput.Section.of(DEFINITIONS, "", DefinitionRow.class, MEASURES)),
                List.of());
    }
}
