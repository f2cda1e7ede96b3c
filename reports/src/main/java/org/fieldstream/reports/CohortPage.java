package org.fieldstream.reports;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.reports.DashboardCells.Names;
import org.fieldstream.reports.ReportRows.CohortRetentionRow;
import org.fieldstream.reports.ReportRows.ParticipantStatusRow;
import org.fieldstream.reports.ReportRows.SessionAttendanceRow;
import org.fieldstream.reports.ReportRows.SurvivalPointRow;

/**
 * A page per cohort ({@code /cohort?program=&partner=&cohort=}): its figures (v_cohort_retention),
 * its sessions held with its survival curve (dash_survival_curves, v_retention_curve's totals), the persons present at each session
 * (the current attendance records of v_field_events_current, read from the cohort's own events) and its participants counted by
 * status (v_participant_progress). A cohort id is unique within its program and partner, hence the three.
 */
final class CohortPage {

    static final List<String> PARAMETERS = List.of("program", "partner", "cohort");
    private static final int MAX_COHORT = 128;

    /** The cohort asked for; its program and partner are ids, its id any text without control characters. */
    record Key(String program, String partner, String cohort) {
    }

    private CohortPage() {
    }

    static Key parse(String rawQuery) {
        Map<String, String> values = DashboardQuery.values(rawQuery, PARAMETERS);
        String cohort = values.get("cohort");
        if (cohort == null || cohort.isEmpty() || values.get("program") == null || values.get("partner") == null) {
            throw new ReportError("a cohort page needs program, partner and cohort");
        }
        if (cohort.length() > MAX_COHORT || cohort.chars().anyMatch(Character::isISOControl)) {
            throw new ReportError("invalid cohort " + Filters.shown(cohort));
        }
        return new Key(Filters.id("program", values.get("program")), Filters.id("partner", values.get("partner")), cohort);
    }

    /** The link to a cohort's page. */
    static String href(String program, String partner, String cohort) {
        return "/cohort?program=" + encode(program) + "&partner=" + encode(partner) + "&cohort=" + encode(cohort);
    }

    /** The page, or null when the views hold no such cohort. */
    static String render(ClickHouseGateway gateway, String db, Key key, int refreshSeconds) {
        ReferenceCheck references = new ReferenceCheck(gateway, db);
        references.verify(new Filters(key.program(), key.partner(), null, null, null));
        return render(gateway, db, key, refreshSeconds, references.choices(), attendance(db, key));
    }

    /**
     * The page of a logged-in analyst, read as them from their scope database (the key already
     * checked to be in their scope): the attendance from v_field_events_current, as the scope has no
     * base table; null when the scope holds no such cohort.
     */
    static String render(ClickHouseGateway analyst, DashboardScope scope, Key key, int refreshSeconds) {
        String attendance = "FROM " + scope.database() + ".v_field_events_current WHERE " + String.join(" AND ",
                SqlText.equal("program_id", key.program()), SqlText.equal("partner_id", key.partner()), SqlText.equal("cohort_id", key.cohort()))
                + " AND event_type = 'attendance_recorded' AND status = 'present' GROUP BY session_number ORDER BY session_number";
        return render(analyst, scope.database(), key, refreshSeconds, scope.choices(analyst), attendance);
    }

