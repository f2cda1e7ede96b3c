package org.fieldstream.schema;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fieldstream.clickhouse.ClickHouseSql;
import org.fieldstream.clickhouse.Sql;

/**
 * Copies every base table of a database, row for row as stored (not merged, not FINAL), from one
 * ClickHouse to the 26.7 engine, whose database must already hold the same migrations. Values travel
 * as TabSeparated text, which every release writes and reads alike.
 */
public final class TableCopy {

    private TableCopy() {
    }

    /** Copies every MergeTree-family table but the migration and view records; returns the rows read per table. */
    public static Map<String, Integer> baseTables(ClickHouseSql from, Chdb to, String database) {
        String db = Sql.identifier(database);
        Map<String, Integer> copied = new LinkedHashMap<>();
        for (String table : baseTableNames(from, db)) {
            List<String> columns = from.query("DESCRIBE TABLE " + Sql.qualified(db, table)).stream().map(r -> r.get("name")).toList();
            List<Map<String, String>> rows = from.query("SELECT " + String.join(", ", columns) + " FROM " + Sql.qualified(db, table));
            List<byte[]> tsv = new ArrayList<>(rows.size());
            for (Map<String, String> values : rows) {
                tsv.add(row(columns.stream().map(values::get).toList()));
            }
            if (!tsv.isEmpty()) {
                to.insertTabSeparated(db, table, columns, tsv);
            }
            copied.put(table, rows.size());
        }
        return copied;
    }

    /** One TabSeparated row of text values, escaped as ClickHouse reads them; null is {@code \\N}. */
    static byte[] row(List<String> values) {
        StringBuilder row = new StringBuilder();
        for (int column = 0; column < values.size(); column++) {
            String value = values.get(column);
            if (column > 0) {
                row.append('\t');
            }
            if (value == null) {
                row.append("\\N");
                continue;
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '\\' -> row.append("\\\\");
                    case '\t' -> row.append("\\t");
                    case '\n' -> row.append("\\n");
                    case '\r' -> row.append("\\r");
                    case '\0' -> row.append("\\0");
                    case '\b' -> row.append("\\b");
                    case '\f' -> row.append("\\f");
                    default -> row.append(c);
                }
            }
        }
        return row.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Tables (not views) of the database but the migration record, by name. */
    public static List<String> baseTableNames(ClickHouseSql sql, String database) {
        return sql.query("SELECT name FROM system.tables WHERE database = " + Sql.literal(database)
                        + " AND engine LIKE '%MergeTree' AND name NOT IN ('schema_migrations', 'schema_views') ORDER BY name")
                .stream().map(r -> r.get("name")).toList();
    }
}
