package org.fieldstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.clickhouse.ClickHouseSql;
import org.fieldstream.clickhouse.Sql;
import org.fieldstream.platform.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Migration bookkeeping on ClickHouse 18.16 (the test server) and on the 26.7 engine: recorded,
 * skipped when applied, refused when changed, superseded files recorded but not run, a failing
 * statement reported with everything needed to fix it, and the bundled set applied from scratch
 * and on top of a database that applied V001-V005.
 */
class MigrationsIT {

    private static final MigrationFile V1 = MigrationFile.of("V001__t.sql",
            "CREATE TABLE IF NOT EXISTS ${db}.t (x UInt8) ENGINE = MergeTree ORDER BY x;\n");
    private static final MigrationFile V2 = MigrationFile.of("V002__v.sql",
            "CREATE VIEW IF NOT EXISTS ${db}.v AS SELECT x FROM ${db}.t;\n");
    private static final ClickHouseGateway OLD = new ClickHouseGateway(TestServices.clickHouse().httpUrl(), "default", "");

    static Stream<Arguments> servers() {
        return Stream.of(Arguments.of("18.16", (Supplier<ClickHouseSql>) () -> OLD),
                Arguments.of("26.7", (Supplier<ClickHouseSql>) Chdb::shared));
    }

    @AfterAll
    static void close() {
        OLD.close();
    }

