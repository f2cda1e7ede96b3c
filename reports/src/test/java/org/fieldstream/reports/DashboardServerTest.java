package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The HTTP rules, with no ClickHouse reachable: everything refused is refused before any query. */
class DashboardServerTest {

    // nothing listens on port 9 (discard)
    private static final DashboardSettings NOWHERE = DashboardSettings.load(Map.of("FIELDSTREAM_CLICKHOUSE_URL", "http://127.0.0.1:9",
            "FIELDSTREAM_DASHBOARD_REFRESH_SECONDS", "7"));
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

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
