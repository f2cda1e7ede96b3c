package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.platform.TestServices;
import org.fieldstream.schema.Migrations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard over HTTP on the real ClickHouse 18.16 with ReportIT's known rows: the figures on
 * the page, filters, and refusals that need the reference tables. (The browser test on a running
 * pipeline is app's DashboardBrowserIT.)
 */
class DashboardIT {

    private static final String DB = "it_dashboard_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-04-10T12:00:00Z"), ZoneOffset.UTC);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static ClickHouseGateway gateway;
    private static DashboardServer server;

    @BeforeAll
    static void start() throws Exception {
        String url = TestServices.clickHouse().httpUrl();
        gateway = new ClickHouseGateway(url, "default", "");
        Migrations.apply(gateway, DB);
        KnownRows.insert(gateway, DB);
        gateway.insertJsonEachRow(DB, "participant_progress", List.of(person("pseudonym-a1", "active", 5), person("pseudonym-a2", "active", 4),
                person("pseudonym-a3", "dropped_out", 1), person("pseudonym-a4", "completed", 5)));
        gateway.insertJsonEachRow(DB, "field_events", List.of(present("pseudonym-a1", 1, "present", 1), present("pseudonym-a2", 1, "present", 1),
                present("pseudonym-a1", 2, "present", 1), present("pseudonym-a2", 2, "absent", 1),
                present("pseudonym-a3", 2, "absent", 1), present("pseudonym-a3", 2, "present", 2),
                present("pseudonym-a4", 1, "present", 1), retracted(present("pseudonym-a4", 1, "present", 2)),
                present("pseudonym-a5", 2, "absent", 1), redelivered(present("pseudonym-a5", 2, "present", 1))));
        DashboardSettings settings = DashboardSettings.load(Map.of("FIELDSTREAM_CLICKHOUSE_URL", url, "FIELDSTREAM_CLICKHOUSE_DATABASE", DB,
                "FIELDSTREAM_DASHBOARD_PORT", "0", "FIELDSTREAM_DASHBOARD_LOGIN", "open"));
        server = DashboardServer.start(settings, NOW);
    }

    @AfterAll
    static void stop() {
        server.close();
        gateway.execute("DROP DATABASE IF EXISTS " + DB);
        gateway.close();
    }

    @Test
    void showsTheKnownFiguresWithoutFilters() throws Exception {
        String page = ok("");
        assertEquals("32", metric(page, "enrolled"));
        assertEquals("0.5313", metric(page, "retention_rate"));
        assertTrue(page.contains("data-metric=\"people_reached_to_date\" data-key=\"shouhardo3\" data-value=\"20\""));
        assertEquals(List.of("iid-edu iid bd-dhaka 4", "shouhardo3 mms bd-sirajganj 8", "shouhardo3 ndp bd-sirajganj 20"),
                rows(page, "retention-by-partner-district", "program_id", "partner_id", "district_id", "enrolled"));
        assertEquals(List.of("iid-edu 2026-03 4", "shouhardo3 2026-01 12", "shouhardo3 2026-02 15", "shouhardo3 2026-03 9"),
                rows(page, "reached-per-month", "dimension_id", "period", "people_reached"));
        assertEquals(List.of("2026-01 5", "2026-02 0"), rows(page, "reached-per-month", "period", "female/all").subList(1, 3));
        assertEquals(List.of("people_reached 2026-Q1 40 20 0.5"),
                rows(page, "targets-vs-actuals", "indicator", "period", "target", "actual", "achievement"));
        assertEquals("3600", rows(page, "freshness", "table_name", "lag").stream()
                .filter(r -> r.startsWith("cohort_retention ")).findFirst().orElseThrow().split(" ")[1]);
        assertEquals(4, count(page, "<path class=\"curve\""));
        assertEquals(4, count(page, "<rect class=\"bar\""));
    }

    @Test
    void filtersByPartnerDistrictAndMonths() throws Exception {
        String ndp = ok("?program=shouhardo3&partner=ndp");
        assertEquals("20", metric(ndp, "enrolled"));
        assertEquals(List.of("ndp 2026-01 12", "ndp 2026-02 7"), rows(ndp, "reached-per-month", "dimension_id", "period", "people_reached"));
        assertTrue(ndp.contains("<option value=\"ndp\" selected>"));

        String months = ok("?district=bd-sirajganj&from=2026-02&to=2026-03");
        assertEquals(List.of("c-mms-1"), rows(months, "retention-per-cohort", "cohort_id"));
        assertEquals(List.of("bd-sirajganj 2026-02 15"), rows(months, "reached-per-month", "dimension_id", "period", "people_reached"));

        String both = ok("?partner=ndp&district=bd-sirajganj");
        // at risk first: c-ndp-2 lost 8 of 10, c-ndp-1 3 of 10
        assertEquals(List.of("c-ndp-2", "c-ndp-1"), rows(both, "retention-per-cohort", "cohort_id"));
        assertTrue(both.contains("data-outreach=\"none\""));
    }

    @Test
    void refusesFiltersThatNameNothingAndOffersTheChoices() throws Exception {
        HttpResponse<String> unknown = get("?partner=zzz");
        assertEquals(400, unknown.statusCode());
        assertTrue(unknown.body().contains("data-error=\"true\">unknown partner zzz (known: iid, mms, ndp)"), unknown.body());
        assertTrue(unknown.body().contains("<option value=\"mms\">MMS (mms) · shouhardo3</option>"), unknown.body());
        HttpResponse<String> elsewhere = get("?program=iid-edu&partner=ndp");
        assertEquals(400, elsewhere.statusCode());
        assertTrue(elsewhere.body().contains("partner ndp works in program shouhardo3, not in iid-edu"));
        assertEquals("4", gateway.queryValue("SELECT count() FROM " + DB + ".v_cohort_retention"));
    }

    @Test
    void aCohortPageShowsTheCohortsFiguresSessionsAndStatusesAsTheViewsHoldThem() throws Exception {
        String list = ok("?program=shouhardo3&partner=ndp");
        assertTrue(list.contains("<a href=\"/cohort?program=shouhardo3&amp;partner=ndp&amp;cohort=c-ndp-1\">c-ndp-1</a>"), list);
        String page = ok("cohort?program=shouhardo3&partner=ndp&cohort=c-ndp-1");
        Map<String, String> view = gateway.query("SELECT sessions_planned, sessions_held, enrolled, active, completed, dropped_out, "
                + "transferred, present_total AS sessions_attended, expected_total AS sessions_expected, round(retention_rate, 4) AS retention_rate, "
                + "round(dropout_rate, 4) AS dropout_rate, round(completion_rate, 4) AS completion_rate, round(attendance_rate, 4) AS attendance_rate, as_of "
                + "FROM " + DB + ".v_cohort_retention WHERE program_id = 'shouhardo3' AND partner_id = 'ndp' AND cohort_id = 'c-ndp-1'").get(0);
        for (var figure : view.entrySet()) {
            assertEquals(List.of(figure.getValue()), rows(page, "cohort", figure.getKey()), figure.getKey());
        }
        assertEquals(gateway.query("SELECT session_number, surviving FROM " + DB + ".v_retention_curve WHERE cohort_id = 'c-ndp-1' "
                + "AND partner_id = 'ndp' AND sex = 'all' AND age_band = 'all' ORDER BY session_number").stream()
                .map(r -> r.get("session_number") + " " + r.get("surviving")).toList(), rows(page, "cohort-sessions", "session_number", "surviving"));
        assertEquals(List.of("1 10", "2 8", "3 7"), rows(page, "cohort-sessions", "session_number", "surviving"));
        assertEquals(gateway.query("SELECT status, count() AS n, sum(sessions_attended) AS a FROM " + DB + ".v_participant_progress "
                + "WHERE cohort_id = 'c-ndp-1' GROUP BY status ORDER BY status").stream().map(r -> r.get("status") + " " + r.get("n") + " " + r.get("a"))
                .toList(), rows(page, "cohort-participants", "status", "persons", "sessions_attended"));
        assertEquals(List.of("active 2 9", "completed 1 5", "dropped_out 1 1"), rows(page, "cohort-participants", "status", "persons", "sessions_attended"));
        assertEquals(1, count(page, "<path class=\"curve\""));
        // session 1: a4's record retracted; session 2: a1 present, a2 absent, a3 first absent then corrected to present,
        // a5's event delivered again with another status (the later version stands, as in v_field_events_current)
        assertEquals(List.of("1 2", "2 3"), rows(page, "cohort-attendance", "session_number", "present"));
        assertEquals(gateway.query("SELECT session_number, uniqExact(person_id) AS n FROM " + DB + ".v_field_events_current "
                + "WHERE cohort_id = 'c-ndp-1' AND partner_id = 'ndp' AND event_type = 'attendance_recorded' AND status = 'present' "
                + "GROUP BY session_number ORDER BY session_number").stream().map(r -> r.get("session_number") + " " + r.get("n")).toList(),
                rows(page, "cohort-attendance", "session_number", "present"));
        assertFalse(page.contains("pseudonym-a"), "a person's pseudonym on the page");
        assertEquals(404, get("cohort?program=shouhardo3&partner=ndp&cohort=c-none").statusCode());
        assertEquals(404, get("cohort?program=shouhardo3&partner=mms&cohort=c-ndp-1").statusCode());
        assertEquals(400, get("cohort?program=shouhardo3&cohort=c-ndp-1").statusCode());
        assertEquals(400, get("cohort?program=shouhardo3&partner=ndp&cohort=c-ndp-1&sort=size").statusCode());
    }

    /** An attendance record of c-ndp-1; a higher revision of the same record corrects it. */
    private static Map<String, Object> present(String person, int session, String status, int revision) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        String root = "att-" + person + "-" + session;
        row.put("event_id", root + "-r" + revision);
        row.put("root_id", root);
        row.put("revision", revision);
        row.put("program_id", "shouhardo3");
        row.put("partner_id", "ndp");
        row.put("aggregate_id", "c-ndp-1");
        row.put("occurred_at", "2026-0" + session + "-15 09:00:00");
        row.put("received_at", "2026-0" + session + "-15 10:00:00");
        row.put("source", "csv");
        row.put("source_ref", root);
        row.put("event_type", "attendance_recorded");
        row.put("cohort_id", "c-ndp-1");
        row.put("session_number", session);
        row.put("person_id", person);
        row.put("status", status);
        row.put("source_topic", "hand");
        row.put("source_partition", 0);
        row.put("source_offset", 100 + revision);
        row.put("version", revision);
        return row;
    }

    /** The record's retraction, at the given event's revision. */
    private static Map<String, Object> retracted(Map<String, Object> event) {
        Map<String, Object> row = new java.util.LinkedHashMap<>(event);
        row.put("event_id", event.get("event_id") + "-x");
        row.put("event_type", "record_retracted");
        row.put("cohort_id", null);
        row.put("session_number", null);
        row.put("person_id", null);
        row.put("status", null);
        row.put("retraction_reason", "entered twice");
        return row;
    }

    /** The same event landed again at a higher version. */
    private static Map<String, Object> redelivered(Map<String, Object> event) {
        Map<String, Object> row = new java.util.LinkedHashMap<>(event);
        row.put("version", ((Number) event.get("version")).longValue() + 10);
        row.put("source_offset", ((Number) event.get("source_offset")).longValue() + 10);
        return row;
    }

    private static Map<String, Object> person(String id, String status, int attended) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("program_id", "shouhardo3");
        row.put("partner_id", "ndp");
        row.put("org_unit_id", "bd-sirajganj-sadar");
        row.put("cohort_id", "c-ndp-1");
        row.put("person_id", id);
        row.put("sex", "female");
        row.put("age_band", "youth_15_29");
        row.put("enrolled_on", "2026-01-10");
        row.put("status", status);
        row.put("sessions_expected", 5);
        row.put("sessions_attended", attended);
        row.put("attendance_rate", attended / 5.0);
        row.put("as_of", "2026-04-01 08:00:00");
        row.put("updated_at", "2026-04-01 08:00:05");
        row.put("version", 1);
        row.put("deleted", 0);
        return row;
    }

    private static String ok(String query) throws Exception {
        HttpResponse<String> response = get(query);
        assertEquals(200, response.statusCode(), response.body());
        assertFalse(response.body().contains("<script"));
        return response.body();
    }

    private static HttpResponse<String> get(String query) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + query)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String metric(String page, String metric) {
        Matcher m = Pattern.compile("data-metric=\"" + metric + "\" data-value=\"([^\"]*)\"").matcher(page);
        assertTrue(m.find(), "no tile " + metric);
        return m.group(1);
    }

    /** The data-value of the given columns in each row of a table, joined by spaces. */
    private static List<String> rows(String page, String section, String... columns) {
        int start = page.indexOf("data-section=\"" + section + "\"");
        assertTrue(start >= 0, "no table " + section);
        String table = page.substring(start, page.indexOf("</table>", start));
        List<String> rows = new ArrayList<>();
        Matcher row = Pattern.compile("<tr>(.*?)</tr>").matcher(table);
        while (row.find()) {
            List<String> values = new ArrayList<>();
            for (String column : columns) {
                Matcher cell = Pattern.compile("data-col=\"" + Pattern.quote(column) + "\" data-value=\"([^\"]*)\"").matcher(row.group(1));
                if (cell.find()) {
                    values.add(cell.group(1));
                }
            }
            if (values.size() == columns.length) {
                rows.add(String.join(" ", values));
            }
        }
        return rows;
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
