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
 * its sessions held with its survival curve (v_retention_curve), the persons present at each session
 * (v_field_events_current) and its participants counted by
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
        String where = " WHERE " + String.join(" AND ", SqlText.equal("program_id", key.program()),
                SqlText.equal("partner_id", key.partner()), SqlText.equal("cohort_id", key.cohort()));
        List<CohortRetentionRow> cohort = RowType.of(CohortRetentionRow.class).query(gateway, "v_cohort_retention", """
                FROM (
                    SELECT *, '' AS district_id FROM %s.v_cohort_retention%s
                )""".formatted(db, where));
        if (cohort.isEmpty()) {
            return null;
        }
        List<SurvivalPointRow> curve = RowType.of(SurvivalPointRow.class).query(gateway, "v_retention_curve",
                "FROM " + db + ".v_retention_curve" + where + " AND sex = 'all' AND age_band = 'all' ORDER BY session_number");
        List<SessionAttendanceRow> attendance = RowType.of(SessionAttendanceRow.class).query(gateway, "v_field_events_current",
                "FROM " + db + ".v_field_events_current" + where + " AND event_type = 'attendance_recorded' AND status = 'present'"
                        + " GROUP BY session_number ORDER BY session_number");
        List<ParticipantStatusRow> statuses = RowType.of(ParticipantStatusRow.class).query(gateway, "v_participant_progress",
                "FROM " + db + ".v_participant_progress" + where + " GROUP BY status ORDER BY status");
        Names names = new Names(references.choices());
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
                        names, null));
        return html.append("</section>\n</main>\n</body>\n</html>\n").toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
