package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The HTTP rules, with no ClickHouse reachable: everything refused is refused before any query. */
class DashboardServerTest {

    // nothing listens on port 9 (discard)
    private static final DashboardSettings NOWHERE = DashboardSettings.load(Map.of("FIELDSTREAM_CLICKHOUSE_URL", "http://127.0.0.1:9",
            "FIELDSTREAM_DASHBOARD_REFRESH_SECONDS", "7", "FIELDSTREAM_DASHBOARD_LOGIN", "open"));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void listensOnLoopbackOnTheGivenPort() throws Exception {
        try (DashboardServer server = DashboardServer.start(NOWHERE, 0)) {
            assertTrue(server.url().toString().matches("http://127\\.0\\.0\\.1:\\d+/"), server.url().toString());
            assertTrue(server.url().getPort() > 0);
        }
    }

    @Test
    void answersOnlyGetOnTheRoot() throws Exception {
        try (DashboardServer server = DashboardServer.start(NOWHERE, 0)) {
            HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(server.url()).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
            assertEquals("GET", post.headers().firstValue("Allow").orElse(""));
            assertEquals(404, get(server.url().resolve("/etc/passwd")).statusCode());
            assertEquals(404, get(server.url().resolve("/index.html?program=x")).statusCode());
        }
    }

    @Test
    void refusesABadFilterWith400AndAClearMessage() throws Exception {
        try (DashboardServer server = DashboardServer.start(NOWHERE, 0)) {
            HttpResponse<String> unknown = get(server.url().resolve("/?order=enrolled"));
            assertEquals(400, unknown.statusCode());
            assertTrue(unknown.body().contains("data-error=\"true\">unknown parameter &#39;order&#39;: the dashboard takes program, partner,"),
                    unknown.body());
            HttpResponse<String> sort = get(server.url().resolve("/?sort=enrolled%20DESC%3B%20DROP"));
            assertEquals(400, sort.statusCode());
            assertTrue(sort.body().contains("sort &#39;enrolled DESC; DROP&#39; is none of risk, retention, low-retention, dropout, size"), sort.body());
            assertEquals(400, get(server.url().resolve("/?page=-1")).statusCode());
            assertEquals(404, get(server.url().resolve("/csv/passwords")).statusCode());
            HttpResponse<String> injection = get(server.url().resolve("/?partner=%27%20OR%201%3D1%20--"));
            assertEquals(400, injection.statusCode());
            assertTrue(injection.body().contains("invalid partner &#39;&#39; OR 1=1 --&#39;: an id is"), injection.body());
            HttpResponse<String> script = get(server.url().resolve("/?program=%3Cscript%3E"));
            assertEquals(400, script.statusCode());
            assertTrue(!script.body().contains("<script>") && script.body().contains("&lt;script&gt;"));
            assertEquals(0, server.pagesServed());
        }
    }

