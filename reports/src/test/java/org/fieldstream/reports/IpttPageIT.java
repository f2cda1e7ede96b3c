package org.fieldstream.reports;

import static org.fieldstream.reports.IpttRows.cohortGroup;
import static org.fieldstream.reports.IpttRows.dialogue;
import static org.fieldstream.reports.IpttRows.inGroup;
import static org.fieldstream.reports.IpttRows.person;
import static org.fieldstream.reports.IpttRows.reach;
import static org.fieldstream.reports.IpttRows.row;
import static org.fieldstream.reports.IpttRows.target;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.platform.LocalClickHouse;
import org.fieldstream.platform.TestServices;
import org.fieldstream.schema.AnalystAccounts;
import org.fieldstream.schema.AnalystScope;
import org.fieldstream.schema.Migrations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IPTT page of the dashboard over HTTP on the real ClickHouse 18.16, with IpttIT's October
 * program and targets for the rate indicators: every cell of the page equals the CSV that
 * {@code report iptt} writes for the same program and year, the rate targets' % achieved and flags
 * are there and their actuals equal {@code dash_targets_vs_actuals}; the CSV download is the command's
 * CSV byte for byte; the workbook download, converted by LibreOffice, shows every figure of the page;
 * a dialogue kind planted as {@code =HYPERLINK("http://x","y")} arrives as text in the page, the CSV and
 * the workbook. A program analyst, logged in, reads their program's IPTT as themselves and gets 403 for
 * another program; a partner analyst gets 403 and the reason. LibreOffice: {@code bin/install-deps --tests},
 * or FIELDSTREAM_SOFFICE naming its soffice binary.
 */
class IpttPageIT {

    private static final String DB = "it_ipttpage_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final String PLANTED = "=HYPERLINK(\"http://x\",\"y\")";
    /** In the October program's FY2026 (October 2025 to September 2026). */
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-04-10T12:00:00Z"), ZoneOffset.UTC);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern ROW = Pattern.compile("<tr class=\"(indicator|sub)\">(.*?)</tr>");
    private static final Pattern CELL = Pattern.compile("<td[^>]* data-col=\"([^\"]*)\" data-value=\"([^\"]*)\">");

    private static ClickHouseGateway gateway;
    private static Map<String, String> env;
    private static DashboardServer open;

    @TempDir
    Path work;

