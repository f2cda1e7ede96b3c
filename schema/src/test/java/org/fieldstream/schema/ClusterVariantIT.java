package org.fieldstream.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.clickhouse.ClickHouseSql;
import org.fieldstream.clickhouse.Sql;
import org.fieldstream.platform.LocalClickHouse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster variant deployed on a ClickHouse 18.16 server next to the single-node variant: a server
 * of its own whose configuration defines the macros and a one-shard cluster on itself, so the
 * Distributed tables of {@code sql/cluster/tables.sql} are real. Without Keeper, the replicated
 * engines are made local and {@code ON CLUSTER} is left out; everything else runs as written. The
 * sink's start on it then runs no migration and creates every view: the same views, with the same
 * columns and, for the same rows inserted, the same rows, as on a single node.
 */
class ClusterVariantIT {

    private static final String CLUSTER = "fieldstream_it";
    private static LocalClickHouse server;
    private static ClickHouseGateway sql;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Path.of("target", "cluster-variant-" + ProcessHandle.current().pid()).toAbsolutePath();
        Files.createDirectories(dir.resolve("config.d"));
        Files.writeString(dir.resolve("config.d/macros.xml"), "<yandex><macros><cluster>" + CLUSTER
                + "</cluster><shard>1</shard><replica>r1</replica></macros></yandex>\n");
        server = LocalClickHouse.start(dir);
        // the port is known once the server runs; ClickHouse reloads remote_servers while running
        Files.writeString(dir.resolve("config.d/cluster.xml"), "<yandex><remote_servers><" + CLUSTER + "><shard><replica><host>127.0.0.1</host>"
                + "<port>" + server.tcpPort() + "</port></replica></shard></" + CLUSTER + "></remote_servers></yandex>\n");
        sql = new ClickHouseGateway(server.httpUrl(), "default", "");
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!sql.queryValue("SELECT count() FROM system.clusters WHERE cluster = '" + CLUSTER + "'").equals("1")) {
            assertTrue(System.nanoTime() < deadline, "the server did not load the cluster " + CLUSTER);
            Thread.sleep(250);
        }
    }

    @AfterAll
    static void stop() {
        if (sql != null) {
            sql.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void theClusterVariantGetsEveryViewOfTheSingleNodeVariant() {
        String single = "it_single";
        String cluster = "it_cluster";
        ServerVersion version = ServerVersion.of(sql);
        for (String statement : clusterStatements(cluster)) {
            sql.execute(statement);
        }
        assertEquals("Distributed", sql.queryValue("SELECT engine FROM system.tables WHERE database = '" + cluster
                + "' AND name = 'retention_curve'"));
        assertEquals(List.of(), Migrations.apply(sql, cluster), "the cluster variant stands for every migration");
        assertEquals(Migrations.bundled().stream().collect(Collectors.toMap(f -> Integer.toString(f.version()), MigrationFile::checksum)),
                sql.query("SELECT version, checksum FROM " + cluster + ".schema_migrations FINAL").stream()
                        .collect(Collectors.toMap(r -> r.get("version"), r -> r.get("checksum"))), "checksums recorded by the sink");
        Migrations.apply(sql, single);

        List<String> views = Views.bundled().stream().map(ViewFile::name).sorted().toList();
        assertEquals(views, ViewDiff.viewNames(sql, single));
        assertEquals(views, ViewDiff.viewNames(sql, cluster), "every view on the cluster variant");
        List<String> columns = new ArrayList<>();
        for (String view : views) {
            List<String> a = describe(sql, single, view);
            List<String> b = describe(sql, cluster, view);
            if (!a.equals(b)) {
                columns.add(view + ": single node " + a + ", cluster " + b);
            }
        }
        assertEquals(List.of(), columns, "same columns, names and types");
        assertTrue(describe(sql, cluster, "v_retention_curve").containsAll(List.of("sex String", "age_band String")),
                "the survival curve by sex x age band");

        int inserted = 0;
        for (TableColumns.AvroTable table : TableColumns.avroTables().values()) {
            String local = sql.queryValue("SELECT count() FROM system.tables WHERE database = '" + cluster + "' AND name = '"
                    + table.table() + "_local'").equals("1") ? table.table() + "_local" : table.table();
            inserted += fill(sql, single, table.table(), single + "." + table.table());
            fill(sql, single, table.table(), cluster + "." + local);
        }
        assertTrue(inserted > 0);
        List<String> rows = new ArrayList<>();
        int compared = 0;
        for (String view : views) {
            if (view.startsWith("v_field_events") || view.startsWith("recompute_") || view.equals("v_dead_letters")) {
                continue; // read field_events only, left empty here
            }
            List<String> a = rows(sql, single, view);
            List<String> b = rows(sql, cluster, view);
            compared += a.size();
            if (!a.equals(b)) {
                rows.add(view + ": single node " + a.size() + " rows, cluster " + b.size());
            }
        }
        assertEquals(List.of(), rows, "same rows for the same data");
        assertTrue(compared > 0, "rows compared");
        assertEquals(List.of(), Views.apply(sql, cluster, Views.bundled(), version, false), "a second start re-applies nothing");
        sql.execute("DROP DATABASE IF EXISTS " + single);
        sql.execute("DROP DATABASE IF EXISTS " + cluster);
    }

    /** The cluster file for one server without Keeper: no ON CLUSTER, the replicated engines local. */
    static List<String> clusterStatements(String db) {
        List<String> out = new ArrayList<>();
        for (String statement : ClusterTables.statements(db)) {
            out.add(statement.replace(" ON CLUSTER '{cluster}'", "")
                    .replaceAll("ReplicatedReplacingMergeTree\\('[^']*', '\\{replica}'(?:, (\\w+))?\\)", "ReplacingMergeTree($1)")
                    .replace("Distributed('{cluster}'", "Distributed('" + CLUSTER + "'"));
        }
        return out;
    }

    /** Twelve rows of made-up values by column type, from the single-node table's columns; returns the rows inserted. */
    private static int fill(ClickHouseSql sql, String columnsFrom, String table, String into) {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (Map<String, String> column : sql.query("DESCRIBE TABLE " + columnsFrom + "." + table)) {
            names.add(column.get("name"));
            values.add(value(column.get("name"), column.get("type")));
        }
        sql.execute("INSERT INTO " + into + " (" + String.join(", ", names) + ") SELECT " + String.join(", ", values)
                + " FROM system.numbers LIMIT 12");
        return 12;
    }

    private static String value(String name, String type) {
        String base = type.startsWith("Nullable(") ? type.substring(9, type.length() - 1) : type;
        if (name.equals("deleted")) {
            return "toUInt8(0)";
        }
        if (name.equals("sex") || name.equals("age_band")) {
            return "if(number % 3 = 0, 'all', 'female')";
        }
        return switch (base) {
            case "String" -> "concat('" + name + "-', toString(number % 4))";
            case "Date" -> "toDate('2026-01-01') + number % 5";
            case "DateTime('UTC')" -> "toDateTime('2026-01-01 00:00:00', 'UTC') + number";
            case "Float64" -> "number / 7";
            default -> "to" + base + "(number)";
        };
    }

    private static List<String> describe(ClickHouseSql sql, String db, String view) {
        return sql.query("DESCRIBE TABLE " + Sql.qualified(db, view)).stream().map(r -> r.get("name") + " " + r.get("type")).toList();
    }

    private static List<String> rows(ClickHouseSql sql, String db, String view) {
        return sql.query("SELECT * FROM " + Sql.qualified(db, view)).stream().map(r -> String.join("\t",
                r.values().stream().map(v -> v == null ? "\\N" : v).toList())).sorted().toList();
    }
}
