package org.fieldstream.reports;

import static org.fieldstream.reports.Col.Kind.ID;
import static org.fieldstream.reports.Col.Kind.LAG;
import static org.fieldstream.reports.Col.Kind.NUMBER;
import static org.fieldstream.reports.Col.Kind.RATE;
import static org.fieldstream.reports.Col.Kind.TEXT;
import static org.fieldstream.reports.Col.Kind.TIME;

/**
 * Every row family the reports and the dashboard show, one record each: the record's components
 * are the columns of its query, of the printed report and of the dashboard table, in that order
 * ({@link RowType}). A figure is named as the analyst reads it in the views (docs/design.md, "Names
 * of figures"); {@link Col#from()} gives the SQL of a column the view does not have by that name.
 */
final class ReportRows {

    private ReportRows() {
    }

    /** Rates of summed rows, from the sums (never averaged); a zero denominator gives NULL. */
    static final String RETENTION = "(active + completed) / nullIf(enrolled, 0)";
    static final String DROPOUT = "dropped_out / nullIf(enrolled, 0)";
    static final String COMPLETION = "completed / nullIf(enrolled, 0)";
    static final String ATTENDANCE = "sessions_attended / nullIf(sessions_expected, 0)";

    /** Retention per cohort: v_cohort_retention with the district of the cohort's org unit ('' above district level). */
    record CohortRetentionRow(
            @Col(value = "Program", kind = ID) String programId,
            @Col(value = "Partner", kind = ID) String partnerId,
            @Col(value = "District", kind = ID) String districtId,
            @Col("Cohort") String cohortId,
            @Col("Planned") long sessionsPlanned,
            @Col("Held") long sessionsHeld,
            @Col("Enrolled") long enrolled,
            @Col("Active") long active,
            @Col("Completed") long completed,
            @Col("Dropped out") long droppedOut,
            @Col("Transferred") long transferred,
            @Col("Sessions attended") long sessionsAttended,
            @Col("Sessions expected") long sessionsExpected,
            @Col("Retention") double retentionRate,
            @Col("Dropout") double dropoutRate,
            @Col("Completion") double completionRate,
            @Col("Attendance") double attendanceRate,
            @Col(value = "As of", kind = TIME) String asOf) {
    }

    /**
     * Cohorts summed by partner and district: its ID columns are the grouping, each count but
     * {@code cohorts} is the sum of the cohorts' column of that name, each rate comes from the sums
     * ({@link Col#from()}); a rate is empty where its denominator is 0.
     */
    record RetentionTotalsRow(
            @Col(value = "Program", kind = ID) String programId,
            @Col(value = "Partner", kind = ID) String partnerId,
            @Col(value = "District", kind = ID) String districtId,
            @Col("Cohorts") long cohorts,
            @Col("Enrolled") long enrolled,
            @Col("Active") long active,
            @Col("Completed") long completed,
            @Col("Dropped out") long droppedOut,
            @Col("Transferred") long transferred,
            @Col("Sessions attended") long sessionsAttended,
            @Col("Sessions expected") long sessionsExpected,
            @Col(value = "Retention", from = RETENTION, nullable = true) Double retentionRate,
            @Col(value = "Dropout", from = DROPOUT, nullable = true) Double dropoutRate,
            @Col(value = "Completion", from = COMPLETION, nullable = true) Double completionRate,
            @Col(value = "Attendance", from = ATTENDANCE, nullable = true) Double attendanceRate) {
    }

    /** Every cohort shown, summed as {@link RetentionTotalsRow} is: the dashboard's summary tiles. */
    record RetentionSummaryRow(
            @Col("Cohorts") long cohorts,
            @Col("Enrolled") long enrolled,
            @Col("Active") long active,
            @Col("Completed") long completed,
            @Col("Dropped out") long droppedOut,
            @Col("Transferred") long transferred,
            @Col("Sessions attended") long sessionsAttended,
            @Col("Sessions expected") long sessionsExpected,
            @Col(value = "Retention rate", from = RETENTION, nullable = true) Double retentionRate,
            @Col(value = "Dropout rate", from = DROPOUT, nullable = true) Double dropoutRate,
            @Col(value = "Completion rate", from = COMPLETION, nullable = true) Double completionRate,
            @Col(value = "Attendance rate", from = ATTENDANCE, nullable = true) Double attendanceRate) {
    }

