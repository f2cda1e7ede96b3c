package org.fieldstream.seeds;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

import org.apache.avro.Schema;
import org.fieldstream.metrics.CohortRetention;
import org.fieldstream.metrics.DialogueAttendance;
import org.fieldstream.metrics.DialogueSummary;
import org.fieldstream.metrics.OutreachCount;
import org.fieldstream.metrics.ParticipantProgress;
import org.fieldstream.metrics.RetentionCurvePoint;

/**
 * A metric family of the expected output: its file name under {@code expected/} (name + ".jsonl"),
 * the Avro metric record whose fields it carries (minus as_of, updated_at, version, deleted), and
 * its grain key = the Kafka key of the metric topic, the key fields' values joined by '|':
 * <ul>
 * <li>cohort_retention, cohort_retention_by_group: cohort_id|sex|age_band (totals: sex = age_band = all)</li>
 * <li>participant_progress: cohort_id|person_id</li>
 * <li>retention_curve: cohort_id|session_number|sex|age_band (totals: sex = age_band = all)</li>
 * <li>outreach: program_id|period_kind|period|dimension|dimension_id|sex|age_band</li>
 * <li>dialogues: dialogue_id</li>
 * <li>dialogue_attendance: dialogue_id|role|sex</li>
 * </ul>
 * Row values use the Java types of the generated Avro getters: String, Integer, Long, Double,
 * LocalDate (date fields), null for an absent optional.
 */
public enum MetricFamily {
    COHORT_RETENTION("cohort_retention", CohortRetention.getClassSchema(), "cohort_id", "sex", "age_band"),
    COHORT_RETENTION_BY_GROUP("cohort_retention_by_group", CohortRetention.getClassSchema(), "cohort_id", "sex", "age_band"),
    PARTICIPANT_PROGRESS("participant_progress", ParticipantProgress.getClassSchema(), "cohort_id", "person_id"),
    RETENTION_CURVE("retention_curve", RetentionCurvePoint.getClassSchema(), "cohort_id", "session_number", "sex", "age_band"),
    OUTREACH("outreach", OutreachCount.getClassSchema(),
            "program_id", "period_kind", "period", "dimension", "dimension_id", "sex", "age_band"),
    DIALOGUES("dialogues", DialogueSummary.getClassSchema(), "dialogue_id"),
    DIALOGUE_ATTENDANCE("dialogue_attendance", DialogueAttendance.getClassSchema(), "dialogue_id", "role", "sex");

    /** Bookkeeping fields of every metric record that the expected output leaves out. */
    public static final Set<String> OMITTED = Set.of("as_of", "updated_at", "version", "deleted");

    private final String familyName;
    private final Schema schema;
    private final List<String> keyFields;

    MetricFamily(String familyName, Schema schema, String... keyFields) {
        this.familyName = familyName;
        this.schema = schema;
        this.keyFields = List.of(keyFields);
    }

    public String familyName() {
        return familyName;
    }

    public Schema schema() {
        return schema;
    }

    public List<String> keyFields() {
        return keyFields;
    }

    public static MetricFamily byName(String name) {
        for (MetricFamily f : values()) {
            if (f.familyName.equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown metric family " + name);
    }

    /** Field names carried by an expected row, in schema order. */
    public List<String> fields() {
        List<String> names = new ArrayList<>();
        for (Schema.Field f : schema.getFields()) {
            if (!OMITTED.contains(f.name())) {
                names.add(f.name());
            }
        }
        return names;
    }

    /** The grain key of a row (same format as the metric topic's Kafka key). */
    public String key(Map<String, Object> row) {
        StringJoiner key = new StringJoiner("|");
        for (String field : keyFields) {
            key.add(String.valueOf(row.get(field)));
        }
        return key.toString();
    }

    /** Fails unless the row holds exactly this family's fields. */
    void check(Map<String, Object> row) {
        if (!new ArrayList<>(row.keySet()).equals(fields())) {
            throw new IllegalStateException(familyName + " row fields " + row.keySet() + " differ from " + fields());
        }
    }

    /** Whether a field is an Avro date (LocalDate in Java, yyyy-MM-dd in JSON). */
    boolean isDate(String field) {
        Schema s = nonNull(schema.getField(field).schema());
        return s.getLogicalType() != null && "date".equals(s.getLogicalType().getName());
    }

    /** Avro type of a field, unwrapped from a nullable union. */
    Schema.Type type(String field) {
        return nonNull(schema.getField(field).schema()).getType();
    }

    private static Schema nonNull(Schema s) {
        if (s.getType() == Schema.Type.UNION) {
            for (Schema member : s.getTypes()) {
                if (member.getType() != Schema.Type.NULL) {
                    return member;
                }
            }
        }
        return s;
    }

    static LocalDate date(Object value) {
        return value instanceof LocalDate d ? d : LocalDate.parse(value.toString());
    }
}
