package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.Test;

/**
 * The dashboard's first page stays within fixed bounds whatever the number of cohorts: ReportIT's
 * known rows plus as many cohorts of partner ndp as the generator's small and medium programs have
 * (each with a 9-session survival curve), on the real ClickHouse 18.16. Paging, order and search
 * list the cohorts a query on v_cohort_retention lists, and a CSV download has every row.
 */
class DashboardScaleIT {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-04-10T12:00:00Z"), ZoneOffset.UTC);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int MAX_BYTES = 250_000;
    private static final int MAX_ROWS = 260;
    private static final int MAX_SVG = 900;
    private static final int SESSIONS = 9;
    /** A cohort id a CSV must quote and a search must pass as a literal. */
    private static final String ODD = "c-odd,\"q'\"";

    @Test
    void theFirstPageIsBoundedAndListsWhatTheViewLists() throws Exception {
        // the cohorts of the generator's small and medium programs (seeds' Size.SMALL, Size.MEDIUM);
        // -Dfieldstream.dashboard.scale=40,400,4000 measures other sizes too
        List<Map.Entry<String, Integer>> sizes = System.getProperty("fieldstream.dashboard.scale") == null
                ? List.of(Map.entry("small", 40), Map.entry("medium", 400))
                : java.util.Arrays.stream(System.getProperty("fieldstream.dashboard.scale").split(","))
                        .map(n -> Map.entry(n + " cohorts", Integer.parseInt(n.strip()))).toList();
        for (Map.Entry<String, Integer> size : sizes) {
            String db = "it_dash_scale_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
            try (ClickHouseGateway gateway = new ClickHouseGateway(TestServices.clickHouse().httpUrl(), "default", "")) {
                Migrations.apply(gateway, db);
                KnownRows.insert(gateway, db);
                insertCohorts(gateway, db, size.getValue());
                DashboardSettings settings = DashboardSettings.load(Map.of("FIELDSTREAM_CLICKHOUSE_URL", TestServices.clickHouse().httpUrl(),
                        "FIELDSTREAM_CLICKHOUSE_DATABASE", db, "FIELDSTREAM_DASHBOARD_PORT", "0", "FIELDSTREAM_DASHBOARD_LOGIN", "open"));
                try (DashboardServer server = DashboardServer.start(settings, NOW)) {
                    String period = " AND program_id = 'shouhardo3' AND (partner_id, cohort_id) IN (SELECT partner_id, cohort_id FROM " + db
                            + ".v_cohort_starts WHERE program_id = 'shouhardo3' AND start_date >= toDate('2026-01-01') AND start_date <= toDate('2026-03-31'))";
                    Map<String, String> where = Map.of("", "", "program=shouhardo3&partner=ndp", " AND program_id = 'shouhardo3' AND partner_id = 'ndp'",
                            "program=shouhardo3&from=2026-01&to=2026-03", period);
                    for (String filters : List.of("", "program=shouhardo3&partner=ndp", "program=shouhardo3&from=2026-01&to=2026-03")) {
                        long start = System.nanoTime();
                        String page = ok(server, "/?" + filters);
                        long millis = (System.nanoTime() - start) / 1_000_000;
                        int bytes = page.getBytes(StandardCharsets.UTF_8).length;
                        int rows = count(page, "<tr>");
                        int svg = count(page, "<circle") + count(page, "<path") + count(page, "<rect");
                        System.out.printf("dashboard scale %s (%d cohorts) ?%s: %d bytes, %d table rows, %d svg elements, %d ms%n",
                                size.getKey(), size.getValue() + 4, filters, bytes, rows, svg, millis);
                        assertTrue(bytes < MAX_BYTES, size.getKey() + ": " + bytes + " bytes");
                        assertTrue(rows < MAX_ROWS, size.getKey() + ": " + rows + " table rows");
                        assertTrue(svg < MAX_SVG, size.getKey() + ": " + svg + " svg elements");
                        pooledIsTheViewsPersonsPooled(page, gateway, db, where.get(filters));
                        assertTrue(page.contains("data-pager=\"retention-per-cohort\" data-total=\"" + gateway.queryValue("SELECT count() FROM " + db
                                + ".v_cohort_retention WHERE 1" + where.get(filters)) + "\""), filters);
                        assertTrue(page.contains("data-pager=\"survival-points\" data-total=\"" + gateway.queryValue("SELECT count() FROM " + db
                                + ".v_retention_curve WHERE sex = 'all' AND age_band = 'all'" + where.get(filters)) + "\""), filters);
                    }
                    listsWhatTheViewLists(server, gateway, db, size.getValue() + 4);
                } finally {
                    gateway.execute("DROP DATABASE IF EXISTS " + db);
                }
            }
        }
    }

