package org.fieldstream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.awaitility.Awaitility;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fieldstream.app.browser.BrowserSession;
import org.fieldstream.app.browser.Chromium;
import org.fieldstream.app.browser.DashboardDom;
import org.fieldstream.app.browser.PrintedReport;
import org.fieldstream.app.browser.ViewFigures;
import org.fieldstream.app.browser.ViewFigures.Filters;
import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.events.SettingKeys;
import org.fieldstream.events.Topics;
import org.fieldstream.platform.LocalClickHouse;
import org.fieldstream.platform.TestServices;
import org.fieldstream.reference.ReferenceData;
import org.fieldstream.reports.DashboardServer;
import org.fieldstream.reports.DashboardSettings;
import org.fieldstream.reports.ReportOutput;
import org.fieldstream.schema.AnalystAccounts;
import org.fieldstream.schema.AnalystScope;
import org.fieldstream.seeds.ExpectedMetrics;
import org.fieldstream.seeds.ScenarioGenerator;
import org.fieldstream.seeds.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser on real services: a generated program through the pipeline (real
 * broker, streams, sink, ClickHouse), the dashboard server on a free port, headless Chromium loading
 * it without and with filters. Every figure in the DOM is compared with the ClickHouse views (read
 * by this test's own queries) and with what {@code fieldstream report} prints for the same filters,
 * and every visible number with its figure. Screenshots go to target/dashboard/. Chromium missing
 * is a failure, not a skip.
 */
class DashboardBrowserIT {

    private static final Path SCREENSHOTS = Path.of("target", "dashboard");
    private static final int PAGE_ROWS = 25;
    private static final DateTimeFormatter CLICKHOUSE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    private static final double RATE_TOLERANCE = 0.00005 + 1e-9;
    private static final Set<String> RATES = Set.of("retention_rate", "dropout_rate", "completion_rate", "attendance_rate",
            "survival_rate", "achievement", "survival_p10", "survival_p90");
    private static final Set<String> COUNTS = Set.of("cohorts", "enrolled", "active", "completed", "dropped_out", "transferred",
            "sessions_planned", "sessions_held", "sessions_attended", "sessions_expected", "session_number", "surviving", "people_reached",
            "new_people_reached", "row_count", "records", "persons", "present");
    private static final List<String> COHORT_KEY = List.of("program_id", "partner_id", "cohort_id");
    private static final List<String> PERIOD_KEY = List.of("program_id", "dimension_id", "period");
    private static final List<String> TARGET_KEY = List.of("program_id", "indicator", "period", "dimension", "dimension_id");

    @TempDir
    Path work;

    private int figures;

    @Test
    void theDashboardInChromiumShowsWhatTheViewsAndTheReportCommandShow() throws Exception {
        Chromium chromium = Chromium.find(work.resolve("chromium"));
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String database = "it_dashboard_" + run;
        Map<String, String> settings = Map.of(
                "FIELDSTREAM_BOOTSTRAP_SERVERS", TestServices.kafka().bootstrapServers(),
                "FIELDSTREAM_TOPIC_PREFIX", "it-" + run + ".",
                "FIELDSTREAM_CLICKHOUSE_URL", TestServices.clickHouse().httpUrl(),
                "FIELDSTREAM_CLICKHOUSE_DATABASE", database,
                "FIELDSTREAM_STREAMS_APPLICATION_ID", "it-dashboard-" + run,
                "FIELDSTREAM_STREAMS_STATE_DIR", work.resolve("state").toString(),
                "FIELDSTREAM_SINK_GROUP_ID", "it-sink-" + run);
        ReferenceData reference = ReferenceData.bundled();
        // -Dfieldstream.dashboard.size=demo (or another generator size) measures the first page of a larger program;
        Size size = Size.parse(System.getProperty("fieldstream.dashboard.size", "tiny"));
        ScenarioGenerator.Result scenario = new ScenarioGenerator(reference, 7L, size).generate(work.resolve("input"));
        ExpectedMetrics expected = scenario.expected(reference, Function.identity());

        try (Pipeline pipeline = Pipeline.start(settings, reference);
             ClickHouseGateway clickHouse = new ClickHouseGateway(TestServices.clickHouse().httpUrl(), "default", "")) {
            pipeline.ingest(scenario, work.resolve("input"), reference);
            assertTrue(MetricsCheck.awaitMatch(clickHouse, database, expected, Duration.ofSeconds(180), System.out),
                    "the pipeline did not land the generated program (differences printed above)");
            undecodableEvent(pipeline.config());
            awaitValue(clickHouse, "SELECT count() > 0 FROM " + database + ".v_dead_letters WHERE stage = 'streams'", "1");
            // the sink sets it aside too; the page's freshness is read apart and kept a while, so it waits for both
            awaitValue(clickHouse, "SELECT count() > 0 FROM " + database + ".v_dead_letters WHERE stage = 'sink'", "1");

            ViewFigures views = new ViewFigures(clickHouse, database);
            DashboardSettings dashboardSettings = DashboardSettings.load(pipeline.config())
                    .with(DashboardSettings.Login.OPEN, Integer.parseInt(SettingKeys.DASHBOARD_REFRESH_SECONDS.defaultValue()), 1800, 43200);
            try (DashboardServer dashboard = DashboardServer.start(dashboardSettings, 0)) {
                int pages = 0;
                for (Filters filters : filterSets(views)) {
                    URI url = URI.create(dashboard.url() + filters.query());
                    firstPage(url, size);
                    String dom = chromium.dumpDom(url);
                    if (pages == 0) {
                        Files.createDirectories(SCREENSHOTS);
                        Files.writeString(SCREENSHOTS.resolve("dashboard-dom.html"), dom, StandardCharsets.UTF_8);
                    }
                    DashboardDom page = allPages(DashboardDom.parse(dom), dom, url, null);
                    assertNull(page.error(), url + " showed an error");
                    if (filters.equals(new Filters(null, null, null, null, null))) {
                        assertEveryPartIsFilled(page, dom);
                    }
                    int before = figures;
                    checkShownText(page);
                    compareWithViews(page, filters, views, false);
                    compareWithReport(page, filters, pipeline.config());
                    System.out.printf("dashboard %s: %d figures compared%n", url, figures - before);
                    pages++;
                }
                for (Map<String, String> cohort : views.cohorts(new Filters(null, null, null, null, null))) {
                    cohortPage(chromium, dashboard.url(), cohort, views, clickHouse, database);
                    pages++;
                }
                try (BrowserSession browser = BrowserSession.start(chromium, work.resolve("explain-browser"))) {
                    pages += explanationsFromLinks(browser, dashboard.url(), null, clickHouse, database, List.of(
                            List.<String[]>of(cell(COHORT_LIST, "dropped_out")), List.<String[]>of(cell("reached-per-month", "people_reached")),
                            List.<String[]>of(cell("reached-per-month", "/")), List.<String[]>of(cell("reached-to-date", "people_reached")),
                            List.<String[]>of(cell("targets-vs-actuals", "actual"))));
                    pages += explanationsFromLinks(browser, dashboard.url(), null, clickHouse, database, List.of(
                            List.<String[]>of(cell("survival-points", "surviving"))));
                }
                chromium.screenshot(dashboard.url(), SCREENSHOTS.resolve("dashboard.png"), 1280, 3600);
                Filters partner = filterSets(views).get(2);
                chromium.screenshot(URI.create(dashboard.url() + partner.query()), SCREENSHOTS.resolve("dashboard-partner.png"), 1280, 3600);
                System.out.printf("dashboard: %d figures compared on %d pages; screenshots in %s%n", figures, pages, SCREENSHOTS.toAbsolutePath());
                assertTrue(figures > 500, "too few figures compared: " + figures);
            }

            DashboardSettings everySecond = dashboardSettings.with(DashboardSettings.Login.OPEN, 1, 1800, 43200);
            try (DashboardServer quick = DashboardServer.start(everySecond, 0)) {
                assertTrue(chromium.stayOn(quick.url(), Duration.ofSeconds(120), () -> quick.pagesServed() >= 3),
                        "the browser did not reload the page by itself: " + quick.pagesServed() + " page loads");
            }
            analystLogsIn(chromium, dashboardSettings, clickHouse, database, views);
        }
    }

    /**
     * A partner analyst's dashboard (dashboard.login=analysts) in one Chromium that keeps its cookies:
     * every page sends it to the login form, a wrong password is refused, then the analyst logs in
     * with the account {@code analyst add} made; every figure of their page equals the views of the
     * main database filtered to their partner, no other partner's or program's id or name is anywhere
     * in the DOM, another partner or program is 403, logout ends the session (the old cookie is sent to
     * the form), and a session past its lifetime is refused.
     */
    private void analystLogsIn(Chromium chromium, DashboardSettings open, ClickHouseGateway clickHouse, String database, ViewFigures views)
            throws Exception {
        LocalClickHouse server = assertInstanceOf(LocalClickHouse.class, TestServices.clickHouse(),
                "analyst accounts need a ClickHouse whose config files FieldStream writes (the local test server)");
        AnalystAccounts accounts = new AnalystAccounts(clickHouse, server.httpUrl(), database, server.workDir(), server.host(),
                server.tcpPort(), AnalystAccounts.Limits.DEFAULT);
        Filters own = filterSets(views).get(2);
        String name = "dash_" + database.substring(database.length() - 10);
        AnalystAccounts.Credentials account = accounts.add(name, new AnalystScope(own.program(), own.partner()));
        Map<String, String> others = new TreeMap<>();
        for (Map<String, String> partner : clickHouse.query("SELECT partner_id, name FROM " + database + ".v_partners WHERE partner_id != '"
                + own.partner() + "'")) {
            others.put(partner.get("partner_id"), partner.get("name"));
        }
        clickHouse.query("SELECT program_id, name FROM " + database + ".v_programs WHERE program_id != '" + own.program() + "'")
                .forEach(program -> others.put(program.get("program_id"), program.get("name")));
        assertTrue(others.size() >= 3, "other partners and programs to look for: " + others);
        try (DashboardServer dashboard = DashboardServer.start(open.with(DashboardSettings.Login.ANALYSTS, 30, 1800, 43200), 0);
             BrowserSession browser = BrowserSession.start(chromium, work.resolve("analyst-browser"))) {
            String form = browser.open(dashboard.url());
            assertEquals(dashboard.url().resolve("/login").toString(), browser.location(), "without a login the page sends to the form");
            assertTrue(form.contains("action=\"/login\"") && !form.contains("data-table="), "the login form, no figures");
            String wrong = browser.submit("/login", Map.of("user", name, "password", account.password() + "x"));
            assertEquals(dashboard.url().resolve("/login").toString(), browser.location());
            assertTrue(wrong.contains("Wrong user name or password."), "a wrong password is refused: " + DashboardDom.parse(wrong).error());
            String unknown = browser.submit("/login", Map.of("user", name + "x", "password", account.password()));
            assertTrue(unknown.contains("Wrong user name or password."), "an unknown user gets the same answer");

            String dom = browser.submit("/login", Map.of("user", name, "password", account.password()));
            assertEquals(dashboard.url().toString(), browser.location(), "logged in, the dashboard");
            JsonNode session = browser.cookies(dashboard.url()).get("fieldstream_session");
            assertTrue(session != null && session.path("httpOnly").asBoolean() && "Strict".equals(session.path("sameSite").asText())
                    && "/".equals(session.path("path").asText()) && session.path("value").asText().matches("[A-Za-z0-9_-]{43}"),
                    "the session cookie: " + session);
            String cookie = "fieldstream_session=" + session.path("value").asText();
            assertFalse(dom.contains(account.password()), "the password is not on the page");
            Files.writeString(SCREENSHOTS.resolve("dashboard-analyst-dom.html"), dom, StandardCharsets.UTF_8);

            DashboardDom page = allPages(DashboardDom.parse(dom), dom, dashboard.url(), cookie);
            assertNull(page.error(), "the analyst's page showed an error");
            int before = figures;
            checkShownText(page);
            compareWithViews(page, own, views, true);
            assertTrue(figures - before > 50, "too few figures compared on the analyst's page: " + (figures - before));
            System.out.printf("dashboard as partner analyst of %s/%s: %d figures compared%n", own.program(), own.partner(), figures - before);
            for (Map.Entry<String, String> other : others.entrySet()) {
                for (String text : List.of(other.getKey(), other.getValue())) {
                    assertFalse(Pattern.compile("(?<![A-Za-z0-9_-])" + Pattern.quote(text) + "(?![A-Za-z0-9_-])").matcher(dom).find(),
                            "another partner's or program's " + text + " is in the analyst's DOM");
                }
            }
            for (Map<String, String> cohort : views.cohorts(own).stream().limit(2).toList()) {
                cohortPage(browser::open, dashboard.url(), cohort, views, clickHouse, database);
            }
            explanationsFromLinks(browser, dashboard.url(), cookie, clickHouse, database, List.of(
                    List.<String[]>of(cell(COHORT_LIST, "dropped_out"), cell(COHORT_LIST, "enrolled")),
                    List.<String[]>of(cell("reached-per-month", "people_reached"))));
            String otherPartner = clickHouse.queryValue("SELECT any(partner_id) FROM " + database + ".v_partners WHERE partner_id != '"
                    + own.partner() + "'");
            String otherProgram = clickHouse.queryValue("SELECT any(program_id) FROM " + database + ".v_programs WHERE program_id != '"
                    + own.program() + "'");
            HttpClient http = HttpClient.newHttpClient();
            for (String query : List.of("?partner=" + otherPartner, "?program=" + own.program() + "&partner=" + otherPartner,
                    "?program=" + otherProgram, "cohort?program=" + otherProgram + "&partner=" + otherPartner + "&cohort=c1",
                    "csv/retention-per-cohort?partner=" + otherPartner,
                    "explain?program=" + own.program() + "&partner=" + otherPartner + "&cohort=c1&figure=enrolled",
                    "explain.csv?program=" + otherProgram + "&to-date=1&figure=people_reached",
                    "explain?program=" + own.program() + "&to-date=1&figure=people_reached")) {
                URI url = URI.create(dashboard.url() + query);
                HttpResponse<String> refused = http.send(HttpRequest.newBuilder(url).header("Cookie", cookie).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(403, refused.statusCode(), url + ": " + refused.body());
                assertTrue(refused.body().contains("outside your scope"), refused.body());
            }
            String outsideDom = browser.open(URI.create(dashboard.url() + "?partner=" + otherPartner));
            assertTrue(outsideDom.contains("outside your scope"), "Chromium shows the refusal");

            String after = browser.submit("/logout", Map.of());
            assertEquals(dashboard.url().resolve("/login").toString(), browser.location(), "logged out, the form");
            assertTrue(after.contains("action=\"/login\""));
            HttpResponse<String> old = http.send(HttpRequest.newBuilder(dashboard.url()).header("Cookie", cookie).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(303, old.statusCode(), "the old session cookie after logout");
            assertEquals("/login", old.headers().firstValue("Location").orElse(""));
        }

        try (DashboardServer shortLived = DashboardServer.start(open.with(DashboardSettings.Login.ANALYSTS, 30, 1800, 2), 0)) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> form = http.send(HttpRequest.newBuilder(shortLived.url().resolve("/login")).build(), HttpResponse.BodyHandlers.ofString());
            String loginCookie = form.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            String token = loginCookie.substring(loginCookie.indexOf('=') + 1);
            HttpResponse<String> login = http.send(HttpRequest.newBuilder(shortLived.url().resolve("/login")).header("Cookie", loginCookie)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("user=" + name + "&password=" + java.net.URLEncoder.encode(account.password(),
                            StandardCharsets.UTF_8) + "&token=" + token)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(303, login.statusCode(), login.body());
            String cookie = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("fieldstream_session=")).findFirst()
                    .orElseThrow().split(";")[0];
            HttpRequest page = HttpRequest.newBuilder(shortLived.url()).header("Cookie", cookie).build();
            assertEquals(200, http.send(page, HttpResponse.BodyHandlers.ofString()).statusCode(), "a fresh session");
            Thread.sleep(2500);
            HttpResponse<String> expired = http.send(page, HttpResponse.BodyHandlers.ofString());
            assertEquals(303, expired.statusCode(), "a session past its lifetime");
            assertEquals("/login", expired.headers().firstValue("Location").orElse(""));
        }
        accounts.remove(name);
    }

    private static final String COHORT_LIST = "retention-per-cohort";
    private static final Pattern LOCATION_QUERY = Pattern.compile("[?&]([a-z-]+)=([^&]*)");

    /** A linked figure of a dashboard table: its section and column ("/" for any sex × age band cell). */
    private static String[] cell(String section, String column) {
        return new String[] {section, column};
    }

    /**
     * Figures clicked on the dashboard in Chromium land on their explanation: for each list of
     * candidates, the first linked cell found on the dashboard's first page is clicked. The page says
     * FIGURE = N with N the clicked figure; the persons listed (and the CSV's persons) are N, and N is
     * what the figure's view holds (read by this test); every event id listed is in field_events with
     * the source the page states. Returns the pages read.
     */
    private int explanationsFromLinks(BrowserSession browser, URI base, String cookie, ClickHouseGateway clickHouse, String database,
                                      List<List<String[]>> candidates) throws Exception {
        int pages = 0;
        for (List<String[]> choices : candidates) {
            String dom = browser.open(base);
            String[] chosen = null;
            String clickedValue = null;
            for (String[] choice : choices) {
                int start = dom.indexOf("data-section=\"" + choice[0] + "\"");
                if (start < 0) {
                    continue;
                }
                String table = dom.substring(start, dom.indexOf("</table>", start));
                Matcher linked = Pattern.compile("data-col=\"(" + (choice[1].equals("/") ? "[^\"/]+/[^\"]+" : Pattern.quote(choice[1]))
                        + ")\" data-value=\"([^\"]*)\"><a href=\"/explain\\?").matcher(table);
                if (linked.find()) {
                    chosen = choice;
                    clickedValue = linked.group(2);
                    break;
                }
            }
            assertTrue(chosen != null, "no linked figure among " + choices.stream().map(c -> c[0] + " " + c[1]).toList() + " on " + base);
            String selector = "table[data-section=\"" + chosen[0] + "\"] td[data-col" + (chosen[1].equals("/") ? "*=\"/\"" : "=\"" + chosen[1] + "\"")
                    + "] a[href^=\"/explain?\"]";
            String explained = browser.click(selector);
            String location = browser.location();
            assertTrue(location.startsWith(base + "explain?"), "the link of " + selector + " led to " + location);
            Map<String, String> query = new LinkedHashMap<>();
            Matcher parameter = LOCATION_QUERY.matcher(location.substring(location.indexOf('?')));
            while (parameter.find()) {
                query.put(parameter.group(1), java.net.URLDecoder.decode(parameter.group(2), StandardCharsets.UTF_8));
            }
            Matcher heading = Pattern.compile("<h1 data-figure=\"([^\"]+)\" data-value=\"(\\d+)\">").matcher(explained);
            assertTrue(heading.find(), "no figure on " + location + ": " + DashboardDom.parse(explained).error());
            long value = Long.parseLong(heading.group(2));
            assertEquals((long) Double.parseDouble(clickedValue), value, location + ": the figure clicked");
            assertEquals(viewFigure(clickHouse, database, query), value, location + ": the figure in its view");
            List<String> persons = new ArrayList<>();
            Matcher person = Pattern.compile("<tbody data-person=\"([^\"]*)\">").matcher(explained);
            while (person.find()) {
                persons.add(person.group(1));
            }
            Matcher listed = Pattern.compile("data-persons=\"(\\d+)\" data-shown=\"(\\d+)\"").matcher(explained);
            assertTrue(listed.find(), location);
            assertEquals(value, Long.parseLong(listed.group(1)), location + ": persons listed");
            assertEquals(Math.min(value, 100), persons.size(), location + ": persons shown");
            assertEquals(persons.size(), Integer.parseInt(listed.group(2)), location);
            assertFalse(explained.contains("data-mismatch"), location);
            Map<String, String> sources = new TreeMap<>();
            Matcher event = Pattern.compile("data-event-id=\"([^\"]+)\" data-source=\"([^\"]*)\"").matcher(explained);
            while (event.find()) {
                sources.put(event.group(1), event.group(2));
            }
            assertTrue(value == 0 || !sources.isEmpty() || "dialogues_held".equals(query.get("indicator")), location + ": no records listed");
            if (!sources.isEmpty()) {
                Map<String, String> stored = new TreeMap<>();
                clickHouse.query("SELECT event_id, any(source) AS source FROM " + database + ".field_events WHERE event_id IN ("
                        + String.join(", ", sources.keySet().stream().map(id -> "'" + id + "'").toList()) + ") GROUP BY event_id")
                        .forEach(r -> stored.put(r.get("event_id"), r.get("source")));
                assertEquals(sources, stored, location + ": every event listed is in field_events with its source");
            }
            HttpRequest.Builder csv = HttpRequest.newBuilder(URI.create(base + "explain.csv" + location.substring(location.indexOf('?'))));
            if (cookie != null) {
                csv.header("Cookie", cookie);
            }
            HttpResponse<String> download = HttpClient.newHttpClient().send(csv.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, download.statusCode(), download.body());
            assertTrue(download.body().startsWith("\uFEFFperson_id,"), download.body());
            // a line per record, led by the person and what they are counted as (a person counted in two
            // cohorts of a target's actual is two participants)
            long csvPersons = download.body().lines().skip(1).map(line -> line.substring(0, line.indexOf(',', line.indexOf(',') + 1)))
                    .distinct().count();
            assertEquals(value, csvPersons, location + ": persons in the CSV");
            figures += 3;
            pages++;
            System.out.printf("explained %s %s: %s = %d, %d persons shown, %d events checked%n", chosen[0], chosen[1], heading.group(1), value,
                    persons.size(), sources.size());
        }
        return pages;
    }

    /** The figure an explanation's query names, as its view holds it. */
    private static long viewFigure(ClickHouseGateway clickHouse, String database, Map<String, String> q) {
        String figure = q.get("figure");
        String program = "program_id = '" + q.get("program") + "'";
        String dimension = q.containsKey("partner") ? "partner" : q.containsKey("district") ? "district" : q.containsKey("upazila") ? "upazila"
                : "program";
        String cell = program + " AND dimension = '" + dimension + "' AND dimension_id = '" + q.getOrDefault(dimension, q.get("program")) + "'";
        String period = q.containsKey("to-date") ? "all" : q.getOrDefault("period", q.getOrDefault("quarter", q.getOrDefault("year",
                q.getOrDefault("fiscal-year", q.get("fiscal-quarter")))));
        String sql = switch (figure) {
            case "enrolled", "active", "completed", "dropped_out", "transferred" -> "SELECT " + figure + " FROM " + database
                    + ".v_cohort_retention WHERE " + program + " AND partner_id = '" + q.get("partner") + "' AND cohort_id = '" + q.get("cohort") + "'";
            case "survival" -> "SELECT surviving FROM " + database + ".v_retention_curve WHERE " + program + " AND partner_id = '"
                    + q.get("partner") + "' AND cohort_id = '" + q.get("cohort") + "' AND session_number = " + q.get("session")
                    + " AND sex = 'all' AND age_band = 'all'";
            case "people_reached", "new_people_reached" -> "SELECT sum(" + figure + ") FROM " + database + ".v_outreach WHERE " + cell
                    + " AND period_kind = '" + (q.containsKey("to-date") ? "to_date" : q.containsKey("quarter") ? "quarter" : "month")
                    + "' AND period = '" + period + "' AND sex = '" + q.getOrDefault("sex", "all") + "' AND age_band = '"
                    + q.getOrDefault("age-band", "all") + "'";
            case "actual" -> "SELECT toInt64(sum(actual)) FROM " + database + ".actuals_by_period WHERE " + cell + " AND indicator = '"
                    + q.get("indicator") + "' AND period = '" + period + "'";
            default -> throw new AssertionError("a link to figure " + figure);
        };
        return Long.parseLong(clickHouse.queryValue(sql));
    }

    /**
     * A cohort's page, reached by the link in the cohort list, in Chromium: its figures are the
     * cohort's row of the views, its sessions its survival rows, its statuses v_participant_progress counted.
     */
    private void cohortPage(Chromium chromium, URI base, Map<String, String> cohort, ViewFigures views, ClickHouseGateway clickHouse,
                            String database) throws Exception {
        cohortPage(chromium::dumpDom, base, cohort, views, clickHouse, database);
    }

    /** How a test reads a page's DOM: Chromium once per page, or one browser that is logged in. */
    private interface Dom {
        String of(URI url) throws Exception;
    }

    private void cohortPage(Dom browser, URI base, Map<String, String> cohort, ViewFigures views, ClickHouseGateway clickHouse,
                            String database) throws Exception {
        String href = "/cohort?program=" + java.net.URLEncoder.encode(cohort.get("program_id"), StandardCharsets.UTF_8)
                + "&partner=" + java.net.URLEncoder.encode(cohort.get("partner_id"), StandardCharsets.UTF_8)
                + "&cohort=" + java.net.URLEncoder.encode(cohort.get("cohort_id"), StandardCharsets.UTF_8);
        URI url = base.resolve(href);
        DashboardDom page = DashboardDom.parse(browser.of(url));
        assertNull(page.error(), url + " showed an error");
        int before = figures;
        checkShownText(page);
        Map<String, String> expected = new LinkedHashMap<>(cohort);
        compare("cohort page " + url, page.values("cohort"), List.of(expected), COHORT_KEY, false, Map.of());
        compare("cohort page sessions " + url, page.values("cohort-sessions"), views.survival(List.of(cohort)),
                List.of("partner_id", "cohort_id", "session_number"), false, Map.of());
        String where = " WHERE program_id = '%s' AND partner_id = '%s' AND cohort_id = '%s'".formatted(cohort.get("program_id"),
                cohort.get("partner_id"), cohort.get("cohort_id").replace("\\", "\\\\").replace("'", "\\'"));
        compare("cohort page statuses " + url, page.values("cohort-participants"), clickHouse.query("SELECT status, count() AS persons, "
                + "sum(sessions_attended) AS sessions_attended, sum(sessions_expected) AS sessions_expected FROM " + database
                + ".v_participant_progress" + where + " GROUP BY status"), List.of("status"), false, Map.of());
        assertFalse(page.values("cohort-participants").isEmpty(), url + ": no statuses");
        compare("cohort page attendance " + url, page.values("cohort-attendance"), clickHouse.query("SELECT session_number, "
                + "uniqExact(person_id) AS present FROM " + database + ".v_field_events_current" + where
                + " AND event_type = 'attendance_recorded' AND status = 'present' GROUP BY session_number"), List.of("session_number"), false, Map.of());
        assertFalse(page.values("cohort-attendance").isEmpty(), url + ": no attendance");
        System.out.printf("cohort page %s: %d figures compared%n", url, figures - before);
    }

    /** Prints the first page's bytes and serve time (the median of 3 loads) for docs/benchmarks.md. */
    private static void firstPage(URI url, Size size) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<Long> millis = new ArrayList<>();
        int bytes = 0;
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            millis.add((System.nanoTime() - start) / 1_000_000);
            assertEquals(200, response.statusCode(), url.toString());
            bytes = response.body().length;
        }
        Collections.sort(millis);
        System.out.printf("dashboard first page, %s program (%d cohorts) %s: %d bytes, %d ms%n", size.name(), size.cohorts(),
                url.getRawQuery() == null ? "no filters" : url.getRawQuery(), bytes, millis.get(1));
    }

    /**
     * The page with the rows of every other page of each of its paged tables (read over HTTP), each
     * page holding at most 25 rows, the next one starting where it ends: what the views hold is
     * compared with every page.
     */
    private static DashboardDom allPages(DashboardDom first, String dom, URI url, String cookie) throws Exception {
        DashboardDom page = first;
        HttpClient http = HttpClient.newHttpClient();
        for (Map.Entry<String, long[]> pager : DashboardDom.pagers(dom).entrySet()) {
            String table = pager.getKey();
            long total = pager.getValue()[0];
            assertEquals(Math.min(total, PAGE_ROWS), pager.getValue()[2], table + ": rows on the first page");
            assertEquals(pager.getValue()[2], first.values(table).size(), table + ": rows shown");
            for (int n = 1; (long) n * PAGE_ROWS < total; n++) {
                String parameter = table.equals("retention-per-cohort") ? "page" : "page-" + table;
                URI next = URI.create(url + (url.getRawQuery() == null ? "?" : "&") + parameter + "=" + n);
                HttpRequest.Builder request = HttpRequest.newBuilder(next).GET();
                if (cookie != null) {
                    request.header("Cookie", cookie);
                }
                String html = http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
                long[] shown = DashboardDom.pagers(html).get(table);
                assertEquals((long) n * PAGE_ROWS, shown[1], next + ": first row");
                assertEquals(Math.min(PAGE_ROWS, total - (long) n * PAGE_ROWS), shown[2], next + ": rows");
                page = page.withRows(table, DashboardDom.parse(html).tables().get(table));
            }
        }
        return page;
    }

    /** No filters, the program, a partner of it, a district, months, and partner with district (no outreach then). */
    private static List<Filters> filterSets(ViewFigures views) {
        Filters none = new Filters(null, null, null, null, null);
        List<Map<String, String>> cohorts = views.cohorts(none);
        Map<String, String> first = cohorts.stream().filter(c -> !c.get("district_id").isEmpty()).findFirst()
                .orElseThrow(() -> new AssertionError("no cohort in a district"));
        String program = first.get("program_id");
        TreeSet<String> months = new TreeSet<>();
        views.outreach("dash_people_reached_by_month", new Filters(program, null, null, null, null), true, null)
                .forEach(row -> months.add(row.get("month")));
        // three months from the first month reached, leaving later months out
        String from = months.first();
        String to = LocalDate.parse(from + "-01").plusMonths(2).toString().substring(0, 7);
        assertTrue(months.last().compareTo(to) > 0, "no month reached after " + to + ": " + months);
        return List.of(none,
                new Filters(program, null, null, null, null),
                new Filters(program, first.get("partner_id"), null, null, null),
                new Filters(null, null, first.get("district_id"), null, null),
                new Filters(program, null, null, from, to),
                new Filters(null, first.get("partner_id"), first.get("district_id"), null, null));
    }

    private static void assertEveryPartIsFilled(DashboardDom page, String dom) {
        for (String section : List.of("retention-by-partner-district", "retention-per-cohort", "survival-points", "pooled-survival", "reached-per-month",
                "reached-per-quarter", "reached-to-date", "targets-vs-actuals", "freshness", "dead-letters")) {
            assertFalse(page.values(section).isEmpty(), "nothing in " + section);
        }
        assertTrue(page.values("reached-per-month").get(0).keySet().stream().anyMatch(c -> c.contains("/")), "no sex × age band cells");
        assertFalse(page.bars().isEmpty(), "no bars");
        long cohorts = DashboardDom.pagers(dom).get("retention-per-cohort")[0];
        assertEquals(cohorts <= ReportOutput.SurvivalCurves.DRAWN_ONE_BY_ONE, !page.points().isEmpty(),
                "each cohort's curve drawn when at most " + ReportOutput.SurvivalCurves.DRAWN_ONE_BY_ONE + " cohorts, of " + cohorts);
    }

    // ---- the views

    /** {@code scoped}: an analyst's page, which shows no freshness (read from every program's tables). */
    private void compareWithViews(DashboardDom page, Filters filters, ViewFigures views, boolean scoped) {
        List<Map<String, String>> cohorts = views.cohorts(filters);
        compare("cohorts", page.values("retention-per-cohort"), cohorts, COHORT_KEY, false, Map.of());
        List<String> byPartnerDistrict = List.of("program_id", "partner_id", "district_id");
        compare("totals", page.values("retention-by-partner-district"), ViewFigures.totals(cohorts, byPartnerDistrict),
                byPartnerDistrict, false, Map.of());
        if (!filters.hasPeriod()) {
            compare("dash_retention_by_partner_district", page.values("retention-by-partner-district"),
                    views.retentionByPartnerDistrict(filters), byPartnerDistrict, false, Map.of());
        }
        compare("summary", List.of(tiles(page)), ViewFigures.totals(cohorts, List.of()), List.of(), false, Map.of());
        List<Map<String, String>> survival = views.survival(cohorts);
        compare("dash_survival_curves", page.values("survival-points"), survival, List.of("partner_id", "cohort_id", "session_number"),
                false, Map.of());
        // each cohort's own curve is drawn only for a few cohorts; past that, the pooled curve alone
        List<Map<String, String>> drawn = cohorts.size() <= ReportOutput.SurvivalCurves.DRAWN_ONE_BY_ONE ? survival : List.of();
        compare("survival points drawn", page.points().stream().map(p -> row("cohort_id", p.get("data-curve"),
                "session_number", p.get("data-session"), "survival_rate", p.get("data-value"))).toList(),
                drawn, List.of("cohort_id", "session_number"), false, Map.of());

        String quantile = "ClickHouse's quantile (an estimate): checked to lie within the cohorts' rates at the session";
        compare("pooled survival", page.values("pooled-survival"), pooled(survival), List.of("session_number"), false,
                Map.of("survival_p10", quantile, "survival_p90", quantile));
        for (Map<String, String> row : page.values("pooled-survival")) {
            List<Double> rates = survival.stream().filter(r -> r.get("session_number").equals(row.get("session_number")))
                    .map(r -> Double.parseDouble(r.get("survival_rate"))).toList();
            double low = Double.parseDouble(row.get("survival_p10"));
            double high = Double.parseDouble(row.get("survival_p90"));
            assertTrue(Collections.min(rates) - 1e-4 <= low && low <= high && high <= Collections.max(rates) + 1e-4,
                    "band at session " + row.get("session_number") + ": " + low + "–" + high + " for " + rates);
            figures += 2;
        }

        if (filters.partner() != null && filters.district() != null) {
            assertFalse(page.outreachShown(), "outreach by partner and district at once");
            assertFalse(page.tables().containsKey("reached-per-month"));
        } else {
            assertTrue(page.outreachShown());
            outreachFromViews(page, filters, views);
        }

        if (scoped) {
            assertFalse(page.tables().containsKey("freshness") || page.tables().containsKey("dead-letters"), "freshness on an analyst's page");
            return;
        }
        // freshness is read apart from the page: its lag is counted to the time that table was read
        LocalDateTime readAt = LocalDateTime.parse(page.freshnessReadAt().replace(" UTC", ""), CLICKHOUSE_TIME);
        List<Map<String, String>> freshness = new ArrayList<>();
        for (Map<String, String> table : views.freshness()) {
            boolean empty = "0".equals(table.get("row_count"));
            freshness.add(row("table_name", table.get("table_name"), "row_count", table.get("row_count"),
                    "as_of", empty ? "" : table.get("as_of"), "updated_at", empty ? "" : table.get("updated_at"),
                    "lag", empty ? "" : String.valueOf(Duration.between(LocalDateTime.parse(table.get("as_of"), CLICKHOUSE_TIME), readAt).toSeconds())));
        }
        compare("dash_freshness", page.values("freshness"), freshness, List.of("table_name"), false, Map.of());
        compare("v_dead_letters", page.values("dead-letters"), views.deadLetters(), List.of("stage", "topic"), false,
                Map.of("example_reason", "any() of the reasons: compared with the report only"));
    }

    /** The survival of the cohorts, persons pooled, per session: present then or later, summed, over enrolled, summed. */
    private static List<Map<String, String>> pooled(List<Map<String, String>> survival) {
        Map<Long, long[]> sums = new java.util.TreeMap<>();
        for (Map<String, String> row : survival) {
            long[] sum = sums.computeIfAbsent(Long.parseLong(row.get("session_number")), k -> new long[3]);
            sum[0]++;
            sum[1] += Long.parseLong(row.get("enrolled"));
            sum[2] += Long.parseLong(row.get("surviving"));
        }
        List<Map<String, String>> rows = new ArrayList<>();
        sums.forEach((session, sum) -> rows.add(row("session_number", String.valueOf(session), "cohorts", String.valueOf(sum[0]),
                "enrolled", String.valueOf(sum[1]), "surviving", String.valueOf(sum[2]),
                "survival_rate", sum[1] == 0 ? "" : String.valueOf((double) sum[2] / sum[1]))));
        return rows;
    }

    private void outreachFromViews(DashboardDom page, Filters filters, ViewFigures views) {
        List<Map<String, String>> monthly = renamed(views.outreach("dash_people_reached_by_month", filters, true, filters::inMonths),
                "month", "period");
        compare("dash_people_reached_by_month", page.values("reached-per-month"), monthly, PERIOD_KEY, false, Map.of());
        compare("bars", page.bars().stream().map(b -> row("dimension_id", b.get("data-series"), "period", b.get("data-month"),
                "people_reached", b.get("data-value"))).toList(), monthly, List.of("dimension_id", "period"), false, Map.of());
        compareCells("outreach_monthly", page.values("reached-per-month"), views.outreach("outreach_monthly", filters, false, filters::inMonths));

        List<Map<String, String>> quarterly = views.outreach("outreach_quarterly", filters, true, filters::inQuarters);
        compare("outreach_quarterly", page.values("reached-per-quarter"), quarterly, PERIOD_KEY, false, Map.of());
        compareCells("outreach_quarterly", page.values("reached-per-quarter"),
                views.outreach("outreach_quarterly", filters, false, filters::inQuarters));

        List<Map<String, String>> toDate = views.outreach("outreach_to_date", filters, true, null);
        compare("outreach_to_date", page.values("reached-to-date"), toDate, List.of("program_id", "dimension", "dimension_id"), false, Map.of());
        compare("people reached tiles", page.tiles().stream().filter(t -> t.metric().equals("people_reached_to_date"))
                .map(t -> row("dimension_id", t.key(), "people_reached", t.value())).toList(), toDate,
                List.of("dimension_id"), false, Map.of());
        compare("dash_targets_vs_actuals", page.values("targets-vs-actuals"), views.targets(filters), TARGET_KEY, false, Map.of());
    }

    /**
     * The sex × age band cells: each row of the view in its cell, every other cell 0, and the cells
     * of a period adding up to its total (a person sits in one cell of a period).
     */
    private void compareCells(String view, List<Map<String, String>> shown, List<Map<String, String>> cells) {
        Map<String, Map<String, String>> rows = new HashMap<>();
        shown.forEach(r -> rows.put(r.get("program_id") + "|" + r.get("dimension_id") + "|" + r.get("period"), r));
        Map<String, Map<String, String>> wanted = new HashMap<>();
        for (Map<String, String> cell : cells) {
            String key = cell.get("program_id") + "|" + cell.get("dimension_id") + "|" + cell.get("period");
            wanted.computeIfAbsent(key, k -> new HashMap<>()).put(cell.get("sex") + "/" + cell.get("age_band"), cell.get("people_reached"));
        }
        for (var entry : rows.entrySet()) {
            Map<String, String> row = entry.getValue();
            Map<String, String> expectedCells = wanted.getOrDefault(entry.getKey(), Map.of());
            long sum = 0;
            for (String column : row.keySet()) {
                if (column.contains("/")) {
                    assertEquals(expectedCells.getOrDefault(column, "0"), row.get(column), view + " " + entry.getKey() + " " + column);
                    sum += Long.parseLong(row.get(column));
                    figures++;
                }
            }
            assertTrue(row.keySet().containsAll(expectedCells.keySet()), view + " " + entry.getKey() + ": cells missing from the page");
            assertEquals(row.get("people_reached"), String.valueOf(sum), view + " " + entry.getKey() + ": the cells do not add up to the total");
        }
        assertTrue(rows.keySet().containsAll(wanted.keySet()), view + ": periods with cells but no row on the page");
    }

    // ---- the report command

    private void compareWithReport(DashboardDom page, Filters filters, Map<String, String> env) {
        List<String> retentionArgs = new ArrayList<>(List.of("retention", "--full"));
        retentionArgs.addAll(filters.options());
        PrintedReport retention = PrintedReport.run(env, retentionArgs);
        compare("report: per cohort", page.values("retention-per-cohort"), retention.section("Retention per cohort"), COHORT_KEY, true, Map.of());
        compare("report: by partner and district", page.values("retention-by-partner-district"),
                retention.section("Retention by partner and district"), List.of("program_id", "partner_id", "district_id"), true, Map.of());
        compare("report: all cohorts", List.of(tiles(page)), retention.section("Retention of all cohorts shown"), List.of(), true, Map.of());
        compare("report: survival points", page.values("survival-points"), retention.section("Survival curve points"),
                List.of("partner_id", "cohort_id", "session_number"), true, Map.of());
        compare("report: pooled survival", page.values("pooled-survival"), retention.section("Survival of the cohorts shown, persons pooled"),
                List.of("session_number"), true, Map.of());

        if (page.outreachShown()) {
            List<String> outreachArgs = new ArrayList<>(List.of("outreach", "--full"));
            outreachArgs.addAll(filters.options());
            PrintedReport outreach = PrintedReport.run(env, outreachArgs);
            compare("report: per month", page.values("reached-per-month"), outreach.section("People reached per month"), PERIOD_KEY, true,
                    Map.of());
            compareCells("report: per month by sex and age band", page.values("reached-per-month"),
                    outreach.section("People reached per month by sex and age band"));
            compare("report: per quarter", page.values("reached-per-quarter"), outreach.section("People reached per quarter"), PERIOD_KEY,
                    true, Map.of());
            compareCells("report: per quarter by sex and age band", page.values("reached-per-quarter"),
                    outreach.section("People reached per quarter by sex and age band"));
            compare("report: to date", page.values("reached-to-date"), outreach.section("People reached to date"),
                    List.of("program_id", "dimension", "dimension_id"), true, Map.of());
            compare("report: targets", page.values("targets-vs-actuals"), outreach.section("Targets vs actuals"), TARGET_KEY, true, Map.of());
        }

        PrintedReport freshness = PrintedReport.run(env, List.of("freshness"));
        compare("report: freshness", page.values("freshness"), freshness.section("Freshness per table"), List.of("table_name"), true,
                Map.of("lag", "the report reads the clock again and writes the lag out; compared with the views in seconds"));
        compare("report: dead letters", page.values("dead-letters"), freshness.section("Dead letters per topic"), List.of("stage", "topic"),
                true, Map.of());
    }

    // ---- the text a reader sees

    /** Every number shown is its figure, formatted: counts with separators, rates as percentages, lags as d/h/m/s. */
    private void checkShownText(DashboardDom page) {
        page.tables().forEach((section, rows) -> rows.forEach(row -> row.forEach((column, cell) -> {
            String expected = shown(column, cell.value(), cell.shown());
            if (expected != null) {
                assertEquals(expected, cell.shown(), section + " " + column + " shows something else than its figure " + cell.value());
                figures++;
            }
        })));
        for (DashboardDom.Tile tile : page.tiles()) {
            String column = tile.metric().equals("people_reached_to_date") ? "people_reached" : tile.metric();
            assertEquals(shown(column, tile.value(), tile.shown()), tile.shown(), "tile " + tile);
            figures++;
        }
    }

    /** The text a figure should be shown as; null for texts that are not figures. */
    private static String shown(String column, String value, String shownText) {
        if (RATES.contains(column)) {
            return value.isEmpty() ? "–" : String.format(Locale.ROOT, "%.1f%%", Double.parseDouble(value) * 100);
        }
        if (COUNTS.contains(column) || column.contains("/")) {
            return String.format(Locale.ROOT, "%,d", Long.parseLong(value));
        }
        if (column.equals("target") || column.equals("actual")) {
            if (value.isEmpty()) {
                return "–";
            }
            double number = Double.parseDouble(value);
            return number == Math.rint(number) ? String.format(Locale.ROOT, "%,d", (long) number) : String.format(Locale.ROOT, "%,.2f", number);
        }
        if (column.equals("lag")) {
            return value.isEmpty() ? "no rows" : Long.parseLong(value) == seconds(shownText) ? shownText : "a lag of " + value + " s";
        }
        return null;
    }

    /** "2d 03h 04m 05s", "1h 00m 00s", "4m 05s" in seconds. */
    private static long seconds(String lag) {
        Matcher m = Pattern.compile("(-?)(?:(\\d+)d )?(?:(\\d+)h )?(\\d+)m (\\d+)s").matcher(lag);
        if (!m.matches()) {
            return Long.MIN_VALUE;
        }
        long s = (m.group(2) == null ? 0 : Long.parseLong(m.group(2)) * 86400) + (m.group(3) == null ? 0 : Long.parseLong(m.group(3)) * 3600)
                + Long.parseLong(m.group(4)) * 60 + Long.parseLong(m.group(5));
        return m.group(1).isEmpty() ? s : -s;
    }

    // ---- comparing rows

    /**
     * The page's rows and the expected rows have the same keys, and every figure the page shows is
     * equal: exactly (the report prints what the page holds), or as numbers, rates within the 4
     * decimals the page rounds to (the views hold them unrounded). Every column of the page is
     * compared except the keys, the sex × age band cells ({@link #compareCells}) and the columns
     * named in {@code notCompared} with the reason; an expected row without a shown column fails.
     */
    private void compare(String what, List<Map<String, String>> shown, List<Map<String, String>> expected, List<String> keys,
                         boolean exact, Map<String, String> notCompared) {
        Map<String, Map<String, String>> shownByKey = byKey(what + " (page)", shown, keys);
        Map<String, Map<String, String>> expectedByKey = byKey(what + " (expected)", expected, keys);
        assertEquals(new TreeSet<>(expectedByKey.keySet()), new TreeSet<>(shownByKey.keySet()), what + ": rows differ");
        Set<String> columns = new TreeSet<>();
        shown.forEach(r -> columns.addAll(r.keySet()));
        if (!shown.isEmpty()) {
            assertTrue(columns.containsAll(notCompared.keySet()), what + ": columns exempted but not shown " + notCompared.keySet());
        }
        columns.removeIf(c -> keys.contains(c) || c.contains("/") || notCompared.containsKey(c));
        for (var entry : expectedByKey.entrySet()) {
            Map<String, String> page = shownByKey.get(entry.getKey());
            for (String column : columns) {
                String where = what + " " + entry.getKey() + " " + column;
                assertTrue(entry.getValue().containsKey(column), where + ": shown on the page, absent from the expected row " + entry.getValue());
                String want = text(entry.getValue().get(column));
                String got = text(page.get(column));
                if (exact) {
                    assertEquals(want, got, where);
                } else if (RATES.contains(column) && !want.isEmpty() && !got.isEmpty()) {
                    assertTrue(Math.abs(Double.parseDouble(want) - Double.parseDouble(got)) <= RATE_TOLERANCE, where + ": expected " + want + ", page " + got);
                } else if (isNumber(want) && isNumber(got)) {
                    assertEquals(Double.parseDouble(want), Double.parseDouble(got), where);
                } else {
                    assertEquals(want, got, where);
                }
                figures++;
            }
        }
    }

    private static Map<String, Map<String, String>> byKey(String what, List<Map<String, String>> rows, List<String> keys) {
        Map<String, Map<String, String>> byKey = new LinkedHashMap<>();
        for (Map<String, String> row : rows) {
            String key = String.join("|", keys.stream().map(k -> text(row.get(k))).toList());
            assertNull(byKey.put(key, row), what + ": two rows " + key);
        }
        return byKey;
    }

    /** Every summary tile of the cohorts shown (tiles without a key), metric to value. */
    private static Map<String, String> tiles(DashboardDom page) {
        Map<String, String> row = new LinkedHashMap<>();
        page.tiles().stream().filter(t -> t.key() == null).forEach(t -> row.put(t.metric(), t.value()));
        return row;
    }

    private static List<Map<String, String>> renamed(List<Map<String, String>> rows, String from, String to) {
        return rows.stream().map(r -> {
            Map<String, String> copy = new LinkedHashMap<>(r);
            copy.put(to, r.get(from));
            return (Map<String, String>) copy;
        }).toList();
    }

    private static Map<String, String> row(String... pairs) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            row.put(pairs[i], pairs[i + 1]);
        }
        return row;
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static boolean isNumber(String value) {
        return value.matches("-?\\d+(\\.\\d+)?(e-?\\d+)?");
    }

    // ---- services

    /** One record the streams cannot decode: it lands in v_dead_letters, and the page's dead-letter table has a row. */
    private static void undecodableEvent(Map<String, String> config) throws Exception {
        Topics topics = new Topics(config.get("FIELDSTREAM_TOPIC_PREFIX"));
        Map<String, Object> properties = new HashMap<>();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("FIELDSTREAM_BOOTSTRAP_SERVERS"));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.events.name(), "x".getBytes(StandardCharsets.UTF_8),
                    "not an event".getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    private static void awaitValue(ClickHouseGateway clickHouse, String sql, String value) {
        Awaitility.await(sql).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> clickHouse.queryValue(sql), value::equals);
    }
}
