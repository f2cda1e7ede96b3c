package org.fieldstream.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.avro.Schema;
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
import org.fieldstream.schema.TableColumns.AvroTable;

/**
 * The tables whose rows are Avro records: each table's name, the record that feeds it and its
 * columns in the order a row fills them. A metric row is the record's fields then
 * {@link #SOURCE_COLUMNS} (its {@code version} is the metric's own field); a reference row is the
 * record's fields, {@code deleted}, {@code version} (the source offset), then {@link #SOURCE_COLUMNS}.
 * The sink writes its rows from these declarations; {@link TableColumns} checks the tables against them.
 */
public final class AvroTables {

    /** Where a row came from, filled by the sink: the Kafka record's topic, partition and offset. */
    public static final List<String> SOURCE_COLUMNS = List.of("source_topic", "source_partition", "source_offset");

    public static final AvroTable COHORT_RETENTION = metric("cohort_retention", CohortRetention.getClassSchema());
    public static final AvroTable COHORT_RETENTION_BY_GROUP = metric("cohort_retention_by_group", CohortRetention.getClassSchema());
    public static final AvroTable PARTICIPANT_PROGRESS = metric("participant_progress", ParticipantProgress.getClassSchema());
    public static final AvroTable RETENTION_CURVE = metric("retention_curve", RetentionCurvePoint.getClassSchema());
    public static final AvroTable OUTREACH = metric("outreach", OutreachCount.getClassSchema());
    public static final AvroTable DIALOGUES = metric("dialogues", DialogueSummary.getClassSchema());
    public static final AvroTable DIALOGUE_ATTENDANCE = metric("dialogue_attendance", DialogueAttendance.getClassSchema());
    public static final AvroTable PROGRAMS = reference("programs", Program.getClassSchema());
    public static final AvroTable PARTNERS = reference("partners", Partner.getClassSchema());
    public static final AvroTable ORG_UNITS = reference("org_units", OrgUnit.getClassSchema());
    public static final AvroTable TARGETS = reference("targets", Target.getClassSchema());

    private static final List<AvroTable> ALL = List.of(COHORT_RETENTION, COHORT_RETENTION_BY_GROUP, PARTICIPANT_PROGRESS,
            RETENTION_CURVE, OUTREACH, DIALOGUES, DIALOGUE_ATTENDANCE, PROGRAMS, PARTNERS, ORG_UNITS, TARGETS);

    private AvroTables() {
    }

    /** Every table fed from Avro records, by name. */
    public static Map<String, AvroTable> all() {
        return ALL.stream().collect(Collectors.toMap(AvroTable::table, table -> table, (a, b) -> {
            throw new IllegalStateException("table " + a.table() + " declared twice");
        }, TreeMap::new));
    }

    private static AvroTable metric(String table, Schema schema) {
        return new AvroTable(table, schema, columns(schema, List.of(), SOURCE_COLUMNS));
    }

    private static AvroTable reference(String table, Schema schema) {
        return new AvroTable(table, schema, columns(schema, List.of("deleted", "version"), SOURCE_COLUMNS));
    }

    private static List<String> columns(Schema schema, List<String> added, List<String> source) {
        List<String> all = new ArrayList<>(schema.getFields().stream().map(Schema.Field::name).toList());
        all.addAll(added);
        all.addAll(source);
        return List.copyOf(all);
    }
}
