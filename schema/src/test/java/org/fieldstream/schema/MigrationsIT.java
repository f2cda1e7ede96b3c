package org.fieldstream.schema;

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
 * skipped when applied, refused when changed, recorded without running when the cluster variant
 * stands for it, a failing statement reported with everything needed to fix it, and the bundled set
 * applied from scratch and on top of databases that applied the released texts with views.
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

    /** The cluster variant records the migrations its tables stand for without a checksum: they are not run, their checksums recorded. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void aMigrationRecordedWithoutChecksumIsNotRunAndGetsItsChecksum(String name, Supplier<ClickHouseSql> server) {
        ClickHouseSql sql = server.get();
        String db = database();
        assertEquals(List.of(), Migrations.apply(sql, db, List.of()));
        sql.execute("INSERT INTO " + db + ".schema_migrations (version, name, checksum, applied_at) VALUES (1, 't', '', now())");
        MigrationFile u = MigrationFile.of("V002__u.sql", "CREATE TABLE IF NOT EXISTS ${db}.u (x UInt8) ENGINE = MergeTree ORDER BY x;\n");
        assertEquals(List.of(2), Migrations.apply(sql, db, List.of(V1, u)));
        assertFalse(sql.tableExists(db, "t"), "V001 was not run");
        assertTrue(sql.tableExists(db, "u"));
        assertEquals(V1.checksum(), value(sql, "SELECT checksum FROM " + db + ".schema_migrations FINAL WHERE version = 1"));
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
        assertEquals(bundledViewNames(), ViewDiff.viewNames(sql, db), "every bundled view is created");
        for (String view : ViewDiff.viewNames(sql, db)) {
            sql.query("SELECT * FROM " + db + "." + view + " LIMIT 1");
        }
        assertEquals(List.of(), Migrations.apply(sql, db));
        assertEquals(List.of(), Views.apply(sql, db, Views.bundled(), ServerVersion.of(sql), false), "nothing changed, nothing re-applied");
        sql.execute("DROP DATABASE IF EXISTS " + db);
    }

    /**
     * The upgrade paths that matter, on 18.16: a database that applied the released V001-V005 (views
     * in them) and one that applied every released file up to V010. Their recorded checksums are
     * those of released-checksums.txt; both end with every bundled view, in its current definition.
     */
    @Test
    void databasesThatAppliedReleasedTextsWithViewsMoveForward() throws Exception {
        List<MigrationFile> released = ReleasedChecksumsTest.releasedTexts();
        org.junit.jupiter.api.Assertions.assertFalse(released.isEmpty(), "the released texts come from git history (run from a git clone)");
        String db = database();
        assertEquals(List.of(1, 2, 3, 4, 5), Migrations.apply(OLD, db, released.subList(0, 5)));
        assertTrue(OLD.queryValue("SELECT create_table_query FROM system.tables WHERE database = " + Sql.literal(db)
                + " AND name = 'dash_freshness'").contains("count()"));
        assertEquals(Migrations.bundled().subList(5, Migrations.bundled().size()).stream().map(MigrationFile::version).toList(),
                Migrations.apply(OLD, db));
        Map<String, String> expected = released.subList(0, 5).stream()
                .collect(Collectors.toMap(f -> Integer.toString(f.version()), MigrationFile::checksum));
        Migrations.bundled().subList(5, Migrations.bundled().size()).forEach(f -> expected.put(Integer.toString(f.version()), f.checksum()));
        assertEquals(expected, checksums(OLD, db));
        assertTrue(OLD.queryValue("SELECT create_table_query FROM system.tables WHERE database = " + Sql.literal(db)
                + " AND name = 'dash_freshness'").contains("uniqExact(event_id)"));
        assertEquals(bundledViewNames(), ViewDiff.viewNames(OLD, db));
        OLD.execute("DROP DATABASE IF EXISTS " + db);

        String all = database();
        assertEquals(released.stream().map(MigrationFile::version).toList(), Migrations.apply(OLD, all, released));
        OLD.execute("DROP TABLE " + all + ".recompute_held_sessions");
        List<MigrationFile> later = Migrations.bundled().subList(released.size(), Migrations.bundled().size());
        assertEquals(later.stream().map(MigrationFile::version).toList(), Migrations.apply(OLD, all),
                "every released text is accepted as applied; the migrations added since apply");
        Map<String, String> recorded = released.stream().collect(Collectors.toMap(f -> Integer.toString(f.version()), MigrationFile::checksum));
        later.forEach(f -> recorded.put(Integer.toString(f.version()), f.checksum()));
        assertEquals(recorded, checksums(OLD, all), "the recorded checksums stay");
        assertEquals(bundledViewNames(), ViewDiff.viewNames(OLD, all));
        assertEquals(Views.bundled().size(), Integer.parseInt(OLD.queryValue("SELECT count() FROM " + all + ".schema_views FINAL WHERE name != '"
                + Views.SET_ROW + "'")));
        assertTrue(Views.current(OLD, all), "the set of views is recorded as applied");
        OLD.execute("DROP DATABASE IF EXISTS " + all);
    }

    private static List<String> bundledViewNames() {
        return Views.bundled().stream().map(ViewFile::name).sorted().toList();
    }

    private static Map<String, String> checksums(ClickHouseSql sql, String db) {
        return sql.query("SELECT version, checksum FROM " + db + ".schema_migrations FINAL").stream()
                .collect(Collectors.toMap(r -> r.get("version"), r -> r.get("checksum")));
    }

    /**
     * cohort_start_events (V013) holds the registration and retraction events field_events held when
     * it was created (the backfill) and those landed since (its materialized view), no other event;
     * v_cohort_starts reads the cohorts' starts from it, a retracted registration void.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void cohortStartEventsHoldTheRegistrationsLandedBeforeAndAfterTheirMigration(String name, Supplier<ClickHouseSql> server) {
        ClickHouseSql sql = server.get();
        String db = database();
        Migrations.apply(sql, db, Migrations.bundled().stream().filter(f -> f.version() < 13).toList());
        sql.execute(event(db, "e1", "r1", 1, "training_cohort_registered", "c-1", "'2026-01-05'"));
        sql.execute(event(db, "e2", "r9", 1, "attendance_recorded", "c-1", "NULL"));
        assertTrue(Migrations.apply(sql, db).contains(13));
        sql.execute(event(db, "e3", "r2", 1, "training_cohort_registered", "c-2", "'2026-02-01'"));
        sql.execute(event(db, "e4", "r3", 1, "training_cohort_registered", "c-3", "'2026-03-01'"));
        sql.execute(event(db, "e5", "r3", 2, "record_retracted", "c-3", "NULL"));
        sql.execute(event(db, "e6", "r8", 1, "participant_enrolled", "c-2", "NULL"));
        assertEquals(List.of("e1", "e3", "e4", "e5"), column(sql, "SELECT DISTINCT event_id FROM " + db + ".cohort_start_events ORDER BY event_id"));
        assertEquals(List.of("c-1 2026-01-05", "c-2 2026-02-01"), column(sql, "SELECT concat(cohort_id, ' ', toString(start_date)) FROM "
                + db + ".v_cohort_starts ORDER BY cohort_id"));
        sql.execute("DROP DATABASE IF EXISTS " + db);
    }

    private static String event(String db, String eventId, String rootId, int revision, String type, String cohort, String startDate) {
        return "INSERT INTO " + db + ".field_events (event_id, root_id, revision, program_id, partner_id, aggregate_id, occurred_at,"
                + " received_at, source, source_ref, event_type, cohort_id, start_date, source_topic, version) VALUES ("
                + String.join(", ", Sql.literal(eventId), Sql.literal(rootId), Integer.toString(revision), "'p'", "'x'",
                Sql.literal("p/x/" + cohort), "'2026-01-01 00:00:00'", "'2026-01-01 00:00:00'", "'csv'", "''", Sql.literal(type),
                Sql.literal(cohort), startDate, "'t'", "1") + ")";
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
