package org.fieldstream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fieldstream.app.browser.DashboardDom;
import org.fieldstream.app.browser.PrintedReport;
import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.events.SettingKeys;
import org.fieldstream.platform.LocalClickHouse;
import org.fieldstream.platform.TestServices;
import org.fieldstream.producers.ProgramSecrets;
import org.fieldstream.reference.ReferenceData;
import org.fieldstream.reports.Attacker;
import org.fieldstream.reports.DashboardServer;
import org.fieldstream.reports.DashboardSettings;
import org.fieldstream.reports.SmallCells;
import org.fieldstream.reports.ViewerAccounts;
import org.fieldstream.schema.AnalystAccounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A viewer on the dashboard, through the whole pipeline (real Kafka and ClickHouse 18.16): program
 * tiny of {@link PublishedFiguresIT} (cohorts of 12, 3, 7 and 2 people) landed; {@code analyst add
 * --role viewer} prints a user and a password and no database; the viewer logs in with the dashboard's
 * form and every table of their page equals the {@code report ... --publish} figures, no count of 1 to
 * 4 people is on the page, the attacker recovers nothing from the page's tables, no person's id is in
 * the page; the cohort page, an explanation, another program and a partner filter are 403; the CSV is
 * the published table with the note; after {@code analyst remove} the viewer cannot log in and the
 * program's internal reader is gone.
 */
class ViewerDashboardIT {

    private static final List<String> RETENTION = List.of("Retention per cohort", "Retention by partner and district",
            "Retention of all cohorts shown", "Survival curve points", "Survival of the cohorts shown, persons pooled");
    private static final List<String> OUTREACH = List.of("People reached per month", "People reached per quarter",
            "People reached per month by sex and age band", "People reached per quarter by sex and age band", "People reached to date",
            "Targets vs actuals");
    /** Columns counting people, on any table of the page. */
    private static final List<String> PEOPLE = List.of("enrolled", "active", "completed", "dropped_out", "transferred", "surviving",
            "people_reached", "new_people_reached");
    private static final Pattern TOKEN = Pattern.compile("name=\"token\" value=\"([A-Za-z0-9_-]+)\"");

    @TempDir
    Path work;