    @Test
    void saysClickHouseIsNotAnsweringWith503AndKeepsRefreshing() throws Exception {
        try (DashboardServer server = DashboardServer.start(NOWHERE, 0)) {
            HttpResponse<String> page = get(server.url());
            assertEquals(503, page.statusCode());
            assertTrue(page.body().contains("ClickHouse did not answer"), page.body());
            assertTrue(page.body().contains("<meta http-equiv=\"refresh\" content=\"7\">"));
            assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
            assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").startsWith("default-src 'none'"));
            assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(""));
        }
    }

    @Test
    void anExplanationIsRefusedBeforeAnyQueryAndAnswersWithThePagesHeaders() throws Exception {
        try (DashboardServer server = DashboardServer.start(NOWHERE, 0)) {
            HttpResponse<String> incomplete = get(server.url().resolve("/explain?program=p&cohort=c&figure=enrolled"));
            assertEquals(400, incomplete.statusCode());
            assertTrue(incomplete.body().contains("enrolled takes program, partner and cohort, no period"), incomplete.body());
            HttpResponse<String> script = get(server.url().resolve("/explain?program=p&partner=x&cohort=c&figure=%3Cscript%3E"));
            assertEquals(400, script.statusCode());
            assertTrue(!script.body().contains("<script>") && script.body().contains("unknown figure &#39;&lt;script&gt;&#39;"), script.body());
            assertEquals(400, get(server.url().resolve("/explain.csv?program=p&figure=people_reached")).statusCode(), "no period");
            assertEquals(405, HTTP.send(HttpRequest.newBuilder(server.url().resolve("/explain?program=p")).POST(HttpRequest.BodyPublishers
                    .ofString("x")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpResponse<String> down = get(server.url().resolve("/explain?program=p&partner=x&cohort=c&figure=enrolled"));
            assertEquals(503, down.statusCode(), "a valid request reads ClickHouse");
            assertTrue(down.headers().firstValue("Content-Security-Policy").orElse("").startsWith("default-src 'none'"));
            assertEquals("no-store", down.headers().firstValue("Cache-Control").orElse(""));
            assertEquals(0, server.pagesServed());
        }
    }

    @Test
    void everyScopeTheDashboardLogsInReadsPersonsThroughTheOneCheck() {
        DashboardServer.requirePersonLevel(null);
        for (DashboardScope scope : List.of(new DashboardScope("ana", "db_program_p", "p", null), new DashboardScope("bo", "db_partner_p_x", "p", "x"))) {
            DashboardServer.requirePersonLevel(scope);
            assertTrue(scope.role().personLevel(), scope.toString());
        }
    }

    private static final DashboardSettings LOGIN = DashboardSettings.load(Map.of("FIELDSTREAM_CLICKHOUSE_URL", "http://127.0.0.1:9"));

    @Test
    void withAnalystLoginEveryPageSendsTheBrowserToTheLoginForm() throws Exception {
        try (DashboardServer server = DashboardServer.start(LOGIN, 0)) {
            for (String path : List.of("/", "/?program=p", "/cohort?program=p&partner=x&cohort=c", "/csv/retention-per-cohort", "/nothing",
                    "/explain?program=p&partner=x&cohort=c&figure=enrolled", "/explain.csv?program=p&partner=x&cohort=c&figure=enrolled")) {
                HttpResponse<String> page = get(server.url().resolve(path));
                assertEquals(303, page.statusCode(), path);
                assertEquals("/login", page.headers().firstValue("Location").orElse(""), path);
                assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").startsWith("default-src 'none'"));
            }
            HttpResponse<String> form = get(server.url().resolve("/login"));
            assertEquals(200, form.statusCode());
            assertTrue(form.body().contains("<form class=\"login\" method=\"post\" action=\"/login\">"), form.body());
            assertTrue(form.body().contains("type=\"password\" name=\"password\""), form.body());
            assertEquals("default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
                    form.headers().firstValue("Content-Security-Policy").orElse(""));
            assertEquals("no-referrer", form.headers().firstValue("Referrer-Policy").orElse(""));
            assertEquals("nosniff", form.headers().firstValue("X-Content-Type-Options").orElse(""));
            String cookie = form.headers().firstValue("Set-Cookie").orElse("");
            assertTrue(cookie.matches("fieldstream_login=[A-Za-z0-9_-]{43}; Path=/login; HttpOnly; SameSite=Strict"), cookie);
            assertTrue(form.body().contains("name=\"token\" value=\"" + token(cookie) + "\""), "the form carries its cookie's token");
            HttpResponse<String> again = HTTP.send(HttpRequest.newBuilder(server.url().resolve("/login")).header("Cookie",
                    "fieldstream_login=" + token(cookie)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(cookie, again.headers().firstValue("Set-Cookie").orElse(""), "a browser's second load keeps the token of the form it shows");
            HttpResponse<String> forged = HTTP.send(HttpRequest.newBuilder(server.url().resolve("/login")).header("Cookie",
                    "fieldstream_login=x").build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(!forged.headers().firstValue("Set-Cookie").orElse("").startsWith("fieldstream_login=x;"), "a token it did not make is replaced");
            assertEquals(0, server.sessions());
        }
    }

    @Test
    void aLoginPostWithoutTheFormsTokenOrFromAnotherSiteIsRefused() throws Exception {
        try (DashboardServer server = DashboardServer.start(LOGIN, 0)) {
            String token = token(get(server.url().resolve("/login")).headers().firstValue("Set-Cookie").orElseThrow());
            assertEquals(403, post(server, "/login", null, null, "user=ana&password=secret&token=" + token).statusCode(), "no cookie");
            assertEquals(403, post(server, "/login", "fieldstream_login=" + token, null, "user=ana&password=secret").statusCode(), "no field");
            assertEquals(403, post(server, "/login", "fieldstream_login=" + token, null, "user=ana&password=secret&token=x" + token)
                    .statusCode(), "another token");
            HttpResponse<String> foreign = post(server, "/login", "fieldstream_login=" + token, "http://evil.example",
                    "user=ana&password=secret&token=" + token);
            assertEquals(403, foreign.statusCode(), "another origin");
            assertTrue(!foreign.body().contains("secret"), foreign.body());
            assertEquals(403, post(server, "/logout", null, "http://evil.example", "token=x").statusCode(), "a logout from another site");
            HttpResponse<String> logout = post(server, "/logout", null, null, "token=x");
            assertEquals(303, logout.statusCode(), "a logout without a session goes to the form");
            assertEquals("/login", logout.headers().firstValue("Location").orElse(""));
            assertEquals(0, server.sessions());
        }
    }

    @Test
    void aFailedLoginSaysTheSameWhateverFailedAndIsThrottledPerClient() throws Exception {
        try (DashboardServer server = DashboardServer.start(LOGIN, 0)) {
            List<String> bodies = new ArrayList<>();
            for (String user : List.of("Robert%27%29%3B+DROP", "", "a%20b", "ana%3Cscript%3E", "x".repeat(64))) {
                String token = token(get(server.url().resolve("/login")).headers().firstValue("Set-Cookie").orElseThrow());
                HttpResponse<String> failed = post(server, "/login", "fieldstream_login=" + token, null,
                        "user=" + user + "&password=hunter2-secret&token=" + token);
                assertEquals(401, failed.statusCode(), user);
                assertTrue(failed.body().contains("data-error=\"true\">Wrong user name or password.</p>"), failed.body());
                assertTrue(!failed.body().contains("hunter2") && !failed.body().contains("script>") && !failed.body().contains("DROP"), failed.body());
                bodies.add(failed.body().replaceAll("value=\"[A-Za-z0-9_-]{43}\"", ""));
            }
            assertEquals(1, new java.util.HashSet<>(bodies).size(), "one answer for every failure");
            String token = token(get(server.url().resolve("/login")).headers().firstValue("Set-Cookie").orElseThrow());
            HttpResponse<String> throttled = post(server, "/login", "fieldstream_login=" + token, null, "user=ana&password=x&token=" + token);
            assertEquals(429, throttled.statusCode());
            assertTrue(Integer.parseInt(throttled.headers().firstValue("Retry-After").orElse("0")) > 0);
        }
    }

    @Test
    void aLoginWhileClickHouseIsNotAnsweringSaysSo() throws Exception {
        try (DashboardServer server = DashboardServer.start(LOGIN, 0)) {
            String token = token(get(server.url().resolve("/login")).headers().firstValue("Set-Cookie").orElseThrow());
            HttpResponse<String> down = post(server, "/login", "fieldstream_login=" + token, server.url().toString().replaceAll("/$", ""),
                    "user=ana&password=secret&token=" + token);
            assertEquals(503, down.statusCode(), down.body());
            assertTrue(down.body().contains("ClickHouse did not answer"), down.body());
            assertEquals(0, server.sessions());
        }
    }

    private static String token(String setCookie) {
        return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
    }

    private static HttpResponse<String> post(DashboardServer server, String path, String cookie, String origin, String form) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.url().resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        if (origin != null) {
            request.header("Origin", origin);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