    /** A point of a cohort's total survival curve: v_retention_curve where sex = age_band = 'all'. */
    record SurvivalPointRow(
            @Col(value = "Program", kind = ID) String programId,
            @Col(value = "Partner", kind = ID) String partnerId,
            @Col("Cohort") String cohortId,
            @Col("Session") long sessionNumber,
            @Col(value = "Held on", kind = TIME) String heldOn,
            @Col("Enrolled") long enrolled,
            @Col("Present then or later") long surviving,
            @Col("Survival") double survivalRate) {
    }

    /**
     * The survival curve of the cohorts shown, persons pooled: at each session number, the persons of
     * the cohorts that held it present then or later over the persons enrolled in them, with the 10th
     * and 90th percentiles of those cohorts' own survival rates (ClickHouse's quantile, an estimate
     * beyond 8,192 cohorts).
     */
    record PooledSurvivalRow(
            @Col("Session") long sessionNumber,
            @Col("Cohorts") long cohorts,
            @Col("Enrolled") long enrolled,
            @Col("Present then or later") long surviving,
            @Col(value = "Survival, persons pooled", kind = RATE, from = "pooled_rate", nullable = true) Double survivalRate,
            @Col(value = "Cohorts' 10th percentile", kind = RATE, from = "p10") double survivalP10,
            @Col(value = "Cohorts' 90th percentile", kind = RATE, from = "p90") double survivalP90) {
    }

    /** Persons present at each session of a cohort: its current attendance records marked present (v_field_events_current). */
    record SessionAttendanceRow(
            @Col("Session") long sessionNumber,
            @Col(value = "Persons present", from = "uniqExact(person_id)") long present) {
    }

    /** A cohort's participants counted by status: v_participant_progress (persons are counted, never listed). */
    record ParticipantStatusRow(
            @Col("Status") String status,
            @Col(value = "Persons", from = "count()") long persons,
            @Col(value = "Sessions attended", from = "sum(sessions_attended)") long sessionsAttended,
            @Col(value = "Sessions expected", from = "sum(sessions_expected)") long sessionsExpected) {
    }

    /** People reached in a month or quarter, in total: outreach_monthly / outreach_quarterly where sex = age_band = 'all'. */
    record ReachRow(
            @Col(value = "Program", kind = ID) String programId,
            @Col("By") String dimension,
            @Col(value = "Counted for", kind = ID) String dimensionId,
            @Col("Period") String period,
            @Col("Reached") long peopleReached,
            @Col("New") long newPeopleReached) {
    }

    /** People reached in a month or quarter in one sex × age band cell. */
    record ReachByGroupRow(
            @Col(value = "Program", kind = ID) String programId,
            @Col("By") String dimension,
            @Col(value = "Counted for", kind = ID) String dimensionId,
            @Col("Period") String period,
            @Col("Sex") String sex,
            @Col("Age band") String ageBand,
            @Col("Reached") long peopleReached,
            @Col("New") long newPeopleReached) {
    }

    /**
     * People reached from the program's start: outreach_to_date in total. Its new_people_reached is
     * not shown: to date everyone reached is newly reached in the program (shown per month and quarter).
     */
    record ReachToDateRow(
            @Col(value = "Program", kind = ID) String programId,
            @Col("By") String dimension,
            @Col(value = "Counted for", kind = ID) String dimensionId,
            @Col("People reached") long peopleReached,
            @Col(value = "As of", kind = TIME) String asOf) {
    }

    /** dash_targets_vs_actuals: every target's exact actual; achievement is empty for a zero target. */
    record TargetRow(
            @Col(value = "Program", kind = ID) String programId,
            @Col("Indicator") String indicator,
            @Col("Period") String period,
            @Col("By") String dimension,
            @Col(value = "Counted for", kind = ID) String dimensionId,
            @Col(value = "Target", kind = NUMBER) double target,
            @Col(value = "Actual", kind = NUMBER, nullable = true) Double actual,
            @Col(value = "Achieved", nullable = true) Double achievement) {
    }