    @Test
    void aViewerSeesThePublishedFiguresOfTheirProgramOnly() throws Exception {
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String db = "it_viewer_" + run;
        Map<String, String> settings = new HashMap<>(Map.of(
                "FIELDSTREAM_BOOTSTRAP_SERVERS", TestServices.kafka().bootstrapServers(),
                "FIELDSTREAM_TOPIC_PREFIX", "it-" + run + ".",
                "FIELDSTREAM_CLICKHOUSE_URL", TestServices.clickHouse().httpUrl(),
                "FIELDSTREAM_CLICKHOUSE_DATABASE", db,
                "FIELDSTREAM_STREAMS_APPLICATION_ID", "it-viewer-" + run,
                "FIELDSTREAM_STREAMS_STATE_DIR", work.resolve("state").toString(),
                "FIELDSTREAM_SINK_GROUP_ID", "it-sink-" + run));
        settings.put(ProgramSecrets.variableFor("tiny"), "viewer-dashboard-it-secret-001");
        Map<String, String> env = Map.of("FIELDSTREAM_CLICKHOUSE_URL", TestServices.clickHouse().httpUrl(),
                "FIELDSTREAM_CLICKHOUSE_DATABASE", db);
        Path data = work.resolve("data");
        try (Pipeline pipeline = Pipeline.start(settings, new ReferenceData(List.of(), List.of(), List.of(), List.of()));
             ClickHouseGateway clickHouse = new ClickHouseGateway(TestServices.clickHouse().httpUrl(), "default", "")) {
            PublishedFiguresIT.land(work, pipeline.config(), clickHouse, db, env);
            LocalClickHouse server = assertInstanceOf(LocalClickHouse.class, TestServices.clickHouse(),
                    "the viewers' reader is an account file of the local test server");
            AnalystAccounts accounts = new AnalystAccounts(clickHouse, server.httpUrl(), db, server.workDir(), server.host(),
                    server.tcpPort(), AnalystAccounts.Limits.DEFAULT);
            ViewerAccounts viewers = new ViewerAccounts(data);
            String name = "donor_" + run;

            // analyst add NAME --role viewer --program tiny: user= and password=, no database=
            AnalystCommand.Add add = new AnalystCommand.Add();
            add.name = name;
            add.role = "viewer";
            add.program = "tiny";
            String printed = output(out -> add.run(accounts, viewers, out));
            Map<String, String> shown = keyValues(printed);
            assertEquals(name, shown.get("user"), printed);
            assertFalse(shown.containsKey("database"), "a viewer has no SQL account: " + printed);
            String password = shown.get("password");
            assertEquals(32, password.length());
            assertFalse(Files.readString(data.resolve("viewers/viewers.tsv")).contains(password), "the password is kept as a hash only");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("viewers/readers.tsv"))));
            String reader = accounts.viewersReader("tiny");
            assertEquals(reader, viewers.reader("tiny").orElseThrow().user());
            String list = output(out -> new AnalystCommand.ListAccounts().run(accounts, viewers, out));
            assertTrue(list.lines().map(String::strip).anyMatch(l -> l.matches(name + " +viewer +tiny +- +- \\(dashboard only\\)")),
                    "analyst list shows the viewer: " + list);
            assertFalse(list.contains(reader), "the internal reader is no analyst: " + list);
            assertFalse(accounts.canLogIn(name, password, "tiny"), "the viewer's password opens no ClickHouse account");

            List<String> personIds = new ArrayList<>();
            clickHouse.query("SELECT DISTINCT person_id FROM " + db + ".v_participant_progress WHERE program_id = 'tiny'")
                    .forEach(row -> personIds.add(row.get("person_id")));
            assertEquals(24, personIds.size(), "the program's persons, pseudonymised");

            DashboardSettings dashboardSettings = DashboardSettings.load(pipeline.config())
                    .with(DashboardSettings.Login.ANALYSTS, Integer.parseInt(SettingKeys.DASHBOARD_REFRESH_SECONDS.defaultValue()), 1800, 43200)
                    .withDataDir(data);
            try (DashboardServer dashboard = DashboardServer.start(dashboardSettings, 0)) {
                Browser browser = new Browser(dashboard.url());
                assertEquals(401, browser.logIn(name, password + "x").statusCode(), "a wrong password");
                HttpResponse<String> page = browser.logIn(name, password);
                assertEquals(200, page.statusCode(), page.body());
                assertEquals(dashboard.url().resolve("/"), page.uri());
                String html = page.body();
                Files.writeString(work.resolve("viewer-page.html"), html);
                DashboardDom dom = DashboardDom.parse(html);

                // the page says once that small numbers are hidden, and why
                assertEquals(1, count(html, Html.escaped(SmallCells.note(5))), "the note, once");
                assertTrue(html.contains("Logged in as " + name), "who is logged in");

                PrintedReport exact = PrintedReport.run(env, List.of("retention", "--program", "tiny", "--full"));
                PrintedReport exactReach = PrintedReport.run(env, List.of("outreach", "--program", "tiny", "--full"));
                // no count of 1 to 4 people anywhere on the page; every small one of the exact report is hidden
                int counts = 0;
                for (Map.Entry<String, List<Map<String, DashboardDom.Cell>>> table : dom.tables().entrySet()) {
                    for (Map<String, DashboardDom.Cell> row : table.getValue()) {
                        for (String column : PEOPLE) {
                            if (row.containsKey(column)) {
                                counts++;
                                assertFalse(row.get(column).value().matches("[1-4]"), table.getKey() + " " + column + " " + row);
                                assertFalse(row.get(column).shown().matches("[1-4]"), table.getKey() + " " + column + " " + row);
                            }
                        }
                    }
                }
                assertTrue(counts > 50, "counts of people on the page: " + counts);
                assertHiddenWhereSmall(exact, dom, List.of("Retention per cohort", "Retention by partner and district",
                        "Retention of all cohorts shown"));
                assertHiddenWhereSmall(exactReach, dom, List.of("People reached per month", "People reached per month by sex and age band",
                        "People reached per quarter by sex and age band"));
                // the attacker recovers nothing from the page's tables
                assertEquals(List.of(), Attacker.recovered(PublishedFiguresIT.retention(exact::section, title -> dom.values(table(title)))));
                assertEquals(List.of(), Attacker.recovered(PublishedFiguresIT.outreach(exactReach::section, title -> dom.values(table(title)),
                        "People reached per month", "People reached per month by sex and age band")));
                assertEquals(List.of(), Attacker.recovered(PublishedFiguresIT.outreach(exactReach::section, title -> dom.values(table(title)),
                        "People reached per quarter", "People reached per quarter by sex and age band")));

                // every figure on the page is the published report's
                PrintedReport published = PrintedReport.run(env, List.of("retention", "--program", "tiny", "--publish"));
                PrintedReport publishedReach = PrintedReport.run(env, List.of("outreach", "--program", "tiny", "--publish"));
                List<String> tables = new ArrayList<>();
                int figures = 0;
                for (String title : RETENTION) {
                    figures += assertSameRows(published.section(title), dom.values(table(title)), title);
                    tables.add(table(title));
                }
                for (String title : OUTREACH) {
                    figures += assertSameRows(publishedReach.section(title), dom.values(table(title)), title);
                    tables.add(table(title));
                }
                assertEquals(tables, List.copyOf(dom.tables().keySet()), "the page's tables are the published reports' sections");
                System.out.printf("viewer page: %d figures equal the published reports', %d counts of people checked%n", figures, counts);

                // no person's id or pseudonym, no charts drawn from exact figures, no cohort links
                for (String id : personIds) {
                    assertFalse(html.contains(id), "a person's id on the page");
                }
                assertFalse(html.contains("p-big-0") || html.contains("<svg") || html.contains("/cohort?"), "person-level or exact content");

                // the CSV of a table is the published table, the note its last line
                HttpResponse<String> csv = browser.get("/csv/" + table("Retention per cohort"));
                assertEquals(200, csv.statusCode(), csv.body());
                List<String> lines = csv.body().replace("\uFEFF", "").lines().toList();
                assertEquals("\"" + SmallCells.note(5) + "\"", lines.get(lines.size() - 1));
                List<String> header = List.of(lines.get(0).split(",", -1));
                List<Map<String, String>> rows = new ArrayList<>();
                for (String line : lines.subList(1, lines.size() - 1)) {
                    String[] fields = line.split(",", -1);
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 0; i < header.size(); i++) {
                        row.put(header.get(i), fields[i]);
                    }
                    rows.add(row);
                }
                assertSameRows(published.section("Retention per cohort"), rows, "the CSV of the cohorts");
                assertTrue(rows.stream().anyMatch(r -> r.get("partner_id").equals("p-small") && r.get("enrolled").equals("<5")), csv.body());
                assertEquals(404, browser.get("/csv/cohorts").statusCode(), "the analysts' exact CSV tables are not offered");

                // person-level pages, another program, a partner filter: 403
                assertEquals(403, browser.get("/cohort?program=tiny&partner=p-small&cohort=p-small-c1").statusCode(), "a cohort page");
                assertEquals(403, browser.get("/explain?program=tiny&indicator=enrolled&period=all").statusCode(), "an explanation");
                assertEquals(403, browser.get("/?program=other").statusCode(), "another program");
                assertEquals(403, browser.get("/csv/" + table("Retention per cohort") + "?program=other").statusCode(), "another program's CSV");
                assertEquals(403, browser.get("/?program=tiny&partner=p-small").statusCode(), "a partner filter");
                assertEquals(200, browser.get("/?program=tiny").statusCode(), "their own program");
            }

            // analyst remove: the viewer and, with the program's last viewer, its internal reader are gone
            AnalystCommand.Remove remove = new AnalystCommand.Remove();
            remove.name = name;
            output(out -> remove.run(accounts, viewers, out));
            assertTrue(viewers.find(name).isEmpty() && viewers.reader("tiny").isEmpty());
            assertFalse(Files.exists(server.workDir().resolve("users.d").resolve("fieldstream-analyst-" + reader + ".xml")));
            try (DashboardServer dashboard = DashboardServer.start(dashboardSettings, 0)) {
                assertEquals(401, new Browser(dashboard.url()).logIn(name, password).statusCode(), "a removed viewer");
            }
        }
    }

    /** The page's table of a report section: "Retention per cohort" is retention-per-cohort. */
    private static String table(String title) {
        return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    /** Every count of 1 to 4 people of the exact report's sections is hidden on the page, every shown one exact. */
    private static void assertHiddenWhereSmall(PrintedReport exact, DashboardDom dom, List<String> sections) {
        int small = 0;
        for (String section : sections) {
            List<Map<String, String>> e = exact.section(section);
            List<Map<String, String>> p = dom.values(table(section));
            assertEquals(e.size(), p.size(), section);
            for (int i = 0; i < e.size(); i++) {
                for (String column : PEOPLE) {
                    if (!e.get(i).containsKey(column)) {
                        continue;
                    }
                    long count = Long.parseLong(e.get(i).get(column));
                    String shown = p.get(i).get(column);
                    if (count > 0 && count < 5) {
                        small++;
                        assertEquals("<5", shown, section + " row " + i + " " + column);
                    } else if (!shown.equals("<5")) {
                        assertEquals(Long.toString(count), shown, section + " row " + i + " " + column);
                    }
                }
            }
        }
        assertTrue(small > 0, "the reports had small cells");
    }

    /** The page's rows equal the published report's, column by column; the figures compared. */
    private static int assertSameRows(List<Map<String, String>> published, List<Map<String, String>> page, String title) {
        assertEquals(published.size(), page.size(), title);
        int figures = 0;
        for (int i = 0; i < published.size(); i++) {
            assertEquals(published.get(i).keySet(), page.get(i).keySet(), title + " row " + i);
            for (Map.Entry<String, String> cell : published.get(i).entrySet()) {
                assertEquals(cell.getValue(), page.get(i).get(cell.getKey()), title + " row " + i + " " + cell.getKey());
                figures++;
            }
        }
        return figures;
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }

    private static Map<String, String> keyValues(String printed) {
        Map<String, String> values = new LinkedHashMap<>();
        printed.lines().filter(l -> l.matches("[a-z]+=.*")).forEach(l -> values.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        return values;
    }

    private interface Command {
        int run(PrintStream out);
    }

    private static String output(Command command) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(0, command.run(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** What the page escapes, as the page escapes it. */
    private static final class Html {
        static String escaped(String text) {
            return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
        }
    }

    /** A client that keeps the dashboard's cookies and follows its redirects, as a browser does with a page of no script. */
    private static final class Browser {
        private final URI base;
        private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(5)).build();

        Browser(URI base) {
            this.base = base;
        }

        HttpResponse<String> get(String path) throws Exception {
            return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        /** The login form, then its POST with the form's token. */
        HttpResponse<String> logIn(String user, String password) throws Exception {
            HttpResponse<String> form = get("/login");
            Matcher token = TOKEN.matcher(form.body());
            assertTrue(token.find(), form.body());
            String body = "user=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password=" + URLEncoder.encode(password,
                    StandardCharsets.UTF_8) + "&token=" + token.group(1);
            return http.send(HttpRequest.newBuilder(base.resolve("/login")).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
