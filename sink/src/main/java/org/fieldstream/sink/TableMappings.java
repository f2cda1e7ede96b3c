package org.fieldstream.sink;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fieldstream.events.AvroCodec;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.Topic;
import org.fieldstream.events.Topics;
import org.fieldstream.schema.AvroTables;
import org.fieldstream.schema.TableColumns.AvroTable;

/**
 * The registry of topic to table. Every row carries the Kafka record it came from
 * (source_topic, source_partition, source_offset) and a {@code version} that never decreases for a
 * key as the topic goes on:
 * <ul>
 *   <li>field_events: version = source offset. An event_id names immutable content (same source
 *       record and revision), so any copy is the same row; the offset only picks one.</li>
 *   <li>metric tables: version = the metric's own version, which the streams raise with every
 *       update of its grain; replaying an older update cannot win over a newer one.</li>
 *   <li>reference tables: version = source offset; their topics are compacted with one
 *       partition, so a later update of a key always has a higher offset.</li>
 * </ul>
 */
public final class TableMappings {

    private TableMappings() {
    }

    /** Topic name to mapping for every topic the sink reads. */
    public static Map<String, TableMapping> of(Topics topics) {
        Map<String, TableMapping> mappings = new LinkedHashMap<>();
        put(mappings, topics.events.name(), "field_events", eventMapper());
        put(mappings, topics.cohortRetention.name(), AvroTables.COHORT_RETENTION, TableMappings::metric);
        put(mappings, topics.cohortRetentionByGroup.name(), AvroTables.COHORT_RETENTION_BY_GROUP, TableMappings::metric);
        put(mappings, topics.participantProgress.name(), AvroTables.PARTICIPANT_PROGRESS, TableMappings::metric);
        put(mappings, topics.retentionCurve.name(), AvroTables.RETENTION_CURVE, TableMappings::metric);
        put(mappings, topics.outreach.name(), AvroTables.OUTREACH, TableMappings::metric);
        put(mappings, topics.dialogues.name(), AvroTables.DIALOGUES, TableMappings::metric);
        put(mappings, topics.dialogueAttendance.name(), AvroTables.DIALOGUE_ATTENDANCE, TableMappings::metric);
        put(mappings, topics.programs.name(), AvroTables.PROGRAMS, t -> reference(t, List.of("program_id")));
        put(mappings, topics.partners.name(), AvroTables.PARTNERS, t -> reference(t, List.of("partner_id")));
        put(mappings, topics.orgUnits.name(), AvroTables.ORG_UNITS, t -> reference(t, List.of("org_unit_id")));
        put(mappings, topics.targets.name(), AvroTables.TARGETS,
                t -> reference(t, List.of("program_id", "indicator", "period", "dimension", "dimension_id")));
        put(mappings, topics.deadLetters.name(), "dead_letters", DeadLetterRows.mapper());
        put(mappings, topics.rejected.name(), "rejected_rows", RejectedRows.mapper());
        return Map.copyOf(mappings);
    }

    /** The topic names of {@link #of}, for subscribing. */
    public static List<String> topicNames(Topics topics) {
        return List.of(topics.events, topics.cohortRetention, topics.cohortRetentionByGroup, topics.participantProgress,
                topics.retentionCurve, topics.outreach, topics.dialogues, topics.dialogueAttendance, topics.programs,
                topics.partners, topics.orgUnits, topics.targets, topics.deadLetters, topics.rejected).stream().map(Topic::name).toList();
    }

    private static void put(Map<String, TableMapping> mappings, String topic, String table, RecordMapper mapper) {
        mappings.put(topic, new TableMapping(topic, table, mapper));
    }

    private static void put(Map<String, TableMapping> mappings, String topic, AvroTable table, Function<AvroTable, RecordMapper> mapper) {
        put(mappings, topic, table.table(), mapper.apply(table));
    }

    static RecordMapper eventMapper() {
        AvroCodec<FieldEvent> codec = AvroCodec.of(FieldEvent.class);
        FieldEventRows.Copier fast = new FieldEventRows.Copier();
        TsvRow row = new TsvRow();
        Source source = new Source();
        return RecordMapper.of(concat(FieldEventRows.COLUMNS, AvroTables.SOURCE_COLUMNS, List.of("version")), record -> {
            byte[] value = requireValue(record);
            if (!fast.copy(value, row.begin())) {
                FieldEventRows.write(row.begin(), codec.decode(value));
            }
            source.write(row, record);
            return row.integer(record.offset()).end();
        });
    }

    /** Rows of a metric table: the record's fields, then where it came from; its version is its own. */
    static RecordMapper metric(AvroTable table) {
        AvroCodec<? extends SpecificRecord> codec = codec(table);
        List<Schema.Field> fields = codec.schema().getFields();
        int version = codec.schema().getField("version").pos();
        RecordCopier fast = RecordCopier.of(codec.schema(), Set.of("version"));
        TsvRow row = new TsvRow();
        Source source = new Source();
        return RecordMapper.of(table.columns(), codec.schema(), record -> {
            byte[] bytes = requireValue(record);
            if (!fast.copy(bytes, row.begin())) {
                SpecificRecord value = codec.decode(bytes);
                if (((Number) value.get(version)).longValue() < 0) {
                    throw new IllegalArgumentException("field version: negative");
                }
                fields(row.begin(), fields, value);
            }
            source.write(row, record);
            return row.end();
        });
    }

