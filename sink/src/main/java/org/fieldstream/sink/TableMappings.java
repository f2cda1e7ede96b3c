package org.fieldstream.sink;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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
        return Map.copyOf(mappings);
    }

    /** The topic names of {@link #of}, for subscribing. */
    public static List<String> topicNames(Topics topics) {
        return List.of(topics.events, topics.cohortRetention, topics.cohortRetentionByGroup, topics.participantProgress,
                topics.retentionCurve, topics.outreach, topics.dialogues, topics.dialogueAttendance, topics.programs,
                topics.partners, topics.orgUnits, topics.targets).stream().map(Topic::name).toList();
    }

    private static void put(Map<String, TableMapping> mappings, String topic, String table, RecordMapper mapper) {
        mappings.put(topic, new TableMapping(topic, table, mapper));
    }

    static RecordMapper eventMapper() {
        AvroCodec<FieldEvent> codec = AvroCodec.of(FieldEvent.class);
        return record -> {
            Map<String, Object> row = FieldEventRows.row(codec.decode(requireValue(record)));
            addSource(row, record);
            row.put("version", record.offset());
            return row;
        };
    }

    static <T extends SpecificRecord> RecordMapper metric(Class<T> type, Function<T, Long> version) {
        AvroCodec<T> codec = AvroCodec.of(type);
        return record -> {
            T value = codec.decode(requireValue(record));
            if (version.apply(value) < 0) {
                throw new IllegalArgumentException("field version: negative");
            }
            Map<String, Object> row = Rows.of(value);
            addSource(row, record);
            return row;
        };
    }

    /** A tombstone (null value) marks the key deleted; the key's '|'-separated parts fill the key columns. */
    static <T extends SpecificRecord> RecordMapper reference(Class<T> type, List<String> keyColumns) {
        AvroCodec<T> codec = AvroCodec.of(type);
        return record -> {
            Map<String, Object> row;
            if (record.value() == null) {
                row = tombstone(record.key(), keyColumns);
            } else {
                row = Rows.of(codec.decode(record.value()));
                row.put("deleted", 0);
            }
            row.put("version", record.offset());
            addSource(row, record);
            return row;
        };
    }

    private static Map<String, Object> tombstone(String key, List<String> keyColumns) {
        if (key == null) {
            throw new IllegalArgumentException("tombstone without a key");
        }
        String[] parts = key.split("\\|", -1);
        if (parts.length != keyColumns.size()) {
            throw new IllegalArgumentException("tombstone key has " + parts.length + " parts, expected " + keyColumns.size());
        }
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < parts.length; i++) {
            row.put(keyColumns.get(i), parts[i]);
        }
        row.put("deleted", 1);
        return row;
    }

    private static byte[] requireValue(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            throw new IllegalArgumentException("null value (tombstone) on a topic that is not deleted by tombstones");
        }
        return record.value();
    }

    private static void addSource(Map<String, Object> row, ConsumerRecord<String, byte[]> record) {
        row.put("source_topic", record.topic());
        row.put("source_partition", record.partition());
        row.put("source_offset", record.offset());
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
