package org.fieldstream.sink;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.RecordRetracted;

/**
 * Flattens a {@link FieldEvent} into one {@code field_events} row: the envelope, {@code event_type}
 * (the payload type in snake_case) and the payload's fields in columns shared by all types. A
 * column not used by the type is left out of the row, which ClickHouse stores as NULL.
 */
final class FieldEventRows {

    /** Payload columns of field_events; a payload field without a column is refused. */
    static final List<String> PAYLOAD_COLUMNS = List.of(
            "cohort_id", "dialogue_id", "session_number", "person_id", "sex", "birth_year", "age", "status",
            "reason", "kind", "topic", "role", "planned_sessions", "start_date", "end_date", "target_group",
            "held_on", "enrolled_on", "exited_on", "retraction_reason");
    private static final Set<String> PAYLOAD_COLUMN_SET = Set.copyOf(PAYLOAD_COLUMNS);
    private static final Map<String, String> EVENT_TYPES = new ConcurrentHashMap<>();

    private FieldEventRows() {
    }

    static Map<String, Object> row(FieldEvent event) {
        Map<String, Object> row = new HashMap<>(64);
        for (Schema.Field field : event.getSchema().getFields()) {
            if (!field.name().equals("payload")) {
                row.put(field.name(), Rows.value(field.name(), event.get(field.pos())));
            }
        }
        Object payload = event.getPayload();
        if (!(payload instanceof SpecificRecord record)) {
            throw new IllegalArgumentException("field payload: missing or not a record");
        }
        row.put("event_type", eventType(record));
        boolean retraction = record instanceof RecordRetracted;
        for (Schema.Field field : record.getSchema().getFields()) {
            // a retraction's reason is about the retraction, an exit's reason is the exit reason
            String column = retraction && field.name().equals("reason") ? "retraction_reason" : field.name();
            if (!PAYLOAD_COLUMN_SET.contains(column)) {
                throw new IllegalArgumentException("field payload." + field.name() + " of " + record.getSchema().getName()
                        + " has no column in field_events");
            }
            row.put(column, Rows.value(field.name(), record.get(field.pos())));
        }
        return row;
    }

    /** TrainingCohortRegistered becomes training_cohort_registered. */
    static String eventType(SpecificRecord payload) {
        return EVENT_TYPES.computeIfAbsent(payload.getSchema().getName(),
                name -> name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT));
    }
}