    /**
     * The pooled curve on the page is the one recomputed here from the cohorts' own survival rows:
     * persons present then or later, summed, over persons enrolled, summed, at each session; each
     * session's band lies within the cohorts' rates; more than 10 cohorts: no line per cohort.
     */
    private static void pooledIsTheViewsPersonsPooled(String page, ClickHouseGateway gateway, String db, String where) {
        Map<Long, long[]> sums = new java.util.TreeMap<>();
        Map<Long, double[]> range = new java.util.TreeMap<>();
        for (Map<String, String> row : gateway.query("SELECT session_number, enrolled, surviving, survival_rate FROM " + db
                + ".v_retention_curve WHERE sex = 'all' AND age_band = 'all'" + where)) {
            long session = Long.parseLong(row.get("session_number"));
            long[] sum = sums.computeIfAbsent(session, k -> new long[3]);
            sum[0]++;
            sum[1] += Long.parseLong(row.get("enrolled"));
            sum[2] += Long.parseLong(row.get("surviving"));
            double rate = Double.parseDouble(row.get("survival_rate"));
            double[] r = range.computeIfAbsent(session, k -> new double[] {rate, rate});
            r[0] = Math.min(r[0], rate);
            r[1] = Math.max(r[1], rate);
        }
        List<String> sessions = cells(page, "pooled-survival", "session_number");
        assertEquals(sums.keySet().stream().map(String::valueOf).toList(), sessions);
        List<String> rates = cells(page, "pooled-survival", "survival_rate");
        List<String> low = cells(page, "pooled-survival", "survival_p10");
        List<String> high = cells(page, "pooled-survival", "survival_p90");
        int i = 0;
        for (var entry : sums.entrySet()) {
            long[] sum = entry.getValue();
            assertEquals(String.valueOf(sum[0]), cells(page, "pooled-survival", "cohorts").get(i), "cohorts at session " + entry.getKey());
            assertEquals(String.valueOf(sum[1]), cells(page, "pooled-survival", "enrolled").get(i));
            assertEquals(String.valueOf(sum[2]), cells(page, "pooled-survival", "surviving").get(i));
            assertEquals((double) sum[2] / sum[1], Double.parseDouble(rates.get(i)), 0.00005 + 1e-9, "pooled at session " + entry.getKey());
            double[] r = range.get(entry.getKey());
            double p10 = Double.parseDouble(low.get(i));
            double p90 = Double.parseDouble(high.get(i));
            assertTrue(r[0] - 1e-4 <= p10 && p10 <= p90 && p90 <= r[1] + 1e-4, "band at session " + entry.getKey() + ": " + p10 + "–" + p90);
            i++;
        }
        assertEquals(sums.size(), count(page, "data-pooled-session="), "pooled points drawn");
        assertEquals(1, count(page, "<path class=\"band\""));
        assertEquals(0, count(page, "<path class=\"curve\""), "more than 10 cohorts: no line per cohort");
    }

