package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.platform.LocalClickHouse;
import org.fieldstream.platform.TestServices;
import org.fieldstream.schema.AnalystAccounts;
import org.fieldstream.schema.AnalystScope;
import org.fieldstream.schema.Migrations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's login with viewers kept under {@code data.dir}, on the real ClickHouse 18.16 and
 * its analyst accounts: every refused login costs one slow password check whatever the name (an
 * unknown one, an analyst's with a wrong password, a viewer's with a wrong password), so a name's
 * existence does not show in the time a refusal takes; an analyst's login costs none (their
 * password is ClickHouse's to check). The checks are counted, not timed.
 */
class DashboardLoginIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path data;

    @Test
    void everyRefusalCostsOneSlowCheckAndAnAnalystsLoginNone() throws Exception {
        LocalClickHouse server = assertInstanceOf(LocalClickHouse.class, TestServices.clickHouse(),
                "analyst accounts need a ClickHouse whose config files FieldStream writes (the local test server)");
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String db = "it_login_" + suffix;
        try (ClickHouseGateway gateway = new ClickHouseGateway(server.httpUrl(), "default", "")) {
            Migrations.apply(gateway, db);
            KnownRows.insert(gateway, db);
            AnalystAccounts accounts = new AnalystAccounts(gateway, server.httpUrl(), db, server.workDir(), server.host(), server.tcpPort(),
                    AnalystAccounts.Limits.DEFAULT);
            AnalystAccounts.Credentials analyst = accounts.add("login_a_" + suffix, new AnalystScope("shouhardo3", null));
            ViewerAccounts viewers = new ViewerAccounts(data);
            String viewer = "login_v_" + suffix;
            viewers.add(viewer, "shouhardo3");
            DashboardSettings settings = DashboardSettings.load(Map.of("FIELDSTREAM_CLICKHOUSE_URL", server.httpUrl(),
                    "FIELDSTREAM_CLICKHOUSE_DATABASE", db, "FIELDSTREAM_DASHBOARD_PORT", "0", "FIELDSTREAM_DASHBOARD_LOGIN", "analysts"))
                    .withDataDir(data);
            try (DashboardServer dashboard = DashboardServer.start(settings, 0)) {
                URI url = dashboard.url();
                assertChecks(0, 303, url, analyst.user(), analyst.password(), "an analyst's login");
                assertChecks(1, 401, url, analyst.user(), analyst.password() + "x", "an analyst's wrong password");
                assertChecks(1, 401, url, "nobody_" + suffix, "a-guess", "an unknown name");
                assertChecks(1, 401, url, viewer, "a-guess", "a viewer's wrong password");
                assertChecks(0, 303, url, analyst.user(), analyst.password(), "an analyst's login after refusals");
            } finally {
                accounts.remove(analyst.user());
            }
        }
    }

    private static void assertChecks(long checks, int status, URI dashboard, String user, String password, String what) throws Exception {
        long before = PasswordHash.checks();
        assertEquals(status, login(dashboard, user, password).statusCode(), what);
        assertEquals(checks, PasswordHash.checks() - before, what + ": slow password checks");
    }

    /** The login form, then its POST with the form's token. */
    private static HttpResponse<String> login(URI dashboard, String user, String password) throws Exception {
        HttpResponse<String> form = HTTP.send(HttpRequest.newBuilder(dashboard.resolve("/login")).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        String cookie = form.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(DashboardLogin.LOGIN_COOKIE + "="))
                .findFirst().orElseThrow().split(";")[0];
        Matcher token = Pattern.compile("name=\"token\" value=\"([^\"]+)\"").matcher(form.body());
        assertTrue(token.find(), form.body());
        String body = "user=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8)
                + "&token=" + URLEncoder.encode(token.group(1), StandardCharsets.UTF_8);
        return HTTP.send(HttpRequest.newBuilder(dashboard.resolve("/login")).timeout(Duration.ofSeconds(60)).header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
