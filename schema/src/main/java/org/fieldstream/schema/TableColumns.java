package org.fieldstream.schema;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.fieldstream.clickhouse.ClickHouseSql;
import org.fieldstream.clickhouse.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The columns of the tables whose rows are Avro records (metric and reference tables), derived
 * from the records' schemas: one column per field, typed by {@link #type}, plus the columns the sink
 * adds ({@code deleted}, {@code version}, {@code source_topic}, {@code source_partition},
 * {@code source_offset}). A field added to a schema with a default needs no migration:
 * {@link #addMissing} adds the column, with that default, to a table that lacks it.
 *
 * <p>Avro to ClickHouse: string and enum: {@code String}; int: {@code Int32}; long: {@code Int64},
 * except {@code version} ({@code UInt64}, the ReplacingMergeTree version); double: {@code Float64};
 * float: {@code Float32}; boolean: {@code UInt8}; int with logical type date: {@code Date}; long
 * with logical type timestamp-millis: {@code DateTime('UTC')}; a union of null and T:
 * {@code Nullable(T)}.
 */
public final class TableColumns {

    private static final Logger LOG = LoggerFactory.getLogger(TableColumns.class);
    private static final Map<String, String> ADDED_BY_SINK = Map.of("deleted", "UInt8", "version", "UInt64",
            "source_topic", "String", "source_partition", "UInt32", "source_offset", "UInt64");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private TableColumns() {
    }

    /** One table fed from Avro records: its name, the record schema and the columns every row fills. */
    public record AvroTable(String table, Schema schema, List<String> columns) {

        /** Column name to ClickHouse type, in the order rows fill them. */
        public Map<String, String> expected() {
            Map<String, String> types = new LinkedHashMap<>();
            for (String column : columns) {
                Schema.Field field = schema.getField(column);
                types.put(column, field != null && !column.equals("version") ? type(field.schema())
                        : ADDED_BY_SINK.getOrDefault(column, "?"));
            }
            return types;
        }
    }

    /** Every table the sink fills from Avro records, by name ({@link AvroTables}). */
    public static Map<String, AvroTable> avroTables() {
        return AvroTables.all();
    }

    /** The ClickHouse type of an Avro schema (see the class comment). */
    public static String type(Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            List<Schema> types = schema.getTypes();
            if (types.size() == 2 && schema.isNullable()) {
                Schema other = types.get(0).getType() == Schema.Type.NULL ? types.get(1) : types.get(0);
                return "Nullable(" + type(other) + ")";
            }
            throw new IllegalArgumentException("no ClickHouse type for the union " + schema);
        }
        if (schema.getLogicalType() instanceof LogicalTypes.Date) {
            return "Date";
        }
        if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
            return "DateTime('UTC')";
        }
        return switch (schema.getType()) {
            case STRING, ENUM -> "String";
            case INT -> "Int32";
            case LONG -> "Int64";
            case DOUBLE -> "Float64";
            case FLOAT -> "Float32";
            case BOOLEAN -> "UInt8";
            default -> throw new IllegalArgumentException("no ClickHouse type for " + schema);
        };
    }

    /**
     * Adds to each table every field of its schema that has a default and no column yet, as a column
     * with that default, placed after the field before it; idempotent (the columns are read from
     * {@code system.columns} first, as 18.16 has no {@code ADD COLUMN IF NOT EXISTS}, and a column another
     * process added in between counts as added). A missing field
     * without a default stops the start: it needs a migration. Returns {@code table.column} per column added.
     */
    public static List<String> addMissing(ClickHouseSql sql, String database, Map<String, AvroTable> tables) {
        String db = Sql.identifier(database);
        Map<String, List<String>> existing = new HashMap<>();
        for (Map<String, String> row : sql.query("SELECT table, name FROM system.columns WHERE database = " + Sql.literal(db)
               )) {
            existing.computeIfAbsent(row.get("table"), t -> new ArrayList<>()).add(row.get("name"));
        }
        Map<String, String> engines = new HashMap<>();
        for (Map<String, String> row : sql.query("SELECT name, engine FROM system.tables WHERE database = " + Sql.literal(db))) {
            engines.put(row.get("name"), row.get("engine"));
        }
        List<String> added = new ArrayList<>();
        for (AvroTable table : tables.values()) {
            List<String> columns = existing.get(table.table());
            if (columns == null) {
                throw new IllegalStateException("table " + db + "." + table.table() + " does not exist: the migrations create it");
            }
            String previous = null;
            for (Schema.Field field : table.schema().getFields()) {
                if (!columns.contains(field.name())) {
                    String statement = "ALTER TABLE " + Sql.qualified(db, table.table()) + " ADD COLUMN " + column(table, field)
                            + (previous == null ? "" : " AFTER " + Sql.identifier(previous));
                    if ("Distributed".equals(engines.get(table.table()))) {
                        throw new IllegalStateException(db + "." + table.table() + " is Distributed and lacks the column " + field.name()
                                + " of its Avro schema: add it on the cluster (its _local table, then the table, ON CLUSTER): " + statement);
                    }
                    LOG.info("adding column {} to {}.{} from its Avro schema", field.name(), db, table.table());
                    add(sql, db, table.table(), field.name(), statement);
                    added.add(table.table() + "." + field.name());
                }
                previous = field.name();
            }
        }
        return List.copyOf(added);
    }

    /**
     * Runs the {@code ADD COLUMN}; when it fails, a column that exists now was added by another
     * process that read {@code system.columns} at the same time (two sinks starting together): done.
     */
    private static void add(ClickHouseSql sql, String db, String table, String column, String statement) {
        try {
            sql.execute(statement);
        } catch (RuntimeException e) {
            boolean there = !sql.query("SELECT name FROM system.columns WHERE database = " + Sql.literal(db) + " AND table = "
                    + Sql.literal(table) + " AND name = " + Sql.literal(column)).isEmpty();
            if (!there) {
                throw e;
            }
            LOG.info("column {} of {}.{} was added by another process meanwhile", column, db, table);
        }
    }

    private static String column(AvroTable table, Schema.Field field) {
        if (!field.hasDefaultValue()) {
            throw new IllegalStateException(table.table() + " lacks the column " + field.name() + ", whose Avro field has no"
                    + " default: such a field needs a migration");
        }
        return Sql.identifier(field.name()) + " " + table.expected().get(field.name()) + " DEFAULT " + literal(field);
    }

    /** The field's Avro default as a ClickHouse literal. */
    static String literal(Schema.Field field) {
        Object value = field.defaultVal();
        Schema schema = field.schema();
        if (value == JsonProperties.NULL_VALUE || value == null) {
            return "NULL";
        }
        if (schema.getType() == Schema.Type.UNION) {
            schema = schema.getTypes().get(0);
        }
        if (schema.getLogicalType() instanceof LogicalTypes.Date) {
            return Sql.literal(LocalDate.ofEpochDay(((Number) value).longValue()).toString());
        }
        if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
            return Sql.literal(DATE_TIME.format(Instant.ofEpochMilli(((Number) value).longValue())));
        }
        if (value instanceof Boolean b) {
            return b ? "1" : "0";
        }
        if (value instanceof Number n) {
            return n.toString();
        }
        return Sql.literal(value.toString());
    }
}
