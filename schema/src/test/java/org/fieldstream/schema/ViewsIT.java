package org.fieldstream.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.clickhouse.ClickHouseSql;
import org.fieldstream.platform.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Views as code on ClickHouse 18.16 (the test server) and on the 26.7 engine: created in the order
 * they read each other, re-applied only when their definition changed, when a view they read was
 * re-applied, when missing, or all when the tables changed; a failing view names its file and the
 * server, and a start after the fix applies it.
 */
class ViewsIT {

    private static final ClickHouseGateway OLD = new ClickHouseGateway(TestServices.clickHouse().httpUrl(), "default", "");
    private static final ViewFile BASE = new ViewFile("v_base", "SELECT x FROM ${db}.t");
    private static final ViewFile MID = new ViewFile("v_mid", "-- the positive ones\nSELECT x FROM ${db}.v_base WHERE x > 0");
    private static final ViewFile TOP = new ViewFile("v_top", "SELECT x FROM ${db}.v_mid UNION ALL SELECT x FROM ${db}.v_base");
    private static final ViewFile OTHER = new ViewFile("v_other", "SELECT count() AS n FROM ${db}.t");

    static Stream<Arguments> servers() {
        return Stream.of(Arguments.of("18.16", (Supplier<ClickHouseSql>) () -> OLD),
                Arguments.of("26.7", (Supplier<ClickHouseSql>) Chdb::shared));
    }

    @AfterAll
    static void close() {
        OLD.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void viewsAreAppliedInOrderAndOnlyWhenTheyOrWhatTheyReadChanged(String name, Supplier<ClickHouseSql> server) {
        ClickHouseSql sql = server.get();
        ServerVersion version = ServerVersion.of(sql);
        String db = database(sql);
        assertEquals(List.of("v_base", "v_mid", "v_other", "v_top"), Views.apply(sql, db, List.of(TOP, MID, BASE, OTHER), version, false));
        assertEquals("5", value(sql, "SELECT count() AS n FROM " + db + ".v_top"));
        assertEquals(List.of(), Views.apply(sql, db, List.of(TOP, MID, BASE, OTHER), version, false), "nothing changed");
        assertEquals(List.of(), Views.apply(sql, db, List.of(TOP, new ViewFile("v_mid", "SELECT x FROM ${db}.v_base WHERE x > 0"),
                BASE, OTHER), version, false), "a comment is not the definition");

        ViewFile wider = new ViewFile("v_base", "SELECT x, x * 2 AS y FROM ${db}.t");
        assertEquals(List.of("v_base", "v_mid", "v_top"), Views.apply(sql, db, List.of(TOP, MID, wider, OTHER), version, false),
                "a changed view and the views that read it");
        assertEquals(List.of("x", "y"), sql.query("DESCRIBE TABLE " + db + ".v_base").stream().map(r -> r.get("name")).toList());

        sql.execute("DROP TABLE " + db + ".v_other");
        assertEquals(List.of("v_other"), Views.apply(sql, db, List.of(TOP, MID, wider, OTHER), version, false), "a missing view");
        assertEquals(List.of("v_base", "v_mid", "v_other", "v_top"), Views.apply(sql, db, List.of(TOP, MID, wider, OTHER), version, true),
                "changed tables re-apply every view");
        assertEquals("3", value(sql, "SELECT n FROM " + db + ".v_other"));
        sql.execute("DROP DATABASE IF EXISTS " + db);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void aFailingViewNamesItsFileAndServerAndAStartAfterTheFixAppliesIt(String name, Supplier<ClickHouseSql> server) {
        ClickHouseSql sql = server.get();
        ServerVersion version = ServerVersion.of(sql);
        String db = database(sql);
        ViewFile broken = new ViewFile("v_mid", "SELECT no_such_column FROM ${db}.v_base");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Views.apply(sql, db, List.of(BASE, broken), version, false));
        for (String part : List.of("v_mid", "sql/views/v_mid.sql", "ClickHouse " + version, "no_such_column")) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
        }
        assertEquals(List.of("v_mid"), Views.apply(sql, db, List.of(BASE, MID), version, false), "v_base was applied before");
        sql.execute("DROP DATABASE IF EXISTS " + db);
    }

    private static String value(ClickHouseSql sql, String query) {
        return sql.query(query).get(0).values().iterator().next();
    }

    private static String database(ClickHouseSql sql) {
        String db = "it_views_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        sql.execute("CREATE DATABASE " + db);
        sql.execute("CREATE TABLE " + db + ".t (x UInt8) ENGINE = MergeTree ORDER BY x");
        sql.execute("INSERT INTO " + db + ".t VALUES (0), (1), (2)");
        return db;
    }
}