    @BeforeAll
    static void load() throws Exception {
        String url = TestServices.clickHouse().httpUrl();
        gateway = new ClickHouseGateway(url, "default", "");
        env = Map.of("FIELDSTREAM_CLICKHOUSE_URL", url, "FIELDSTREAM_CLICKHOUSE_DATABASE", DB);
        Migrations.apply(gateway, DB);
        gateway.insertJsonEachRow(DB, "programs", List.of(row("program_id", "p-oct", "name", "October program", "start_date", "2025-10-01",
                "dropout_missed_sessions", 3, "completion_attendance", 0.8, "fiscal_year_start_month", 10, "deviation_threshold", 0.1,
                "version", 1), row("program_id", "p-jan", "name", "January program", "start_date", "2025-01-01",
                "dropout_missed_sessions", 3, "completion_attendance", 0.8, "fiscal_year_start_month", 1, "deviation_threshold", 0.1,
                "version", 1)));
        gateway.insertJsonEachRow(DB, "partners", List.of(row("partner_id", "x", "program_id", "p-oct", "name", "Partner X", "version", 1),
                row("partner_id", "y", "program_id", "p-jan", "name", "Partner Y", "version", 2)));
        gateway.insertJsonEachRow(DB, "outreach", List.of(
                reach("fiscal_year", "FY2026-10", "2025-10-01", 30, 25),
                inGroup("female", "youth_15_29", reach("fiscal_year", "FY2026-10", "2025-10-01", 24, 20)),
                inGroup("unknown", "unknown", reach("fiscal_year", "FY2026-10", "2025-10-01", 6, 5)),
                reach("quarter", "2025-Q4", "2025-10-01", 12, 12),
                inGroup("female", "youth_15_29", reach("quarter", "2025-Q4", "2025-10-01", 12, 12)),
                reach("quarter", "2026-Q1", "2026-01-01", 10, 7),
                inGroup("female", "youth_15_29", reach("quarter", "2026-Q1", "2026-01-01", 10, 7)),
                reach("to_date", "all", "2025-10-01", 40, 40),
                inGroup("female", "youth_15_29", reach("to_date", "all", "2025-10-01", 30, 30)),
                inGroup("unknown", "unknown", reach("to_date", "all", "2025-10-01", 10, 10))));
        gateway.insertJsonEachRow(DB, "participant_progress", List.of(
                person("a", "2025-11-03", "completed", "2026-01-31 18:00:00"),
                inGroup("male", "adult_30_plus", person("b", "2026-08-01", "dropped_out", "2026-09-09 18:00:00")),
                person("c", "2026-10-05", "active", "2026-10-05 18:00:00")));
        gateway.insertJsonEachRow(DB, "dialogues", List.of(dialogue("d1", "policy_dialogue", "2026-10-01", 1, 1, 0, 0),
                dialogue("d2", PLANTED, "2026-01-10", 2, 2, 0, 1)));
        // c1 starts in FY2026-Q1 (4 persons: 1 active, 1 completed, 2 dropped out), c2 in FY2027 (2 active)
        gateway.insertJsonEachRow(DB, "field_events", List.of(KnownRows.registered("p-oct", "x", "c1", "2025-11-01", 1, "reg-c1"),
                KnownRows.registered("p-oct", "x", "c2", "2026-10-01", 2, "reg-c2"),
                KnownRows.registered("p-jan", "y", "j1", "2026-02-01", 3, "reg-j1")));
        gateway.insertJsonEachRow(DB, "cohort_retention_by_group", List.of(cohortGroup("c1", "female", "youth_15_29", 3, 1, 1, 1),
                cohortGroup("c1", "male", "adult_30_plus", 1, 0, 0, 1), cohortGroup("c2", "unknown", "unknown", 2, 2, 0, 0)));
        gateway.insertJsonEachRow(DB, "targets", List.of(
                target("people_reached", "FY2026", 25.0, 3.0),
                target("enrolled", "FY2026", 2.0, null),
                target("retention_rate", "FY2026", 0.8, 0.7),
                target("retention_rate", "all", 0.75, null),
                target("dropout_rate", "FY2026", 0.3, null),
                target("dialogue_attendance", "FY2026", 5.0, 0.0),
                target("retention_rate", "FY2027", 0.9, null)));
        DashboardSettings settings = DashboardSettings.load(Map.of("FIELDSTREAM_CLICKHOUSE_URL", url, "FIELDSTREAM_CLICKHOUSE_DATABASE", DB,
                "FIELDSTREAM_DASHBOARD_PORT", "0", "FIELDSTREAM_DASHBOARD_LOGIN", "open"));
        open = DashboardServer.start(settings, NOW);
    }

    @AfterAll
    static void drop() {
        open.close();
        gateway.execute("DROP DATABASE IF EXISTS " + DB);
        gateway.close();
    }

