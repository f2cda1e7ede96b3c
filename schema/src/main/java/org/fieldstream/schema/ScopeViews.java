package org.fieldstream.schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fieldstream.clickhouse.ClickHouseSql;
import org.fieldstream.clickhouse.Sql;

/**
 * The analyst views of one {@link AnalystScope}, enforced by ClickHouse 18.16, which has no row
 * policies: for each bundled view with the scope's columns, a filtered view in the main database
 * ({@code s_<scope>__<view>}, the scope's filter over the view) and, in the scope's database, a
 * {@code Distributed} table of the same name as the view over that filtered view on a one-replica
 * cluster of the server itself. The cluster logs in as an internal read-only user that may read the
 * main database; the analyst may read the scope database only, and with {@code prefer_localhost_replica = 0}
 * (fixed in the analyst's read-only profile) every read goes through the cluster, so the analyst gets
 * the filtered rows and nothing else, even reading the Distributed table directly.
 */
public final class ScopeViews {

    /**
     * Reference views holding no program's or partner's rows, the administrative geography (divisions,
     * districts, upazilas, unions), offered whole to every scope: the reports and the dashboard map a
     * cohort's org unit to its district with it.
     */
    public static final Set<String> SHARED = Set.of("v_org_units");

    /**
     * Reference views of a program without partner rows, offered to a partner's scope filtered to its
     * program: the program's own row (its name, fiscal year start month, small cell threshold), which
     * the dashboard needs to name the program's fiscal years and explain their figures.
     */
    public static final Set<String> PROGRAM_WIDE = Set.of("v_programs");

    private ScopeViews() {
    }

    /**
     * The bundled views the scope offers, in {@code index.txt} order, each with its filter
     * ({@link AnalystScope#filterFor}): those of the main database that can be limited to the scope,
     * the {@link #SHARED} ones whole (filter {@code 1}) and, to a partner's scope, the {@link #PROGRAM_WIDE}
     * ones limited to its program.
     */
    public static Map<String, String> offered(ClickHouseSql admin, String database, AnalystScope scope) {
        Map<String, Set<String>> columns = new HashMap<>();
        for (Map<String, String> row : admin.query("SELECT table, name FROM system.columns WHERE database = "
                + Sql.literal(database))) {
            columns.computeIfAbsent(row.get("table"), t -> new HashSet<>()).add(row.get("name"));
        }
        Map<String, String> offered = new LinkedHashMap<>();
        for (ViewFile view : Views.bundled()) {
            if (SHARED.contains(view.name()) && columns.containsKey(view.name())) {
                offered.put(view.name(), "1");
            } else if (PROGRAM_WIDE.contains(view.name()) && scope.partner() != null) {
                new AnalystScope(scope.program(), null).filterFor(columns.getOrDefault(view.name(), Set.of()))
                        .ifPresent(filter -> offered.put(view.name(), filter));
            } else {
                scope.filterFor(columns.getOrDefault(view.name(), Set.of())).ifPresent(filter -> offered.put(view.name(), filter));
            }
        }
        return offered;
    }

    /** The filtered view in the main database that the scope database's table of {@code view} reads. */
    static String filteredView(String database, AnalystScope scope, String view) {
        return Sql.identifier("s_" + scope.database(database).substring(database.length() + 1) + "__" + Sql.identifier(view));
    }

    /**
     * Creates (or re-creates, so column changes of the views reach it) the scope's database and its
     * tables over {@code cluster}; drops what an earlier state of the scope left. Returns the views offered.
     */
    public static List<String> apply(ClickHouseSql admin, String database, AnalystScope scope, String cluster) {
        String scopeDb = scope.database(database);
        Map<String, String> views = offered(admin, database, scope);
        if (views.isEmpty()) {
            throw new IllegalStateException("no analyst view of " + database + " has the columns of a " + scope.role().text()
                    + " scope; apply the migrations and views first");
        }
        admin.execute("CREATE DATABASE IF NOT EXISTS " + Sql.identifier(scopeDb));
        Set<String> wanted = views.keySet();
        for (Map<String, String> row : admin.query("SELECT name FROM system.tables WHERE database = " + Sql.literal(scopeDb))) {
            if (!wanted.contains(row.get("name"))) {
                admin.execute("DROP TABLE IF EXISTS " + Sql.qualified(scopeDb, row.get("name")));
            }
        }
        for (Map.Entry<String, String> entry : views.entrySet()) {
            String view = entry.getKey();
            String filtered = filteredView(database, scope, view);
            admin.execute("DROP TABLE IF EXISTS " + Sql.qualified(scopeDb, view));
            admin.execute("DROP TABLE IF EXISTS " + Sql.qualified(database, filtered));
            admin.execute("CREATE VIEW " + Sql.qualified(database, filtered) + " AS SELECT * FROM "
                    + Sql.qualified(database, view) + " WHERE " + entry.getValue());
            admin.execute("CREATE TABLE " + Sql.qualified(scopeDb, view) + " AS " + Sql.qualified(database, filtered)
                    + " ENGINE = Distributed(" + Sql.identifier(cluster) + ", " + Sql.identifier(database) + ", "
                    + filtered + ")");
        }
        return List.copyOf(views.keySet());
    }

    /**
     * The tables of the scope's database that no longer match the views the scope offers: a view whose
     * columns (names and types, in order) differ from its table's, a view without a table (added by an
     * upgrade, or the scope database missing, as after a restore), a table whose view is no longer
     * offered. Empty when the scope is current.
     */
    public static List<String> stale(ClickHouseSql admin, String database, AnalystScope scope) {
        Map<String, String> views = offered(admin, database, scope);
        Map<String, List<String>> main = columns(admin, database);
        Map<String, List<String>> inScope = columns(admin, scope.database(database));
        List<String> stale = new ArrayList<>();
        for (String view : views.keySet()) {
            if (!java.util.Objects.equals(main.get(view), inScope.get(view))) {
                stale.add(view);
            }
        }
        inScope.keySet().stream().filter(table -> !views.containsKey(table)).sorted().forEach(stale::add);
        return stale;
    }

    /** Every table's columns as {@code name type}, in the order the server lists them. */
    private static Map<String, List<String>> columns(ClickHouseSql admin, String database) {
        Map<String, List<String>> columns = new HashMap<>();
        for (Map<String, String> row : admin.query("SELECT table, name, type FROM system.columns WHERE database = "
                + Sql.literal(database))) {
            columns.computeIfAbsent(row.get("table"), t -> new ArrayList<>()).add(row.get("name") + " " + row.get("type"));
        }
        return columns;
    }

    /** Drops the scope's database and its filtered views. */
    public static void drop(ClickHouseSql admin, String database, AnalystScope scope) {
        admin.execute("DROP DATABASE IF EXISTS " + Sql.identifier(scope.database(database)));
        String prefix = filteredView(database, scope, "x");
        prefix = prefix.substring(0, prefix.length() - 1);
        for (Map<String, String> row : admin.query("SELECT name FROM system.tables WHERE database = " + Sql.literal(database)
                + " AND startsWith(name, " + Sql.literal(prefix) + ")")) {
            admin.execute("DROP TABLE IF EXISTS " + Sql.qualified(database, row.get("name")));
        }
    }
}
