package org.fieldstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fieldstream.platform.ClickHouseHttp;
import org.fieldstream.platform.LocalClickHouse;
import org.fieldstream.platform.TestServices;
import org.fieldstream.schema.AnalystAccounts;
import org.fieldstream.schema.AnalystScope;
import org.fieldstream.schema.ScopeViews;
import org.fieldstream.seeds.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Analysts by role on the real ClickHouse 18.16 server: a generated program (two programs, four
 * partners) lands through the pipeline; a program analyst per program and a partner analyst per
 * partner log in over HTTP as themselves, and every analyst view they read in their scope database
 * returns, row for row, the unrestricted view filtered to their scope. Base tables, other scopes'
 * databases, the main database through remote(), writes, DDL and the settings that would route a
 * read around the scope cluster are refused. Rotating a password locks the old one out; removing an
 * account locks it out and drops the scope with its last account.
 */
class AnalystScopesIT {

    @TempDir
    Path work;

    @Test
    void everyAnalystReadsExactlyTheirScopeAndNothingElse() throws Exception {
        LocalClickHouse server = assertInstanceOf(LocalClickHouse.class, TestServices.clickHouse(),
                "analyst accounts need a ClickHouse whose config files FieldStream writes (the local test server)");
        try (LandedProgram program = LandedProgram.land(42L, Size.DEMO, work)) {
            String db = program.database;
            Login admin = new Login(server.httpUrl(), "default", "");
            AnalystAccounts accounts = new AnalystAccounts(program.clickHouse, server.httpUrl(), db, server.workDir(),
                    server.host(), server.tcpPort(), AnalystAccounts.Limits.DEFAULT);

            List<AnalystScope> scopes = new ArrayList<>();
            for (String line : lines(admin.query("SELECT DISTINCT program_id, partner_id FROM " + db + ".field_events ORDER BY 1, 2"))) {
                String[] ids = line.split("\t");
                AnalystScope programScope = new AnalystScope(ids[0], null);
                if (!scopes.contains(programScope)) {
                    scopes.add(programScope);
                }
                scopes.add(new AnalystScope(ids[0], ids[1]));
            }
            long programs = scopes.stream().filter(s -> s.partner() == null).count();
            assertTrue(programs >= 2 && scopes.size() - programs >= 3, "two programs and three partners landed: " + scopes);

            Map<String, AnalystAccounts.Credentials> logins = new LinkedHashMap<>();
            Map<String, AnalystScope> scopeOf = new LinkedHashMap<>();
            int n = 0;
            for (AnalystScope scope : scopes) {
                String name = "it_" + db.substring(db.length() - 6) + "_" + n++;
                logins.put(name, accounts.add(name, scope));
                scopeOf.put(name, scope);
            }
            assertEquals(scopeOf.keySet(), accounts.list().stream().map(AnalystAccounts.Analyst::name)
                    .collect(java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new)));
            String stored = Files.readString(server.workDir().resolve("users.d/fieldstream-analyst-" + logins.keySet().iterator().next() + ".xml"));
            assertTrue(stored.contains("<password_sha256_hex>"), stored);
            logins.values().forEach(c -> assertFalse(stored.contains(c.password()), "a password is stored in clear"));

            Map<String, Integer> rowsPerView = new LinkedHashMap<>();
            Map<String, Integer> outsideScope = new LinkedHashMap<>();
            for (Map.Entry<String, AnalystAccounts.Credentials> login : logins.entrySet()) {
                AnalystScope scope = scopeOf.get(login.getKey());
                AnalystAccounts.Credentials c = login.getValue();
                Login analyst = new Login(server.httpUrl(), c.user(), c.password());
                Map<String, String> filters = ScopeViews.offered(program.clickHouse, db, scope);
                List<String> views = List.copyOf(filters.keySet());
                assertTrue(views.containsAll(List.of("v_cohort_retention", "v_participant_progress", "v_field_events_current",
                        "v_outreach", "outreach_monthly", "v_dialogues", "v_org_units", "v_programs", "explain_person_records",
                        "explain_reach_records", "explain_dialogue_records", "explain_actual_records", "recompute_outreach_persons")),
                        scope + " offers " + views);
                assertEquals(views, lines(analyst.query(c.database(), "SELECT name FROM system.tables WHERE database = currentDatabase()"))
                        .stream().sorted((a, b) -> views.indexOf(a) - views.indexOf(b)).toList(), "the tables of " + c.database());
                for (String view : views) {
                    List<String> got = sorted(analyst.query(c.database(), "SELECT * FROM " + view));
                    List<String> all = lines(admin.query("SELECT * FROM " + db + "." + view + " FORMAT TabSeparatedWithNames"));
                    List<String> wanted = inScope(all, scope);
                    assertEquals(wanted, got, scope + " reading " + view);
                    rowsPerView.merge(view, got.size(), Integer::sum);
                    outsideScope.merge(view, all.size() - 1 - got.size(), Integer::sum);
                }
                refused(analyst, c.database(), "SELECT count() FROM " + db + ".field_events", "Access denied");
                refused(analyst, c.database(), "SELECT count() FROM " + db + ".v_cohort_retention", "Access denied");
                refused(analyst, c.database(), "SELECT count() FROM remote('127.0.0.1:" + server.tcpPort() + "', " + db
                        + ", field_events)", "Table functions are forbidden in readonly mode");
                refused(analyst, c.database(), "INSERT INTO v_cohort_retention SELECT * FROM v_cohort_retention", "readonly");
                refused(analyst, c.database(), "CREATE TABLE scratch (a UInt8) ENGINE = Memory", "readonly");
                refused(analyst, c.database(), "SET prefer_localhost_replica = 1", "readonly");
                for (AnalystAccounts.Credentials other : logins.values()) {
                    if (!other.database().equals(c.database())) {
                        refused(analyst, c.database(), "SELECT count() FROM " + other.database() + ".v_cohort_retention", "Access denied");
                    }
                }
                String overridden = withSetting(server.httpUrl() + "/?database=" + c.database() + "&prefer_localhost_replica=1",
                        c.user(), c.password(), "SELECT count() FROM v_cohort_retention");
                assertTrue(overridden.startsWith("500 ") && overridden.contains("readonly"), overridden);
            }
            System.out.printf("%d analysts, rows read per view (summed over scopes): %s%n", logins.size(), rowsPerView);
            for (String view : List.of("v_cohort_retention", "v_participant_progress", "v_field_events_current", "v_outreach")) {
                assertTrue(rowsPerView.get(view) > 0, view + " has rows in some scope");
                assertTrue(outsideScope.get(view) > 0, view + " has rows outside some scope, so a filter is tested");
            }

            String first = logins.keySet().iterator().next();
            AnalystAccounts.Credentials before = logins.get(first);
            AnalystAccounts.Credentials rotated = accounts.rotate(first);
            assertTrue(accounts.canLogIn(first, rotated.password(), rotated.database()));
            assertFalse(accounts.canLogIn(first, before.password(), before.database()), "the old password still logs in");
            accounts.remove(first);
            assertFalse(accounts.canLogIn(first, rotated.password(), rotated.database()), "a removed analyst still logs in");
            assertEquals("0", admin.query("SELECT count() FROM system.databases WHERE name = '" + rotated.database() + "'").strip(),
                    "the scope of its last analyst is dropped");
            for (String name : logins.keySet()) {
                if (!name.equals(first)) {
                    accounts.remove(name);
                }
            }
            assertEquals(List.of(), accounts.list());
        }
    }

    /**
     * A user's HTTP login, a new connection per statement: the test server closes idle connections
     * after 3 s, and a reused one it has just closed would fail the statement.
     */
    private record Login(String url, String user, String password) {
        String query(String sql) {
            return new ClickHouseHttp(url, user, password).query(sql);
        }

        String query(String database, String sql) {
            return new ClickHouseHttp(url, user, password).query(database, sql);
        }
    }

    /** Status and body of a statement sent to {@code url} as is (settings in the URL). */
    private static String withSetting(String url, String user, String password, String sql) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                        .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                                (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(sql)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    private static void refused(Login analyst, String database, String sql, String why) {
        ClickHouseHttp.ClickHouseHttpException e = assertThrows(ClickHouseHttp.ClickHouseHttpException.class,
                () -> analyst.query(database, sql), "not refused: " + sql);
        assertTrue(e.getMessage().contains(why), sql + ": " + e.getMessage());
    }

    /**
     * The rows of an unrestricted view (TabSeparatedWithNames) that belong to the scope, sorted: its
     * program's rows, and for a partner the rows of that partner (its {@code partner_id}, or its cells
     * of a view by dimension; its program's row of a view with neither, as v_programs).
     */
    private static List<String> inScope(List<String> withNames, AnalystScope scope) {
        List<String> names = Arrays.asList(withNames.get(0).split("\t", -1));
        int program = names.indexOf("program_id");
        int partner = names.indexOf("partner_id");
        int dimension = names.indexOf("dimension");
        int dimensionId = names.indexOf("dimension_id");
        return withNames.subList(1, withNames.size()).stream().filter(line -> {
            String[] v = line.split("\t", -1);
            if (program < 0) {
                return true; // a shared reference view (ScopeViews.SHARED): whole in every scope
            }
            if (!v[program].equals(scope.program())) {
                return false;
            }
            if (scope.partner() == null || partner < 0 && dimension < 0) {
                return true; // a program's reference row (ScopeViews.PROGRAM_WIDE): whole in its partners' scopes
            }
            return partner >= 0 ? v[partner].equals(scope.partner())
                    : v[dimension].equals("partner") && v[dimensionId].equals(scope.partner());
        }).sorted().toList();
    }

    private static List<String> lines(String text) {
        return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
    }

    private static List<String> sorted(String text) {
        return lines(text).stream().sorted().toList();
    }
}