    @Test
    void everyCellIsTheCommandsAndBothDownloadsParse() throws Exception {
        HttpResponse<String> response = get(open.url(), "/iptt?program=p-oct", null);
        assertEquals(200, response.statusCode(), response.body());
        String page = response.body();
        assertTrue(page.contains("data-fiscal-year=\"FY2026\""), "the fiscal year holding today by default");
        assertTrue(page.contains("<option value=\"FY2027\">FY2027</option><option value=\"FY2026\" selected>FY2026</option>"),
                "the years with targets or records, latest first: " + between(page, "<select name=\"fiscal_year\">", "</select>"));
        assertEquals("default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
                response.headers().firstValue("Content-Security-Policy").orElse(""));
        assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertFalse(page.contains(PLANTED), "the planted kind is escaped");
        assertTrue(page.contains(Html.escape(PLANTED)), "and shown as text");

        Path csvFile = work.resolve("iptt.csv");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = ReportCommand.run(new String[] {"iptt", "--program", "p-oct", "--fiscal-year", "FY2026", "--csv", csvFile.toString()}, env,
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(ReportCommand.OK, code, out.toString(StandardCharsets.UTF_8));
        byte[] command = Files.readAllBytes(csvFile);
        List<List<String>> commandLines = IpttWorkbookIT.parse(new String(command, StandardCharsets.UTF_8).substring(1));
        assertEquals(IpttReport.HEADER, commandLines.get(0));

        List<List<String>> shown = cells(page);
        assertEquals(commandLines.size() - 1, shown.size(), "one row of the page per line of the command's CSV");
        int figures = 0;
        for (int i = 0; i < shown.size(); i++) {
            List<String> expected = commandLines.get(i + 1).stream().map(IpttPageIT::unquoted).toList();
            assertEquals(expected, shown.get(i), "row " + (i + 1));
            figures += (int) shown.get(i).stream().filter(c -> !c.isEmpty()).count();
        }
        assertTrue(figures > 300, "cells compared: " + figures);
        assertTrue(page.contains("<tr class=\"sub\"><td class=\"label\" data-col=\"indicator\" data-value=\"people_reached\">"),
                "disaggregation rows are marked to be indented");
        assertTrue(page.contains("<td class=\"num\" data-col=\"fy_achieved\" data-value=\"62.5%\">62.5%</td>"), "figures right-aligned");

        // the rate targets: target, % achieved and flag, the actual equal to dash_targets_vs_actuals
        assertEquals(List.of("retention_rate", "", "", "70.0%", "75.0%", "66.7%", "80.0%", "50.0%", "62.5%", "50.0%", "", "", "",
                "below target", ""), indicator(shown, "retention_rate"));
        assertEquals(List.of("dropout_rate", "", "", "", "", "33.3%", "30.0%", "50.0%", "166.7%", "50.0%", "", "", "", "above target", ""),
                indicator(shown, "dropout_rate"));
        assertEquals(List.of("dialogue_attendance", "", "", "0", "", "7", "5", "5", "100.0%", "0", "5", "0", "0", "", ""),
                indicator(shown, "dialogue_attendance"));
        assertTrue(page.contains("<td class=\"flag below\" data-col=\"deviation\" data-value=\"below target\">below target</td>"), "flag shown");
        Map<String, String> targets = new LinkedHashMap<>();
        for (Map<String, String> t : gateway.query("SELECT indicator, period, toString(actual) AS actual FROM " + DB
                + ".dash_targets_vs_actuals WHERE program_id = 'p-oct' AND dimension = 'program'"
                + " AND indicator IN ('retention_rate', 'dropout_rate', 'dialogue_attendance') ORDER BY indicator, period")) {
            targets.put(t.get("indicator") + " " + t.get("period"), t.get("actual"));
        }
        assertEquals(Map.of("dialogue_attendance FY2026", "5", "dropout_rate FY2026", "0.5", "retention_rate FY2026", "0.5", "retention_rate FY2027", "1", "retention_rate all", "0.6666666666666666"),
                targets, "every target has its actual, a rate's as the IPTT's");
        assertEquals("50.0%", indicator(shown, "retention_rate").get(7), "dash_targets_vs_actuals' rate is the IPTT's");

        HttpResponse<byte[]> csv = bytes(open.url(), "/iptt.csv?program=p-oct&fiscal_year=FY2026");
        assertEquals(200, csv.statusCode());
        assertEquals("text/csv; charset=utf-8", csv.headers().firstValue("Content-Type").orElse(""));
        assertEquals("attachment; filename=\"iptt-p-oct-FY2026.csv\"", csv.headers().firstValue("Content-Disposition").orElse(""));
        assertEquals("nosniff", csv.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertArrayEquals(command, csv.body(), "the download is the command's CSV");
        String csvText = new String(csv.body(), StandardCharsets.UTF_8);
        assertTrue(csvText.startsWith("\uFEFF"), "a byte order mark");
        assertTrue(csvText.contains("\r\ndialogues_held,kind,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",,"), "the planted kind is formula-safe");

        HttpResponse<byte[]> xlsx = bytes(open.url(), "/iptt.xlsx?program=p-oct&fiscal_year=2026");
        assertEquals(200, xlsx.statusCode());
        assertEquals(IpttPage.XLSX_TYPE, xlsx.headers().firstValue("Content-Type").orElse(""));
        assertEquals("attachment; filename=\"iptt-p-oct-FY2026.xlsx\"", xlsx.headers().firstValue("Content-Disposition").orElse(""));
        Path workbook = work.resolve("iptt.xlsx");
        Files.write(workbook, xlsx.body());
        List<List<String>> sheet = IpttWorkbookIT.parse(shownSheet(workbook, "FY2026"));
        assertEquals(IpttWorkbook.fiscalHeader(), sheet.get(0));
        assertEquals(shown.size() + 1, sheet.size(), "one line per row of the page");
        for (int i = 0; i < shown.size(); i++) {
            List<String> expected = new ArrayList<>(List.of("October program"));
            expected.addAll(shown.get(i));
            assertEquals(expected, sheet.get(i + 1), "the workbook as LibreOffice shows it, row " + (i + 1));
        }
        assertTrue(sheet.stream().anyMatch(l -> l.subList(1, 4).equals(List.of("dialogues_held", "kind", PLANTED))),
                "the planted kind is text in the workbook, not a link");

        assertEquals(400, get(open.url(), "/iptt?program=p-oct&fiscal_year=next", null).statusCode());
        assertEquals(400, get(open.url(), "/iptt?program=nosuch", null).statusCode());
        assertEquals(200, get(open.url(), "/iptt?program=p-jan", null).statusCode(), "the open dashboard reads every program");
    }

    @Test
    void aProgramAnalystReadsTheirProgramsIpttAndNoOther() throws Exception {
        LocalClickHouse server = assertInstanceOf(LocalClickHouse.class, TestServices.clickHouse(),
                "analyst accounts need a ClickHouse whose config files FieldStream writes (the local test server)");
        AnalystAccounts accounts = new AnalystAccounts(gateway, server.httpUrl(), DB, server.workDir(), server.host(), server.tcpPort(),
                AnalystAccounts.Limits.DEFAULT);
        String suffix = DB.substring(DB.length() - 8);
        AnalystAccounts.Credentials program = accounts.add("iptt_p_" + suffix, new AnalystScope("p-oct", null));
        AnalystAccounts.Credentials partner = accounts.add("iptt_x_" + suffix, new AnalystScope("p-oct", "x"));
        DashboardSettings settings = DashboardSettings.load(Map.of("FIELDSTREAM_CLICKHOUSE_URL", server.httpUrl(),
                "FIELDSTREAM_CLICKHOUSE_DATABASE", DB, "FIELDSTREAM_DASHBOARD_PORT", "0", "FIELDSTREAM_DASHBOARD_LOGIN", "analysts"));
        try (DashboardServer dashboard = DashboardServer.start(settings, NOW)) {
            assertEquals(303, get(dashboard.url(), "/iptt?program=p-oct", null).statusCode(), "no IPTT without a login");
            String session = login(dashboard.url(), program);
            HttpResponse<String> own = get(dashboard.url(), "/iptt?program=p-oct", session);
            assertEquals(200, own.statusCode(), own.body());
            assertEquals(cells(get(open.url(), "/iptt?program=p-oct", null).body()), cells(own.body()),
                    "the analyst's IPTT, read as them in their scope, is the program's");
            assertTrue(own.body().contains("data-analyst=\"" + program.user() + "\""));
            String main = get(dashboard.url(), "/", session).body();
            assertTrue(main.contains("<a data-iptt=\"p-oct\" href=\"/iptt?program=p-oct\">IPTT</a>"), "the main page links the program's IPTT");
            assertFalse(main.contains("data-section=\"iptt\""), "the main page does not read the IPTT");
            HttpResponse<String> other = get(dashboard.url(), "/iptt?program=p-jan", session);
            assertEquals(403, other.statusCode(), other.body());
            assertFalse(other.body().contains("January program"));
            assertEquals(403, get(dashboard.url(), "/iptt.csv?program=p-jan", session).statusCode());
            assertEquals(403, get(dashboard.url(), "/iptt.xlsx?program=p-jan&fiscal_year=FY2026", session).statusCode());

            String partnerSession = login(dashboard.url(), partner);
            HttpResponse<String> refused = get(dashboard.url(), "/iptt?program=p-oct", partnerSession);
            assertEquals(403, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("pool every partner of the program"), refused.body());
            assertFalse(get(dashboard.url(), "/", partnerSession).body().contains("data-iptt="), "no IPTT link for a partner analyst");
        } finally {
            accounts.remove(program.user());
            accounts.remove(partner.user());
        }
    }

    /** The session cookie after logging in with the form's token. */
    private static String login(URI dashboard, AnalystAccounts.Credentials account) throws Exception {
        HttpResponse<String> form = get(dashboard, "/login", null);
        String cookie = form.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(DashboardLogin.LOGIN_COOKIE + "="))
                .findFirst().orElseThrow().split(";")[0];
        Matcher token = Pattern.compile("name=\"token\" value=\"([^\"]+)\"").matcher(form.body());
        assertTrue(token.find(), form.body());
        String body = "user=" + URLEncoder.encode(account.user(), StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(account.password(), StandardCharsets.UTF_8) + "&token=" + URLEncoder.encode(token.group(1), StandardCharsets.UTF_8);
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(dashboard.resolve("/login")).header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(303, answer.statusCode(), answer.body());
        return answer.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(DashboardLogin.SESSION_COOKIE + "="))
                .findFirst().orElseThrow().split(";")[0];
    }

    private static HttpResponse<String> get(URI dashboard, String path, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(dashboard.resolve(path)).timeout(Duration.ofSeconds(60));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static HttpResponse<byte[]> bytes(URI dashboard, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(dashboard.resolve(path)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The cells of the page's IPTT table, row by row, as their data-value (unescaped). */
    private static List<List<String>> cells(String page) {
        List<List<String>> rows = new ArrayList<>();
        Matcher row = ROW.matcher(between(page, "<table data-section=\"iptt\">", "</table>"));
        while (row.find()) {
            List<String> cells = new ArrayList<>();
            Matcher cell = CELL.matcher(row.group(2));
            while (cell.find()) {
                cells.add(unescape(cell.group(2)));
            }
            assertEquals(IpttReport.HEADER.size(), cells.size(), row.group());
            rows.add(cells);
        }
        return rows;
    }

    private static List<String> indicator(List<List<String>> rows, String indicator) {
        return rows.stream().filter(r -> r.get(0).equals(indicator) && r.get(1).isEmpty()).findFirst().orElseThrow();
    }

    /** A CSV cell without the quote that keeps a formula from running. */
    private static String unquoted(String cell) {
        return cell.length() > 1 && cell.charAt(0) == '\'' && "=+-@".indexOf(cell.charAt(1)) >= 0 ? cell.substring(1) : cell;
    }

    private static String unescape(String html) {
        return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    private static String between(String text, String from, String to) {
        int start = text.indexOf(from);
        assertTrue(start >= 0, "no " + from);
        return text.substring(start, text.indexOf(to, start));
    }

    /** One sheet of a workbook as LibreOffice Calc (headless) shows it, as UTF-8 CSV. */
    private String shownSheet(Path xlsx, String sheet) throws Exception {
        Path dir = Files.createDirectories(work.resolve("shown"));
        String filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1";
        Process process = new ProcessBuilder(soffice(), "-env:UserInstallation=" + work.resolve("lo-profile").toUri(), "--headless",
                "--convert-to", filter, "--outdir", dir.toString(), xlsx.toString()).redirectErrorStream(true).start();
        String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "LibreOffice did not finish: " + log);
        assertEquals(0, process.exitValue(), log);
        Path csv = dir.resolve("iptt-" + sheet + ".csv");
        assertTrue(Files.exists(csv), "LibreOffice wrote no sheet " + sheet + ": " + log);
        return Files.readString(csv, StandardCharsets.UTF_8);
    }

    private static String soffice() {
        String configured = System.getenv("FIELDSTREAM_SOFFICE");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
            for (String name : List.of("soffice", "libreoffice")) {
                if (new File(dir, name).canExecute()) {
                    return new File(dir, name).getPath();
                }
            }
        }
        throw new AssertionError("no LibreOffice (soffice) on PATH: run bin/install-deps --tests or set FIELDSTREAM_SOFFICE");
    }
}
