package org.fieldstream.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fieldstream.clickhouse.ClickHouseSql;
import org.fieldstream.clickhouse.Sql;
import org.junit.jupiter.api.Test;

/**
 * The cluster variant of the tables ({@code sql/cluster/tables.sql}, its Avro tables' columns written
 * out by {@link ClusterTables}) checked on the ClickHouse 26.7
 * engine as far as one process without Keeper allows: every statement parses; every replicated
 * table, built with its engine made local, has the columns, sorting key and partition key of the
 * table the bundled migrations create; every Distributed table shards by columns its rows are
 * sorted by first (all versions of a row on one shard); the tables fed from Avro records have the
 * columns of their schemas; every bundled migration is recorded as applied, without a checksum (the
 * sink records the computed one). Creating the replicated and distributed tables themselves needs a
 * cluster with Keeper, which the test suite does not start.
 */
class ClusterTablesIT {

    private static final Pattern REPLICATED = Pattern.compile(
            "(?s)^CREATE TABLE IF NOT EXISTS (\\w+)\\.(\\w+) ON CLUSTER '\\{cluster}' \\((.*)\\) ENGINE = "
                    + "ReplicatedReplacingMergeTree\\('/clickhouse/tables/(\\{shard}|all)/\\w+/(\\w+)', '\\{replica}'(?:, (\\w+))?\\)(.*)$");
    private static final Pattern DISTRIBUTED = Pattern.compile(
            "(?s)^CREATE TABLE IF NOT EXISTS \\w+\\.(\\w+) ON CLUSTER '\\{cluster}' AS \\w+\\.(\\w+)\\s+"
                    + "ENGINE = Distributed\\('\\{cluster}', \\w+, (\\w+), cityHash64\\(([^)]*)\\)\\)$");
    private static final Pattern RECORDED = Pattern.compile("\\((\\d+), '(\\w+)', '([^']*)', now\\(\\)\\)");

    @Test
    void clusterTablesMatchTheMigratedSingleNodeTables() {
        Chdb engine = Chdb.shared();
        String db = "it_cluster_tables";
        String check = db + "_check";
        List<String> statements = ClusterTables.statements(db);
        assertTrue(statements.stream().noneMatch(s -> s.contains("${avro_columns:")), "every Avro table's columns are written out");
        try {
            engine.execute("DROP DATABASE IF EXISTS " + db);
            engine.execute("DROP DATABASE IF EXISTS " + check);
            Migrations.apply(engine, db);
            engine.execute("CREATE DATABASE " + check);
            List<String> singleNode = tableNames(engine, db);
            List<String> covered = new ArrayList<>();
            Map<String, String> sortingKeys = new LinkedHashMap<>();
            int distributed = 0;
            for (String statement : statements) {
                assertFalse(engine.query("SELECT formatQuery(" + Sql.literal(statement) + ") AS q").get(0).get("q").isBlank(),
                        "parses: " + statement);
                Matcher replicated = REPLICATED.matcher(statement);
                Matcher shards = DISTRIBUTED.matcher(statement);
                if (replicated.matches()) {
                    String local = replicated.group(2);
                    String table = replicated.group(5);
                    String version = replicated.group(6) == null ? "" : replicated.group(6);
                    engine.execute("CREATE TABLE " + check + "." + local + " (" + replicated.group(3) + ") ENGINE = ReplacingMergeTree("
                            + version + ")" + replicated.group(7));
                    assertEquals(columns(engine, db, table), columns(engine, check, local), local + " has the columns of " + table);
                    assertEquals(keys(engine, db, table), keys(engine, check, local), local + " is sorted and partitioned as " + table);
                    assertEquals(replicated.group(4).equals("{shard}"), local.endsWith("_local"), local
                            + ": sharded tables are <table>_local, tables on every node keep their name");
                    sortingKeys.put(local, keys(engine, check, local).get("sorting_key"));
                    covered.add(table);
                } else if (shards.matches()) {
                    String local = shards.group(2);
                    assertEquals(shards.group(1) + "_local", local);
                    assertEquals(local, shards.group(3));
                    List<String> shardBy = Arrays.stream(shards.group(4).split(",")).map(String::strip).toList();
                    List<String> sortedBy = Arrays.stream(sortingKeys.get(local).split(",")).map(String::strip).toList();
                    assertEquals(shardBy, sortedBy.subList(0, Math.min(shardBy.size(), sortedBy.size())),
                            local + ": shards by a prefix of its sorting key, so every version of a row is on one shard");
                    distributed++;
                }
            }
            covered.sort(null);
            assertEquals(singleNode, covered, "every table of the migrations has its cluster variant");
            assertTrue(distributed >= 8, "event and metric tables are distributed: " + distributed);

            Matcher recorded = RECORDED.matcher(statements.get(statements.size() - 1));
            List<Integer> records = new ArrayList<>();
            while (recorded.find()) {
                int version = Integer.parseInt(recorded.group(1));
                MigrationFile file = Migrations.bundled().stream().filter(f -> f.version() == version).findFirst().orElseThrow();
                assertEquals(file.name(), recorded.group(2));
                assertEquals("", recorded.group(3), file.label() + " is recorded without checksum: the sink records the computed one");
                records.add(version);
            }
            assertEquals(Migrations.bundled().stream().map(MigrationFile::version).toList(), records,
                    "the cluster tables stand for every migration; the sink runs none of them there");

            for (TableColumns.AvroTable table : TableColumns.avroTables().values()) {
                String local = sortingKeys.containsKey(table.table() + "_local") ? table.table() + "_local" : table.table();
                assertEquals(new java.util.TreeMap<>(table.expected()), TableColumnsIT.columns(engine, check, local),
                        local + " has the columns of the Avro schema " + table.schema().getName());
            }
        } finally {
            engine.execute("DROP DATABASE IF EXISTS " + db);
            engine.execute("DROP DATABASE IF EXISTS " + check);
        }
    }

    /** The tables but schema_views, which is on the node the sink writes to, as the views are. */
    private static List<String> tableNames(ClickHouseSql sql, String db) {
        List<String> names = new ArrayList<>(sql.query("SELECT name FROM system.tables WHERE database = " + Sql.literal(db)
                + " AND engine NOT LIKE '%View' AND name != 'schema_views' ORDER BY name").stream().map(r -> r.get("name")).toList());
        names.sort(null);
        return names;
    }

    private static List<String> columns(ClickHouseSql sql, String db, String table) {
        return sql.query("SELECT name, type FROM system.columns WHERE database = " + Sql.literal(db) + " AND table = "
                + Sql.literal(table) + " ORDER BY position").stream().map(r -> r.get("name") + " " + r.get("type")).toList();
    }

    private static Map<String, String> keys(ClickHouseSql sql, String db, String table) {
        Map<String, String> row = sql.query("SELECT sorting_key, partition_key FROM system.tables WHERE database = "
                + Sql.literal(db) + " AND name = " + Sql.literal(table)).get(0);
        return new LinkedHashMap<>(row);
    }
}
