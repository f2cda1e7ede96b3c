package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.platform.TestServices;
import org.fieldstream.schema.Migrations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every report on the real ClickHouse 18.16, over the sink's own migrations and known rows written
 * into the metric and reference tables (stale versions and deleted rows included, so the reports
 * must read the FINAL views). The printed tables are parsed back and compared figure by figure.
 */
class ReportIT {

    private static final String DB = "it_reports_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-04-10T12:00:00Z"), ZoneOffset.UTC);
    private static final Path HTML_DIR = Path.of("target", "report-it");

    private static ClickHouseGateway gateway;
    private static Map<String, String> env;

    @BeforeAll
    static void load() {
        String url = TestServices.clickHouse().httpUrl();
        gateway = new ClickHouseGateway(url, "default", "");
        env = Map.of("FIELDSTREAM_CLICKHOUSE_URL", url, "FIELDSTREAM_CLICKHOUSE_DATABASE", DB);
        Migrations.apply(gateway, DB);
        KnownRows.insert(gateway, DB);
    }

    @AfterAll
    static void drop() {
        gateway.execute("DROP DATABASE IF EXISTS " + DB);
        gateway.close();
    }

    @Test
    void retentionPerCohortTotalsAndCurvesWithoutFilters() throws Exception {
        Path html = HTML_DIR.resolve("retention.html");
        String out = ok("retention", "--html", html.toString());

        Map<String, Map<String, String>> cohorts = byKey(PrintedTable.section(out, "Retention per cohort"), "cohort_id");
        assertEquals(List.of("c-iid-1", "c-mms-1", "c-ndp-1", "c-ndp-2"), List.copyOf(cohorts.keySet()));
        assertEquals(expected("program_id", "shouhardo3", "partner_id", "ndp", "district_id", "bd-sirajganj", "cohort_id", "c-ndp-1",
                "sessions_planned", "6", "sessions_held", "5", "enrolled", "10", "active", "5", "completed", "2", "dropped_out", "3",
                "transferred", "1", "sessions_attended", "40", "sessions_expected", "50", "retention_rate", "0.7", "dropout_rate", "0.3", "completion_rate", "0.2", "attendance_rate", "0.8",
                "as_of", "2026-04-10 11:00:00"), cohorts.get("c-ndp-1"));
        assertEquals("bd-dhaka", cohorts.get("c-iid-1").get("district_id"));
        assertEquals("0.9375", cohorts.get("c-iid-1").get("attendance_rate"));
        assertEquals("0.625", cohorts.get("c-mms-1").get("attendance_rate"));

        List<Map<String, String>> totals = PrintedTable.section(out, "Retention by partner and district");
        assertEquals(3, totals.size());
        assertEquals(expected("program_id", "shouhardo3", "partner_id", "ndp", "district_id", "bd-sirajganj", "cohorts", "2",
                "enrolled", "20", "active", "7", "completed", "2", "dropped_out", "11", "transferred", "1", "sessions_attended", "50",
                "sessions_expected", "80", "retention_rate", "0.45",
                "dropout_rate", "0.55", "completion_rate", "0.1", "attendance_rate", "0.625"),
                totals.stream().filter(r -> r.get("partner_id").equals("ndp")).findFirst().orElseThrow());

        assertEquals(List.of(expected("cohorts", "4", "enrolled", "32", "active", "14", "completed", "3", "dropped_out", "15",
                "transferred", "1", "sessions_attended", "85", "sessions_expected", "128", "retention_rate", "0.5313", "dropout_rate", "0.4688", "completion_rate", "0.0938",
                "attendance_rate", "0.6641")), PrintedTable.section(out, "Retention of all cohorts shown"));

        List<Map<String, String>> curve = PrintedTable.section(out, "Survival curve points");
        assertEquals(8, curve.size());
        assertEquals(List.of("1", "0.8", "0.7"), curve.stream().filter(r -> r.get("cohort_id").equals("c-ndp-1"))
                .map(r -> r.get("survival_rate")).toList());

        String page = Files.readString(html, StandardCharsets.UTF_8);
        assertEquals(4, count(page, "<path class=\"curve\""));
        assertTrue(out.contains("wrote " + html));
    }

    @Test
    void retentionFilteredByPartnerDistrictAndStartMonth() throws Exception {
        assertEquals(List.of("c-ndp-1", "c-ndp-2"), cohortIds(ok("retention", "--program", "shouhardo3", "--partner", "ndp")));
        assertEquals(List.of("c-iid-1"), cohortIds(ok("retention", "--district", "bd-dhaka")));
        assertEquals(List.of("c-mms-1", "c-ndp-1", "c-ndp-2"), cohortIds(ok("retention", "--district", "bd-sirajganj")));

        Path html = HTML_DIR.resolve("retention-q1.html");
        String out = ok("retention", "--from", "2026-01", "--to", "2026-02", "--html", html.toString());
        assertEquals(List.of("c-mms-1", "c-ndp-1"), cohortIds(out));
        assertEquals(5, PrintedTable.section(out, "Survival curve points").size());
        assertEquals(2, count(Files.readString(html, StandardCharsets.UTF_8), "<path class=\"curve\""));
        assertEquals(List.of("c-ndp-2"), cohortIds(ok("retention", "--partner", "ndp", "--from", "2026-04")));
    }

    /**
     * A period selects exactly the cohorts that start in it, by program, partner and cohort id: ndp and
     * mms both name a cohort c-shared, one starting on the last day of January, one on the first of
     * February. Read with the period's cohorts as literals and as a subquery, with none, one and two.
     */
    @Test
    void periodSelectsTheCohortsStartingInItWhenTwoPartnersShareACohortId() {
        String db = DB + "_period";
        Migrations.apply(gateway, db);
        try {
            gateway.insertJsonEachRow(db, "cohort_retention", List.of(
                    KnownRows.cohort("c-shared", "ndp", "bd-sirajganj-sadar", 1, 10, 6, 0, 4, 0, 30, 40),
                    KnownRows.cohort("c-shared", "mms", "bd-sirajganj-chauhali", 1, 8, 2, 0, 6, 0, 10, 32),
                    KnownRows.cohort("c-late", "ndp", "bd-sirajganj-sadar", 1, 5, 5, 0, 0, 0, 5, 5)));
            List<Map<String, Object>> curve = new ArrayList<>(KnownRows.curve("shouhardo3", "ndp", "c-shared", 10, 10, 6));
            curve.addAll(KnownRows.curve("shouhardo3", "mms", "c-shared", 8, 8, 2));
            curve.addAll(KnownRows.curve("shouhardo3", "ndp", "c-late", 5, 5));
            gateway.insertJsonEachRow(db, "retention_curve", curve);
            gateway.insertJsonEachRow(db, "field_events", List.of(
                    KnownRows.registered("shouhardo3", "ndp", "c-shared", "2026-01-31", 1, "reg-ndp-c-shared"),
                    KnownRows.registered("shouhardo3", "mms", "c-shared", "2026-02-01", 2, "reg-mms-c-shared"),
                    KnownRows.registered("shouhardo3", "ndp", "c-late", "2026-02-01", 3, "reg-ndp-c-late")));
            Filters january = new Filters("shouhardo3", null, null, LocalDate.parse("2026-01-01"), LocalDate.parse("2026-01-31"));
            Filters february = new Filters(null, null, null, LocalDate.parse("2026-02-01"), LocalDate.parse("2026-02-28"));
            Filters none = new Filters(null, null, null, LocalDate.parse("2027-01-01"), null);
            for (int literalChars : new int[] {RetentionReport.PERIOD_LITERAL_CHARS, 0}) {
                RetentionReport report = new RetentionReport(gateway, db, literalChars);
                String as = literalChars == 0 ? "as a subquery" : "as literals";

                ReportOutput jan = report.run(january);
                assertEquals(List.of("ndp/c-shared 10"), perCohort(jan), as);
                assertEquals(List.of("ndp/c-shared 1.0", "ndp/c-shared 0.6"), points(jan), as);
                assertEquals("1 10", summary(jan), as);
                RetentionReport.Listed page = report.page(january, DashboardListing.DEFAULT);
                assertEquals(List.of("ndp/c-shared 10"), perCohort(page.output()), as);
                assertEquals(1L, page.totals().get(DashboardListing.COHORTS), as);
                assertEquals(2L, page.totals().get("survival-points"), as);

                ReportOutput feb = report.run(february);
                assertEquals(List.of("mms/c-shared 8", "ndp/c-late 5"), perCohort(feb), as);
                assertEquals(List.of("mms/c-shared 1.0", "mms/c-shared 0.25", "ndp/c-late 1.0"), points(feb), as);
                assertEquals("2 13", summary(feb), as);

                ReportOutput later = report.run(none);
                assertEquals(List.of(), perCohort(later), as);
                assertEquals(List.of(), points(later), as);
                assertEquals(0L, report.page(none, DashboardListing.DEFAULT).totals().get(DashboardListing.COHORTS), as);
            }
        } finally {
            gateway.execute("DROP DATABASE IF EXISTS " + db);
        }
    }

    private static List<String> perCohort(ReportOutput retention) {
        return Dashboard.section(retention, RetentionReport.PER_COHORT).rows().stream()
                .map(r -> (ReportRows.CohortRetentionRow) r).map(r -> r.partnerId() + "/" + r.cohortId() + " " + r.enrolled()).toList();
    }

    private static List<String> points(ReportOutput retention) {
        return Dashboard.section(retention, RetentionReport.CURVE_POINTS).rows().stream()
                .map(r -> (ReportRows.SurvivalPointRow) r).map(r -> r.partnerId() + "/" + r.cohortId() + " " + r.survivalRate()).toList();
    }

    private static String summary(ReportOutput retention) {
        return Dashboard.section(retention, RetentionReport.ALL_COHORTS).rows().stream()
                .map(r -> (ReportRows.RetentionSummaryRow) r).map(r -> r.cohorts() + " " + r.enrolled()).findFirst().orElse("none");
    }

    @Test
    void outreachByProgramPartnerDistrictAndMonths() throws Exception {
        Path html = HTML_DIR.resolve("outreach.html");
        String all = ok("outreach", "--html", html.toString());
        assertEquals(List.of("iid-edu 2026-03 4 4", "shouhardo3 2026-01 12 12", "shouhardo3 2026-02 15 6", "shouhardo3 2026-03 9 2"),
                monthly(all));
        assertEquals(List.of("shouhardo3 2026-Q1 20"), PrintedTable.section(all, "People reached per quarter").stream()
                .map(r -> r.get("dimension_id") + " " + r.get("period") + " " + r.get("people_reached")).toList());
        assertEquals("20", PrintedTable.section(all, "People reached to date").stream()
                .filter(r -> r.get("dimension_id").equals("shouhardo3")).findFirst().orElseThrow().get("people_reached"));
        String page = Files.readString(html, StandardCharsets.UTF_8);
        assertEquals(4, count(page, "<rect class=\"bar\""));

        assertEquals(List.of(expected("program_id", "shouhardo3", "dimension", "program", "dimension_id", "shouhardo3", "period", "2026-01",
                "sex", "female", "age_band", "all", "people_reached", "5", "new_people_reached", "5")),
                PrintedTable.section(all, "People reached per month by sex and age band"));
        assertEquals(List.of(), PrintedTable.section(all, "People reached per quarter by sex and age band"));

        String partner = ok("outreach", "--partner", "ndp");
        assertEquals(List.of("ndp 2026-01 12 12", "ndp 2026-02 7 3"), monthly(partner));
        assertEquals("13", PrintedTable.section(partner, "People reached per quarter").get(0).get("people_reached"));

        assertEquals(List.of("bd-sirajganj 2026-01 12 12", "bd-sirajganj 2026-02 15 6"), monthly(ok("outreach", "--district", "bd-sirajganj")));

        String months = ok("outreach", "--program", "shouhardo3", "--from", "2026-02", "--to", "2026-03");
        assertEquals(List.of("shouhardo3 2026-02 15 6", "shouhardo3 2026-03 9 2"), monthly(months));
        assertEquals(1, PrintedTable.section(months, "People reached per quarter").size());
        Map<String, String> target = PrintedTable.section(months, "Targets vs actuals").get(0);
        assertEquals(List.of("people_reached", "2026-Q1", "40", "20", "0.5"), List.of(target.get("indicator"), target.get("period"),
                target.get("target"), target.get("actual"), target.get("achievement")));
    }

    @Test
    void freshnessShowsAsOfUpdatedAtAndLag() {
        Map<String, Map<String, String>> tables = byKey(PrintedTable.section(ok("freshness"), "Freshness per table"), "table_name");
        assertEquals(expected("table_name", "cohort_retention", "row_count", "4", "as_of", "2026-04-10 11:00:00",
                "updated_at", "2026-04-10 11:00:05", "lag", "1h 00m 00s"), tables.get("cohort_retention"));
        assertEquals("2d 12h 00m 00s", tables.get("outreach").get("lag"));
        assertEquals("no rows", tables.get("dialogues").get("lag"));
        assertEquals(8, tables.size());
    }

    @Test
    void unknownOrMismatchedReferencesAreRefusedClearly() {
        assertEquals("report: unknown partner zzz (known: iid, mms, ndp)", refused("retention", "--partner", "zzz"));
        assertEquals("report: partner ndp works in program shouhardo3, not in iid-edu",
                refused("outreach", "--program", "iid-edu", "--partner", "ndp"));
        assertEquals("report: unknown district bd-sirajganj-sadar (known: bd-dhaka, bd-sirajganj)",
                refused("retention", "--district", "bd-sirajganj-sadar"));
        assertTrue(refused("retention", "--program", "nope").startsWith("report: unknown program nope (known: iid-edu, shouhardo3)"));
    }

    @Test
    void retentionWithoutFullListsTheCohortsAtRiskFirstAndThePooledCurve() {
        String out = ok("summary", "retention");
        // c-ndp-2 lost 8 of 10, c-mms-1 4 of 8, c-ndp-1 3 of 10, c-iid-1 none
        assertEquals(List.of("c-ndp-2", "c-mms-1", "c-ndp-1", "c-iid-1"), cohortIds(out));
        assertTrue(out.contains("at risk first: highest dropout rate, then lowest attendance"), out);
        List<Map<String, String>> pooled = PrintedTable.section(out, "Survival of the cohorts shown, persons pooled");
        // session 2: c-ndp-1 8 of 10, c-ndp-2 4 of 10, c-mms-1 4 of 8 (c-iid-1 held one session)
        Map<String, String> second = pooled.stream().filter(r -> r.get("session_number").equals("2")).findFirst().orElseThrow();
        assertEquals("3", second.get("cohorts"));
        assertEquals("28", second.get("enrolled"));
        assertEquals("16", second.get("surviving"));
        assertEquals("0.5714", second.get("survival_rate"));
    }

    @Test
    void injectionAttemptsAreRefusedAndChangeNothing() {
        for (String hostile : List.of("' OR 1=1 --", "ndp' OR '1'='1", "ndp\\' --", "ndp\u2019")) {
            assertTrue(refused("retention", "--partner", hostile).startsWith("report: invalid --partner"), hostile);
        }
        assertTrue(refused("outreach", "--from", "2026-01' OR 1=1 --").startsWith("report: invalid --from"));
        assertEquals("4", gateway.queryValue("SELECT count() FROM " + DB + ".v_cohort_retention"));
    }

    /** The report with every row (--full added for retention and outreach), or as given with "summary" first. */
    private static String ok(String... given) {
        boolean summary = given[0].equals("summary");
        List<String> list = new ArrayList<>(List.of(given).subList(summary ? 1 : 0, given.length));
        if (!summary && !list.get(0).equals("freshness")) {
            list.add("--full");
        }
        String[] args = list.toArray(String[]::new);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = ReportCommand.run(args, env, new PrintStream(bytes, true, StandardCharsets.UTF_8), NOW);
        String out = bytes.toString(StandardCharsets.UTF_8);
        // the printed report, for a reader of the failsafe log
        System.out.println("$ fieldstream report " + String.join(" ", args) + "\n" + out);
        assertEquals(ReportCommand.OK, code, out);
        return out;
    }

    /** The first line printed for a refused request. */
    private static String refused(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = ReportCommand.run(args, env, new PrintStream(bytes, true, StandardCharsets.UTF_8), NOW);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(ReportCommand.REFUSED, code, out);
        return out.lines().findFirst().orElse("");
    }

    private static List<String> cohortIds(String out) {
        return PrintedTable.section(out, "Retention per cohort").stream().map(r -> r.get("cohort_id")).toList();
    }

    private static List<String> monthly(String out) {
        return PrintedTable.section(out, "People reached per month").stream()
                .map(r -> r.get("dimension_id") + " " + r.get("period") + " " + r.get("people_reached") + " " + r.get("new_people_reached"))
                .toList();
    }

    private static Map<String, Map<String, String>> byKey(List<Map<String, String>> rows, String key) {
        Map<String, Map<String, String>> byKey = new LinkedHashMap<>();
        rows.forEach(row -> byKey.put(row.get(key), row));
        return byKey;
    }

    private static Map<String, String> expected(String... pairs) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            row.put(pairs[i], pairs[i + 1]);
        }
        return row;
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    /** Reads a table back from the command's output, column spans taken from its rule line. */
    static final class PrintedTable {

        private PrintedTable() {
        }

        static List<Map<String, String>> section(String out, String title) {
            List<String> lines = out.lines().toList();
            int start = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).equals(title) || lines.get(i).startsWith(title + " — ")) {
                    start = i;
                    break;
                }
            }
            assertTrue(start >= 0, "no section " + title + " in:\n" + out);
            List<Map<String, String>> rows = new ArrayList<>();
            if (lines.get(start + 1).strip().equals("(no rows)")) {
                return rows;
            }
            String header = lines.get(start + 1);
            String rule = lines.get(start + 2);
            List<int[]> spans = new ArrayList<>();
            for (int i = 0; i < rule.length(); i++) {
                if (rule.charAt(i) == '-' && (i == 0 || rule.charAt(i - 1) == ' ')) {
                    int end = rule.indexOf(' ', i);
                    spans.add(new int[] {i, end < 0 ? rule.length() : end});
                }
            }
            for (int l = start + 3; l < lines.size() && !lines.get(l).isBlank() && !lines.get(l).startsWith("wrote "); l++) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int[] span : spans) {
                    row.put(cut(header, span), cut(lines.get(l), span));
                }
                rows.add(row);
            }
            return rows;
        }

        private static String cut(String line, int[] span) {
            return line.substring(Math.min(span[0], line.length()), Math.min(span[1], line.length())).strip();
        }
    }
}
