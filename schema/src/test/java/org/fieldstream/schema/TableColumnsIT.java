package org.fieldstream.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.clickhouse.ClickHouseSql;
import org.fieldstream.clickhouse.Sql;
import org.fieldstream.platform.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tables fed from Avro records have the columns of their schemas, on ClickHouse 18.16 and on the
 * 26.7 engine, and a field added with a default becomes a column without a migration or a rebuild.
 */
class TableColumnsIT {

    private static final ClickHouseGateway OLD = new ClickHouseGateway(TestServices.clickHouse().httpUrl(), "default", "");

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
    void migratedTablesHaveTheColumnsOfTheirAvroSchemas(String name, Supplier<ClickHouseSql> server) {
        ClickHouseSql sql = server.get();
        String db = database();
        Migrations.apply(sql, db);
        Map<String, TableColumns.AvroTable> tables = TableColumns.avroTables();
        assertTrue(tables.keySet().containsAll(List.of("cohort_retention", "cohort_retention_by_group", "participant_progress",
                "retention_curve", "outreach", "dialogues", "dialogue_attendance", "programs", "partners", "org_units", "targets")),
                tables.keySet().toString());
        List<String> differences = new ArrayList<>();
        for (TableColumns.AvroTable table : tables.values()) {
            Map<String, String> expected = new TreeMap<>(table.expected());
            Map<String, String> actual = columns(sql, db, table.table());
            if (!expected.equals(actual)) {
                differences.add(table.table() + ": Avro " + expected + ", ClickHouse " + actual);
            }
        }
        assertEquals(List.of(), differences);
        assertEquals(List.of(), TableColumns.addMissing(sql, db, tables), "nothing to add to the migrated tables");
        sql.execute("DROP DATABASE IF EXISTS " + db);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void aFieldWithADefaultBecomesAColumnOnceWithThatDefault(String name, Supplier<ClickHouseSql> server) {
        ClickHouseSql sql = server.get();
        String db = database();
        Migrations.apply(sql, db, Migrations.bundled());
        TableColumns.AvroTable curve = TableColumns.avroTables().get("retention_curve");
        Schema grown = withFields(curve.schema(), "survival_rate",
                "{\"name\": \"cohort_size\", \"type\": \"int\", \"default\": 12},"
                        + "{\"name\": \"note\", \"type\": [\"null\", \"string\"], \"default\": null}");
        List<String> columns = new ArrayList<>(curve.columns());
        columns.addAll(columns.indexOf("survival_rate") + 1, List.of("cohort_size", "note"));
        Map<String, TableColumns.AvroTable> tables = Map.of("retention_curve", new TableColumns.AvroTable("retention_curve", grown, columns));

        assertEquals(List.of("retention_curve.cohort_size", "retention_curve.note"), TableColumns.addMissing(sql, db, tables));
        assertEquals(List.of(), TableColumns.addMissing(sql, db, tables), "a second run adds nothing");
        List<Map<String, String>> added = sql.query("SELECT name, type, default_kind, replaceRegexpAll(default_expression, '^CAST\\\\((.*), \\'.*\\'\\\\)$', '\\\\1') AS value FROM system.columns WHERE database = "
                + Sql.literal(db) + " AND table = 'retention_curve' AND name IN ('cohort_size', 'note') ORDER BY name");
        assertEquals(List.of(Map.of("name", "cohort_size", "type", "Int32", "default_kind", "DEFAULT", "value", "12"),
                Map.of("name", "note", "type", "Nullable(String)", "default_kind", "DEFAULT", "value", "NULL")), added,
                "18.16 shows the default as CAST(12, 'Int32')");
        List<String> order = sql.query("DESCRIBE TABLE " + db + ".retention_curve").stream().map(r -> r.get("name")).toList();
        assertEquals(order.indexOf("survival_rate") + 1, order.indexOf("cohort_size"), "placed after the field before it: " + order);
        assertEquals(new TreeMap<>(tables.get("retention_curve").expected()), columns(sql, db, "retention_curve"));

        sql.execute("INSERT INTO " + db + ".retention_curve (program_id, cohort_id, session_number) VALUES ('p', 'c', 1)");
        assertEquals(List.of(Map.of("cohort_size", "12", "no_note", "1")),
                sql.query("SELECT cohort_size, isNull(note) AS no_note FROM " + db + ".retention_curve"));

        Schema required = withFields(curve.schema(), "survival_rate", "{\"name\": \"needs_migration\", \"type\": \"int\"}");
        List<String> withRequired = new ArrayList<>(curve.columns());
        withRequired.add(0, "needs_migration");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TableColumns.addMissing(sql, db,
                Map.of("retention_curve", new TableColumns.AvroTable("retention_curve", required, withRequired))));
        assertTrue(e.getMessage().contains("needs_migration") && e.getMessage().contains("migration"), e.getMessage());
        sql.execute("DROP DATABASE IF EXISTS " + db);
    }

    /**
     * Two sinks starting together both read {@code system.columns} before either adds the new column:
     * the second's {@code ADD COLUMN} fails because the column exists, and its start goes on.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void aColumnAddedByAnotherSinkMeanwhileIsNoFailure(String name, Supplier<ClickHouseSql> server) {
        ClickHouseSql sql = server.get();
        String db = database();
        Migrations.apply(sql, db, Migrations.bundled());
        TableColumns.AvroTable curve = TableColumns.avroTables().get("retention_curve");
        Schema grown = withFields(curve.schema(), "survival_rate", "{\"name\": \"cohort_size\", \"type\": \"int\", \"default\": 12}");
        List<String> columns = new ArrayList<>(curve.columns());
        columns.add(columns.indexOf("survival_rate") + 1, "cohort_size");
        Map<String, TableColumns.AvroTable> tables = Map.of("retention_curve", new TableColumns.AvroTable("retention_curve", grown, columns));
        List<String> raced = new ArrayList<>();
        ClickHouseSql racing = new ClickHouseSql() {
            @Override
            public void execute(String statement) {
                if (statement.contains(" ADD COLUMN ")) {
                    sql.execute(statement); // the other sink, a moment earlier
                    raced.add(statement);
                }
                sql.execute(statement);
            }

            @Override
            public List<Map<String, String>> query(String query) {
                return sql.query(query);
            }
        };

        assertEquals(List.of("retention_curve.cohort_size"), TableColumns.addMissing(racing, db, tables));
        assertEquals(1, raced.size(), "the race happened: " + raced);
        assertEquals(new TreeMap<>(tables.get("retention_curve").expected()), columns(sql, db, "retention_curve"));
        sql.execute("DROP DATABASE IF EXISTS " + db);
    }

    /** A copy of the schema with the given fields (JSON, comma-separated) after the named field. */
    static Schema withFields(Schema schema, String after, String fields) {
        String json = schema.toString();
        String marker = "{\"name\":\"" + after + "\"";
        int start = json.indexOf(marker);
        int end = json.indexOf('}', start) + 1;
        assertTrue(start > 0, after + " is a field of " + schema.getName());
        return new Schema.Parser().parse(json.substring(0, end) + "," + fields + json.substring(end));
    }

    static Map<String, String> columns(ClickHouseSql sql, String db, String table) {
        return sql.query("SELECT name, type FROM system.columns WHERE database = " + Sql.literal(db) + " AND table = "
                + Sql.literal(table)).stream().collect(Collectors.toMap(r -> r.get("name"), r -> r.get("type"), (a, b) -> a, TreeMap::new));
    }

    private static String database() {
        return "it_cols_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }
}
