package org.fieldstream.app;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import org.fieldstream.reports.TextTable;
import org.fieldstream.sink.ClickHouseGateway;

/** The demo's two tables, read from ClickHouse views. */
final class Reports {

    private Reports() {
    }

    static void cohortRetention(ClickHouseGateway clickHouse, String database, PrintStream out) {
        out.println("Retention per cohort (" + database + ".v_cohort_retention):");
        List<Map<String, String>> rows = clickHouse.query("SELECT partner_id, cohort_id, sessions_held, sessions_planned,"
                + " enrolled, active, completed, dropped_out, transferred,"
                + " round(retention_rate * 100, 1) AS retention_pct, round(attendance_rate * 100, 1) AS attendance_pct"
                + " FROM " + database + ".v_cohort_retention ORDER BY partner_id, cohort_id");
        TextTable.print(rows, out);
    }

    static void peopleReachedByMonth(ClickHouseGateway clickHouse, String database, PrintStream out) {
        out.println("People reached per month, distinct persons (" + database + ".outreach_monthly):");
        List<Map<String, String>> rows = clickHouse.query("SELECT program_id, period AS month, people_reached,"
                + " new_people_reached FROM " + database + ".outreach_monthly"
                + " WHERE dimension = 'program' AND sex = 'all' AND age_band = 'all' ORDER BY program_id, month");
        TextTable.print(rows, out);
    }
}