    /** A table's row in dash_freshness, as ClickHouse has it. */
    record TableFreshnessRow(
            @Col("Table") String tableName,
            @Col(value = "As of", kind = TIME) String asOf,
            @Col(value = "Updated", kind = TIME) String updatedAt,
            @Col("Rows") long rowCount) {
    }

    /** How current a table is; an empty table has no as_of, updated_at or lag. */
    record FreshnessRow(
            @Col("Table") String tableName,
            @Col("Rows") long rowCount,
            @Col(value = "As of (event time)", kind = TIME, nullable = true) String asOf,
            @Col(value = "Updated", kind = TIME, nullable = true) String updatedAt,
            @Col(value = "Lag behind now", kind = LAG, nullable = true) Long lag) {
    }

    /** Records a stage gave up on, per stage and topic, from v_dead_letters. */
    record DeadLetterRow(
            @Col("Stage") String stage,
            @Col(value = "Topic", from = "failed_topic") String topic,
            @Col(value = "Records", from = "count()") long records,
            @Col(value = "Last", kind = TIME, from = "max(failed_at)") String lastAt,
            @Col(value = "Example reason", from = "any(reason)") String exampleReason) {
    }

    /** Data quality per partner and month, from dq_partner_month (definitions in the view and docs/design.md, "Data quality"). */
    record QualityRow(
            @Col(value = "Program", kind = ID) String programId,
            @Col(value = "Partner", kind = ID) String partnerId,
            @Col(value = "Month", from = "substring(toString(month), 1, 7)") String month,
            @Col("Records") long records,
            @Col(value = "Median days to receipt", kind = NUMBER) double medianDaysToReceipt,
            @Col(value = "90th percentile days to receipt", kind = NUMBER) double p90DaysToReceipt,
            @Col(value = "On time", kind = RATE) double onTimeShare,
            @Col("Corrections") long corrections,
            @Col("Retractions") long retractions,
            @Col("Held sessions without attendance") long heldSessionsWithoutAttendance,
            @Col("Enrolments with unknown sex or age") long enrolmentsUnknownSexOrAge,
            @Col("Records outside cohort dates") long recordsOutsideCohortDates,
            @Col("Sessions with more present than enrolled") long sessionsMorePresentThanEnrolled) {
    }

    /** One row of dq_scorecard: a partner's month, its measures and its status against the program's thresholds. */
    record ScorecardRow(
            @Col(value = "Program", kind = ID) String programId,
            @Col(value = "Partner", kind = ID) String partnerId,
            @Col(value = "Month", from = "substring(toString(month), 1, 7)") String month,
            @Col(value = "Status", kind = TEXT) String status,
            @Col(value = "Outside on", kind = TEXT) String outsideMeasures,
            @Col(value = "On time", kind = RATE) double onTimeShare,
            @Col("Rows received") long rowsReceived,
            @Col("Rows rejected") long rowsRejected,
            @Col(value = "Rejected", kind = RATE) double rejectedShare,
            @Col("Records sent more than once") long recordsSentMoreThanOnce,
            @Col(value = "Sent more than once", kind = RATE) double duplicateShare,
            @Col("Late edits") long lateEdits,
            @Col("Attendance waiting for a session") long attendanceWaiting,
            @Col("Cohorts open after their end") long cohortsOpenAfterEnd,
            @Col("Attendance outlier sessions") long outlierSessions) {
    }

    /** Rows rejected per partner, month and reason code (dq_rejected_rows). */
    record RejectedReasonRow(
            @Col(value = "Program", kind = ID) String programId,
            @Col(value = "Partner", kind = ID) String partnerId,
            @Col(value = "Month", from = "substring(toString(month), 1, 7)") String month,
            @Col(value = "Source", kind = TEXT) String source,
            @Col(value = "Field", kind = TEXT) String field,
            @Col(value = "Reason code", kind = TEXT) String reasonCode,
            @Col("Rows rejected") long rowsRejected) {
    }

    /** A measure of the data-quality report and what it counts. */
    record DefinitionRow(
            @Col(value = "Measure", kind = TEXT) String measure,
            @Col(value = "Definition", kind = TEXT) String definition) {
    }
}