    private static void listsWhatTheViewLists(DashboardServer server, ClickHouseGateway gateway, String db, int cohorts) throws Exception {
        String order = "ORDER BY %s, program_id, partner_id, cohort_id";
        Map<String, String> sorts = Map.of("", "dropout_rate DESC, attendance_rate ASC", "sort=size&", "enrolled DESC",
                "sort=retention&", "retention_rate DESC", "sort=dropout&", "dropout_rate DESC");
        for (var sort : sorts.entrySet()) {
            for (int page : List.of(0, 1, (cohorts - 1) / 25)) {
                List<String> expected = column(gateway, "SELECT cohort_id FROM " + db + ".v_cohort_retention "
                        + order.formatted(sort.getValue()) + " LIMIT 25 OFFSET " + page * 25);
                String html = ok(server, "/?" + sort.getKey() + "page=" + page);
                assertEquals(expected, cells(html, "retention-per-cohort", "cohort_id"), sort.getKey() + "page " + page);
                assertTrue(html.contains("data-pager=\"retention-per-cohort\" data-total=\"" + cohorts + "\""));
            }
        }
        String search = ok(server, "/?q=%22Q%27");
        assertEquals(List.of(ODD), cells(search, "retention-per-cohort", "cohort_id"));
        List<String> tens = column(gateway, "SELECT cohort_id FROM " + db + ".v_cohort_retention WHERE position(cohort_id, 'scale-1') > 0 "
                + order.formatted("dropout_rate DESC, attendance_rate ASC") + " LIMIT 25");
        assertEquals(tens, cells(ok(server, "/?q=SCALE-1"), "retention-per-cohort", "cohort_id"));
        assertTrue(tens.size() > 1, "too few cohorts found: " + tens);

        HttpResponse<String> csv = get(server, "/csv/retention-per-cohort?program=shouhardo3");
        assertEquals(200, csv.statusCode());
        assertEquals("attachment; filename=\"retention-per-cohort.csv\"", csv.headers().firstValue("Content-Disposition").orElse(""));
        assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        assertTrue(csv.body().startsWith("\uFEFF"), "a byte order mark");
        List<String> lines = List.of(csv.body().substring(1).split("\r\n"));
        assertEquals(Long.parseLong(gateway.queryValue("SELECT count() FROM " + db + ".v_cohort_retention WHERE program_id = 'shouhardo3'")),
                lines.size() - 1, "CSV rows");
        assertTrue(lines.get(0).startsWith("program_id,partner_id,district_id,cohort_id,"), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("shouhardo3,ndp,bd-sirajganj,\"c-odd,\"\"q'\"\"\",")), "the odd id quoted");
        HttpResponse<String> points = get(server, "/csv/survival-points");
        assertEquals(Long.parseLong(gateway.queryValue("SELECT count() FROM " + db + ".v_retention_curve WHERE sex = 'all' AND age_band = 'all'")),
                points.body().split("\r\n").length - 1L, "CSV survival points");
    }

    /** Cohorts c-scale-0 .. c-scale-(n-2) and the odd one, with figures that differ from cohort to cohort, and their registrations. */
    static void insertCohorts(ClickHouseGateway gateway, String db, int n) {
        List<Map<String, Object>> cohorts = new ArrayList<>();
        List<Map<String, Object>> curve = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = i == n - 1 ? ODD : "c-scale-" + i;
            int enrolled = 15 + i % 17;
            int dropped = (i * 7) % (enrolled / 2);
            int completed = (i * 3) % 5;
            int active = enrolled - dropped - completed;
            int expected = enrolled * 10;
            cohorts.add(KnownRows.cohort(id, "ndp", "bd-sirajganj-sadar", 2, enrolled, active, completed, dropped, 0,
                    expected - (i * 13) % (expected / 2), expected));
            int[] surviving = new int[SESSIONS];
            for (int s = 0; s < SESSIONS; s++) {
                surviving[s] = Math.max(active, enrolled - (s * dropped) / SESSIONS);
            }
            curve.addAll(KnownRows.curve("shouhardo3", "ndp", id, enrolled, surviving));
        }
        gateway.insertJsonEachRow(db, "cohort_retention", cohorts);
        gateway.insertJsonEachRow(db, "retention_curve", curve);
        List<Map<String, Object>> registered = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // starting from January to June; the odd one in February
            String start = i == n - 1 ? "2026-02-14" : java.time.LocalDate.parse("2026-01-01").plusDays((i * 7L) % 180).toString();
            registered.add(KnownRows.registered("shouhardo3", "ndp", i == n - 1 ? ODD : "c-scale-" + i, start, 100 + i, "reg-scale-" + i));
        }
        gateway.insertJsonEachRow(db, "field_events", registered);
    }

    private static List<String> column(ClickHouseGateway gateway, String sql) {
        return gateway.query(sql).stream().map(r -> r.get("cohort_id")).toList();
    }

    private static String ok(DashboardServer server, String path) throws Exception {
        HttpResponse<String> response = get(server, path);
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private static HttpResponse<String> get(DashboardServer server, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.url().resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The data-value of a column in each row of a table, HTML entities read back. */
    static List<String> cells(String page, String section, String column) {
        int start = page.indexOf("data-section=\"" + section + "\"");
        assertTrue(start >= 0, "no table " + section);
        String table = page.substring(start, page.indexOf("</table>", start));
        List<String> values = new ArrayList<>();
        Matcher cell = Pattern.compile("data-col=\"" + Pattern.quote(column) + "\" data-value=\"([^\"]*)\"").matcher(table);
        while (cell.find()) {
            values.add(cell.group(1).replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"));
        }
        return values;
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