    private static String render(ClickHouseGateway gateway, String db, Key key, int refreshSeconds, ReferenceCheck.Choices choices,
                                 String attendanceFrom) {
        String where = " WHERE " + String.join(" AND ", SqlText.equal("program_id", key.program()),
                SqlText.equal("partner_id", key.partner()), SqlText.equal("cohort_id", key.cohort()));
        List<CohortRetentionRow> cohort = RowType.of(CohortRetentionRow.class).query(gateway, "v_cohort_retention", """
                FROM (
                    SELECT *, '' AS district_id FROM %s.v_cohort_retention%s
                )""".formatted(db, where));
        if (cohort.isEmpty()) {
            return null;
        }
        List<SurvivalPointRow> curve = RowType.of(SurvivalPointRow.class).query(gateway, "dash_survival_curves",
                "FROM " + db + ".dash_survival_curves" + where + " ORDER BY session_number");
        List<SessionAttendanceRow> attendance = RowType.of(SessionAttendanceRow.class).query(gateway, "v_field_events_current",
                attendanceFrom);
        List<ParticipantStatusRow> statuses = RowType.of(ParticipantStatusRow.class).query(gateway, "v_participant_progress",
                "FROM " + db + ".v_participant_progress" + where + " GROUP BY status ORDER BY status");
        Names names = new Names(choices);
        StringBuilder html = DashboardPage.head(refreshSeconds);
        html.append("<header><h1>Cohort ").append(Html.escape(key.cohort())).append("</h1><p>")
                .append(Html.escape(names.named(key.program()) + " · partner " + names.of(key.partner()))).append("</p></header>\n");
        html.append("<nav><a href=\"").append(Html.escape(DashboardListing.filtersQuery(new Filters(key.program(), key.partner(), null, null, null))
                .transform(q -> "/?" + q))).append("\">Back to the dashboard</a></nav>\n<main>\n");
        RowType<CohortRetentionRow> type = RowType.of(CohortRetentionRow.class);
        List<Column> figures = new ArrayList<>(type.columns());
        figures.removeIf(c -> c.name().equals("district_id"));
        html.append("<section id=\"cohort\">\n<h2>Figures</h2>\n")
                .append(DashboardPage.table("cohort", figures, cohort.stream().map(type::values).toList(), names, null)).append("</section>\n");
        html.append("<section id=\"survival\">\n<h2>Sessions held and survival</h2>\n<p class=\"note\">")
                .append("Each session held, and the share of the enrolled present at it or at any later one.</p>\n");
        List<ReportOutput.CurvePoint> points = curve.stream().filter(p -> Double.isFinite(p.survivalRate()))
                .map(p -> new ReportOutput.CurvePoint(Math.toIntExact(p.sessionNumber()), p.survivalRate())).toList();
        if (!points.isEmpty()) {
            html.append(SvgCharts.survival(new ReportOutput.SurvivalCurves("Survival of cohort " + key.cohort(), Map.of(key.cohort(), points))));
        }
        RowType<SurvivalPointRow> curveType = RowType.of(SurvivalPointRow.class);
        html.append(DashboardPage.table("cohort-sessions", curveType.columns(), curve.stream().map(curveType::values).toList(), names, null));
        RowType<SessionAttendanceRow> attendanceType = RowType.of(SessionAttendanceRow.class);
        html.append("<h3>Attendance per session</h3>\n<p class=\"note\">Persons recorded present at each session.</p>\n")
                .append(DashboardPage.table("cohort-attendance", attendanceType.columns(), attendance.stream().map(attendanceType::values).toList(),
                        names, null));
        RowType<ParticipantStatusRow> statusType = RowType.of(ParticipantStatusRow.class);
        html.append("</section>\n<section id=\"participants\">\n<h2>Participants by status</h2>\n<p class=\"note\">")
                .append("Persons of the cohort counted by their status now, with the sessions they attended and were expected at.</p>\n")
                .append(DashboardPage.table("cohort-participants", statusType.columns(), statuses.stream().map(statusType::values).toList(),
                        names, null, (column, row) -> ExplainLinks.ofStatus(key, column, row)));
        return html.append("</section>\n</main>\n</body>\n</html>\n").toString();
    }

    /**
     * FROM ... of the persons present at each session: v_field_events_current's current record rule
     * (the highest revision; on equal revisions a retraction, then the greater event_id; of one event
     * the highest version, as FINAL keeps) applied to the events of this cohort's aggregate only, so a
     * cohort's page reads the cohort's own events, not every record's current state.
     */
    static String attendance(String db, Key key) {
        String program = SqlText.literal(key.program());
        String partner = SqlText.literal(key.partner());
        String cohort = SqlText.literal(key.cohort());
        return """
                FROM (
                    SELECT tupleElement(current, 1) AS session_number, tupleElement(current, 2) AS person_id
                    FROM (
                        SELECT argMax((ifNull(session_number, 0), ifNull(person_id, ''), event_type, ifNull(status, ''), program_id, partner_id,
                                       ifNull(cohort_id, ''), isNull(session_number) OR isNull(person_id) OR isNull(cohort_id)),
                                      (revision, event_type = 'record_retracted', event_id, version)) AS current
                        FROM %1$s.field_events
                        WHERE aggregate_id IN (
                            SELECT aggregate_id FROM %1$s.field_events WHERE program_id = %2$s AND partner_id = %3$s AND cohort_id = %4$s
                        )
                        GROUP BY aggregate_id, root_id
                    )
                    WHERE tupleElement(current, 3) = 'attendance_recorded' AND tupleElement(current, 4) = 'present'
                      AND tupleElement(current, 5) = %2$s AND tupleElement(current, 6) = %3$s AND tupleElement(current, 7) = %4$s
                      AND tupleElement(current, 8) = 0
                )
                GROUP BY session_number ORDER BY session_number""".formatted(db, program, partner, cohort);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
