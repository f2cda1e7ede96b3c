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
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fieldstream.events.AvroCodec;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.Topic;
import org.fieldstream.events.Topics;
import org.fieldstream.metrics.CohortRetention;
import org.fieldstream.metrics.DialogueAttendance;
import org.fieldstream.metrics.DialogueSummary;
import org.fieldstream.metrics.OutreachCount;
import org.fieldstream.metrics.ParticipantProgress;
import org.fieldstream.metrics.RetentionCurvePoint;
import org.fieldstream.reference.OrgUnit;
import org.fieldstream.reference.Partner;
import org.fieldstream.reference.Program;
import org.fieldstream.reference.Target;

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

    private static final List<String> SOURCE_COLUMNS = List.of("source_topic", "source_partition", "source_offset");

    private TableMappings() {
    }

    /** Topic name to mapping for every topic the sink reads. */
    public static Map<String, TableMapping> of(Topics topics) {
        Map<String, TableMapping> mappings = new LinkedHashMap<>();
        put(mappings, topics.events.name(), "field_events", eventMapper());
        put(mappings, topics.cohortRetention.name(), "cohort_retention", metric(CohortRetention.class, CohortRetention::getVersion));
        put(mappings, topics.cohortRetentionByGroup.name(), "cohort_retention_by_group", metric(CohortRetention.class, CohortRetention::getVersion));
        put(mappings, topics.participantProgress.name(), "participant_progress", metric(ParticipantProgress.class, ParticipantProgress::getVersion));
        put(mappings, topics.retentionCurve.name(), "retention_curve", metric(RetentionCurvePoint.class, RetentionCurvePoint::getVersion));
        put(mappings, topics.outreach.name(), "outreach", metric(OutreachCount.class, OutreachCount::getVersion));
        put(mappings, topics.dialogues.name(), "dialogues", metric(DialogueSummary.class, DialogueSummary::getVersion));
        put(mappings, topics.dialogueAttendance.name(), "dialogue_attendance", metric(DialogueAttendance.class, DialogueAttendance::getVersion));
        put(mappings, topics.programs.name(), "programs", reference(Program.class, List.of("program_id")));
        put(mappings, topics.partners.name(), "partners", reference(Partner.class, List.of("partner_id")));
        put(mappings, topics.orgUnits.name(), "org_units", reference(OrgUnit.class, List.of("org_unit_id")));
        put(mappings, topics.targets.name(), "targets",
                reference(Target.class, List.of("program_id", "indicator", "period", "dimension", "dimension_id")));
        put(mappings, topics.deadLetters.name(), "dead_letters", DeadLetterRows.mapper());
        return Map.copyOf(mappings);
    }

    /** The topic names of {@link #of}, for subscribing. */
    public static List<String> topicNames(Topics topics) {
        return List.of(topics.events, topics.cohortRetention, topics.cohortRetentionByGroup, topics.participantProgress,
                topics.retentionCurve, topics.outreach, topics.dialogues, topics.dialogueAttendance, topics.programs,
                topics.partners, topics.orgUnits, topics.targets, topics.deadLetters).stream().map(Topic::name).toList();
    }

    private static void put(Map<String, TableMapping> mappings, String topic, String table, RecordMapper mapper) {
        mappings.put(topic, new TableMapping(topic, table, mapper));
    }

    static RecordMapper eventMapper() {
        AvroCodec<FieldEvent> codec = AvroCodec.of(FieldEvent.class);
        FieldEventRows.Copier fast = new FieldEventRows.Copier();
        TsvRow row = new TsvRow();
        Source source = new Source();
        return RecordMapper.of(concat(FieldEventRows.COLUMNS, SOURCE_COLUMNS, List.of("version")), record -> {
            byte[] value = requireValue(record);
            if (!fast.copy(value, row.begin())) {
                FieldEventRows.write(row.begin(), codec.decode(value));
            }
            source.write(row, record);
            return row.integer(record.offset()).end();
        });
    }

    static <T extends SpecificRecord> RecordMapper metric(Class<T> type, Function<T, Long> version) {
        AvroCodec<T> codec = AvroCodec.of(type);
        List<Schema.Field> fields = codec.schema().getFields();
        RecordCopier fast = RecordCopier.of(codec.schema(), Set.of("version"));
        TsvRow row = new TsvRow();
        Source source = new Source();
        return RecordMapper.of(concat(names(fields), SOURCE_COLUMNS, List.of()), codec.schema(), record -> {
            byte[] bytes = requireValue(record);
            if (!fast.copy(bytes, row.begin())) {
                T value = codec.decode(bytes);
                if (version.apply(value) < 0) {
                    throw new IllegalArgumentException("field version: negative");
                }
                fields(row.begin(), fields, value);
            }
            source.write(row, record);
            return row.end();
        });
    }

    /** A tombstone (null value) marks the key deleted; the key's '|'-separated parts fill the key columns. */
    static <T extends SpecificRecord> RecordMapper reference(Class<T> type, List<String> keyColumns) {
        AvroCodec<T> codec = AvroCodec.of(type);
        List<Schema.Field> fields = codec.schema().getFields();
        if (!names(fields).containsAll(keyColumns)) {
            throw new IllegalArgumentException("key columns " + keyColumns + " are not all fields of " + type.getSimpleName());
        }
        RecordCopier fast = RecordCopier.of(codec.schema(), Set.of());
        TsvRow row = new TsvRow();
        Source source = new Source();
        return RecordMapper.of(concat(names(fields), List.of("deleted", "version"), SOURCE_COLUMNS), codec.schema(), record -> {
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