    private static String database() {
        return "it_mig_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void appliesOnceRecordsAndRefusesAChangedFile(String name, Supplier<ClickHouseSql> server) {
        ClickHouseSql sql = server.get();
        String db = database();
        assertEquals(List.of(1), Migrations.apply(sql, db, List.of(V1)));
        assertEquals(List.of(), Migrations.apply(sql, db, List.of(V1)));
        assertEquals(List.of(2), Migrations.apply(sql, db, List.of(V1, V2)));
        assertEquals("0", value(sql, "SELECT count() AS n FROM " + db + ".v"));
        assertTrue(sql.tableExists(db, "t") && sql.tableExists(db, "v"), "a table and a view exist");
        assertFalse(sql.tableExists(db, "nope"), "no such table");
        assertFalse(sql.tableExists(db + "_nope", "t"), "no such database");
        assertEquals(V1.checksum(), value(sql, "SELECT checksum FROM " + db + ".schema_migrations FINAL WHERE version = 1"));

        MigrationFile changed = MigrationFile.of("V001__t.sql",
                "CREATE TABLE IF NOT EXISTS ${db}.t (x UInt16) ENGINE = MergeTree ORDER BY x;\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Migrations.apply(sql, db, List.of(changed, V2)));
        assertTrue(e.getMessage().contains("V001__t"), e.getMessage());
        sql.execute("DROP DATABASE IF EXISTS " + db);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void aFailingStatementStopsWithFileStatementVersionAndMessageAndARerunCompletes(String name, Supplier<ClickHouseSql> server) {
        ClickHouseSql sql = server.get();
        String db = database();
        String view = "CREATE VIEW IF NOT EXISTS ${db}.w AS\nSELECT x, %s AS y FROM ${db}.t;\n";
        MigrationFile broken = MigrationFile.of("V002__w.sql",
                "CREATE TABLE IF NOT EXISTS ${db}.u (x UInt8) ENGINE = MergeTree ORDER BY x;\n" + view.formatted("no_such_column"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Migrations.apply(sql, db, List.of(V1, broken)));
        String version = ServerVersion.of(sql).toString();
        for (String part : List.of("V002__w", "statement 2 of 2", "CREATE VIEW IF NOT EXISTS " + db + ".w AS", "ClickHouse " + version,
                "no_such_column")) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
        }
        assertEquals(List.of("1"), column(sql, "SELECT version FROM " + db + ".schema_migrations FINAL"), "V002 not recorded");

        MigrationFile fixed = MigrationFile.of("V002__w.sql",
                "CREATE TABLE IF NOT EXISTS ${db}.u (x UInt8) ENGINE = MergeTree ORDER BY x;\n" + view.formatted("x + 1"));
        assertEquals(List.of(2), Migrations.apply(sql, db, List.of(V1, fixed)), "the re-run completes the partly applied file");
        assertEquals("0", value(sql, "SELECT count() AS n FROM " + db + ".w"));
        sql.execute("DROP DATABASE IF EXISTS " + db);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void aSupersededFileIsRecordedNotRunOnADatabaseThatHasNotAppliedIt(String name, Supplier<ClickHouseSql> server) {
        ClickHouseSql sql = server.get();
        String db = database();
        MigrationFile refused = MigrationFile.of("V002__v.sql", "CREATE VIEW IF NOT EXISTS ${db}.v AS SELECT no_such_column FROM ${db}.t;\n");
        MigrationFile replacement = MigrationFile.of("V003__v_again.sql", """
                -- supersedes: V002
                DROP TABLE IF EXISTS ${db}.v;
                CREATE VIEW IF NOT EXISTS ${db}.v AS SELECT x, 3 AS since FROM ${db}.t;
                """);
        assertEquals(List.of(1, 2, 3), Migrations.apply(sql, db, List.of(V1, refused, replacement)));
        assertEquals(Map.of("1", V1.checksum(), "2", refused.checksum(), "3", replacement.checksum()), checksums(sql, db));
        assertEquals(List.of("x", "since"), column(sql, "DESCRIBE TABLE " + db + ".v"));
        assertEquals(List.of(), Migrations.apply(sql, db, List.of(V1, refused, replacement)));
        sql.execute("DROP DATABASE IF EXISTS " + db);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void aDatabaseThatAppliedTheSupersededFileGetsItsViewReplaced(String name, Supplier<ClickHouseSql> server) {
        ClickHouseSql sql = server.get();
        String db = database();
        MigrationFile replacement = MigrationFile.of("V003__v_again.sql", """
                -- supersedes: V002
                DROP TABLE IF EXISTS ${db}.v;
                CREATE VIEW IF NOT EXISTS ${db}.v AS SELECT x, 3 AS since FROM ${db}.t;
                """);
        assertEquals(List.of(1, 2), Migrations.apply(sql, db, List.of(V1, V2)));
        assertEquals(List.of(3), Migrations.apply(sql, db, List.of(V1, V2, replacement)));
        assertEquals(List.of("x", "since"), column(sql, "DESCRIBE TABLE " + db + ".v"));
        sql.execute("DROP DATABASE IF EXISTS " + db);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void everyBundledMigrationAppliesToAFreshDatabaseWithDefaultSettings(String name, Supplier<ClickHouseSql> server) {
        ClickHouseSql sql = server.get();
        String db = database();
        List<MigrationFile> bundled = Migrations.bundled();
        assertEquals(bundled.stream().map(MigrationFile::version).toList(), Migrations.apply(sql, db));
        assertEquals(bundled.stream().collect(Collectors.toMap(f -> Integer.toString(f.version()), MigrationFile::checksum)),
                checksums(sql, db));
        for (String view : ViewDiff.viewNames(sql, db)) {
            sql.query("SELECT * FROM " + db + "." + view + " LIMIT 1");
        }
        sql.execute("DROP DATABASE IF EXISTS " + db);
    }

    /** The upgrade path that matters: an 18.16 database that applied V001-V005 (which 26.x refuses) moves forward. */
    @Test
    void anOldDatabaseThatAppliedTheFirstFiveMovesForward() {
        String db = database();
        List<MigrationFile> bundled = Migrations.bundled();
        assertEquals(List.of(1, 2, 3, 4, 5), Migrations.apply(OLD, db, bundled.subList(0, 5)));
        assertTrue(OLD.queryValue("SELECT create_table_query FROM system.tables WHERE database = " + Sql.literal(db)
                + " AND name = 'dash_freshness'").contains("count()"));
        assertEquals(java.util.stream.IntStream.rangeClosed(6, bundled.size()).boxed().toList(), Migrations.apply(OLD, db));
        assertEquals(bundled.stream().collect(Collectors.toMap(f -> Integer.toString(f.version()), MigrationFile::checksum)),
                checksums(OLD, db));
        assertTrue(OLD.queryValue("SELECT create_table_query FROM system.tables WHERE database = " + Sql.literal(db)
                + " AND name = 'dash_freshness'").contains("uniqExact(event_id)"));
        OLD.execute("DROP DATABASE IF EXISTS " + db);
    }

    private static Map<String, String> checksums(ClickHouseSql sql, String db) {
        return sql.query("SELECT version, checksum FROM " + db + ".schema_migrations FINAL").stream()
                .collect(Collectors.toMap(r -> r.get("version"), r -> r.get("checksum")));
    }

    private static String value(ClickHouseSql sql, String query) {
        List<Map<String, String>> rows = sql.query(query);
        assertEquals(1, rows.size(), query);
        return rows.get(0).values().iterator().next();
    }

    private static List<String> column(ClickHouseSql sql, String query) {
        return sql.query(query).stream().map(r -> r.values().iterator().next()).toList();
    }
}
