package org.fieldstream.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.avro.Schema;
import org.fieldstream.clickhouse.Sql;

/**
 * The tables of a ClickHouse cluster ({@code sql/cluster/tables.sql}) as an operator runs them: the
 * file with each line {@code ${avro_columns:<table>}} replaced by the columns of the table fed from
 * that Avro record ({@link AvroTables}, typed by {@link TableColumns}): the record's fields in order
 * (a field with a default keeps it), then {@code version} and {@code deleted} where the record has
 * none, then {@link AvroTables#SOURCE_COLUMNS}. The Avro schemas are thus the one source of the
 * columns of the single-node tables (which the sink checks and extends) and of the cluster tables.
 * {@code fieldstream cluster-tables --db <name>} prints the result.
 */
public final class ClusterTables {

    static final String RESOURCE = "/sql/cluster/tables.sql";
    private static final Pattern COLUMNS = Pattern.compile("(?m)^(\\s*)\\$\\{avro_columns:(\\w+)}\\s*$");
    private static final Map<String, String> SINK_COLUMNS = Map.of("version", "UInt64", "deleted", "UInt8",
            "source_topic", "String", "source_partition", "UInt32", "source_offset", "UInt64");

    private ClusterTables() {
    }

    /** The file's text with every Avro table's columns written out; {@code ${db}} is left for {@link #statements}. */
    public static String text() {
        String template = resource();
        Map<String, TableColumns.AvroTable> tables = AvroTables.all();
        Matcher m = COLUMNS.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            TableColumns.AvroTable table = tables.get(m.group(2));
            if (table == null) {
                throw new IllegalStateException(RESOURCE + " names ${avro_columns:" + m.group(2) + "}, which is no table fed from Avro records: "
                        + tables.keySet());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(String.join(",\n", columns(table).stream().map(c -> m.group(1) + c).toList())));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The statements for database {@code database}, in order. */
    public static List<String> statements(String database) {
        return new MigrationFile(0, "cluster_tables", text()).statements(database);
    }

    /** The column definitions of a table fed from Avro records, in the order of the single-node table. */
    static List<String> columns(TableColumns.AvroTable table) {
        List<String> out = new ArrayList<>();
        Schema schema = table.schema();
        for (Schema.Field field : schema.getFields()) {
            String type = field.name().equals("version") ? SINK_COLUMNS.get("version") : TableColumns.type(field.schema());
            out.add(Sql.identifier(field.name()) + " " + type + (field.hasDefaultValue() ? " DEFAULT " + TableColumns.literal(field) : ""));
        }
        for (String added : List.of("version", "deleted")) {
            if (schema.getField(added) == null) {
                out.add(added + " " + SINK_COLUMNS.get(added));
            }
        }
        AvroTables.SOURCE_COLUMNS.forEach(c -> out.add(c + " " + SINK_COLUMNS.get(c)));
        return out;
    }

    private static String resource() {
        try (InputStream in = ClusterTables.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not bundled");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