    /**
     * Rows of a reference table: the record's fields, deleted, version (the offset), then where it
     * came from. A tombstone (null value) marks the key deleted; the key's '|'-separated parts fill the key columns.
     */
    static RecordMapper reference(AvroTable table, List<String> keyColumns) {
        AvroCodec<? extends SpecificRecord> codec = codec(table);
        List<Schema.Field> fields = codec.schema().getFields();
        if (!names(fields).containsAll(keyColumns)) {
            throw new IllegalArgumentException("key columns " + keyColumns + " are not all fields of " + codec.schema().getName());
        }
        RecordCopier fast = RecordCopier.of(codec.schema(), Set.of());
        TsvRow row = new TsvRow();
        Source source = new Source();
        return RecordMapper.of(table.columns(), codec.schema(), record -> {
            row.begin();
            if (record.value() == null) {
                tombstone(row, fields, record.key(), keyColumns);
            } else {
                if (!fast.copy(record.value(), row)) {
                    fields(row.begin(), fields, codec.decode(record.value()));
                }
                row.flag(false);
            }
            row.integer(record.offset());
            source.write(row, record);
            return row.end();
        });
    }

    /** The codec of the generated class of the table's record. */
    private static AvroCodec<? extends SpecificRecord> codec(AvroTable table) {
        Class<?> type = SpecificData.get().getClass(table.schema());
        if (type == null || !SpecificRecord.class.isAssignableFrom(type)) {
            throw new IllegalStateException("table " + table.table() + ": no generated class for " + table.schema().getFullName());
        }
        return AvroCodec.of(type.asSubclass(SpecificRecord.class));
    }

    private static void fields(TsvRow row, List<Schema.Field> fields, SpecificRecord value) {
        for (int pos = 0; pos < fields.size(); pos++) {
            row.value(fields.get(pos).name(), value.get(pos));
        }
    }

    private static void tombstone(TsvRow row, List<Schema.Field> fields, String key, List<String> keyColumns) {
        if (key == null) {
            throw new IllegalArgumentException("tombstone without a key");
        }
        String[] parts = key.split("\\|", -1);
        if (parts.length != keyColumns.size()) {
            throw new IllegalArgumentException("tombstone key has " + parts.length + " parts, expected " + keyColumns.size());
        }
        for (Schema.Field field : fields) {
            int part = keyColumns.indexOf(field.name());
            if (part >= 0) {
                row.text(parts[part]);
            } else {
                unknown(row, field);
            }
        }
        row.flag(true);
    }

    /**
     * A column a tombstone does not know: NULL when nullable, else the zero of its type, which is
     * what ClickHouse stores for a column an insert leaves out.
     */
    private static void unknown(TsvRow row, Schema.Field field) {
        Schema schema = field.schema();
        if (schema.isNullable()) {
            row.nullValue();
        } else if (schema.getLogicalType() instanceof LogicalTypes.Date) {
            row.date(field.name(), LocalDate.EPOCH);
        } else if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
            row.timestamp(field.name(), Instant.EPOCH);
        } else {
            switch (schema.getType()) {
                case STRING, ENUM -> row.text("");
                case INT, LONG, BOOLEAN -> row.integer(0);
                case FLOAT, DOUBLE -> row.floating(0);
                default -> throw new IllegalStateException("field " + field.name() + ": no empty value for " + schema.getType());
            }
        }
    }

    private static byte[] requireValue(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            throw new IllegalArgumentException("null value (tombstone) on a topic that is not deleted by tombstones");
        }
        return record.value();
    }

    /** Writes source_topic, source_partition and source_offset; keeps the topic's field, as a mapper sees one topic. */
    private static final class Source {
        private String topic;
        private byte[] topicField;

        void write(TsvRow row, ConsumerRecord<String, byte[]> record) {
            if (!record.topic().equals(topic)) {
                byte[] line = new TsvRow().begin().text(record.topic()).end();
                topicField = Arrays.copyOf(line, line.length - 1);
                topic = record.topic();
            }
            row.raw(topicField).integer(record.partition()).integer(record.offset());
        }
    }

    private static List<String> names(List<Schema.Field> fields) {
        return fields.stream().map(Schema.Field::name).toList();
    }

    private static List<String> concat(List<String> a, List<String> b, List<String> c) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        all.addAll(c);
        return List.copyOf(all);
    }

    /** For tests and tools: the mapper of a topic, or a failure naming it. */
    static TableMapping require(Map<String, TableMapping> mappings, ConsumerRecord<String, byte[]> record) {
        TableMapping mapping = mappings.get(record.topic());
        if (mapping == null) {
            throw new IllegalArgumentException("no table for topic " + record.topic());
        }
        return mapping;
    }
}
