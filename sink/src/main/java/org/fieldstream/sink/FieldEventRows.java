package org.fieldstream.sink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.RecordRetracted;
import org.fieldstream.sink.AvroTsv.FieldCopier;

/**
 * Flattens a {@link FieldEvent} into the leading columns of one {@code field_events} row: the
 * envelope, {@code event_type} (the payload type in snake_case) and the payload's fields in columns
 * shared by all types. A column not used by the type is NULL.
 */
final class FieldEventRows {

    /** Payload columns of field_events; a payload field without a column is refused. */
    static final List<String> PAYLOAD_COLUMNS = List.of(
            "cohort_id", "dialogue_id", "session_number", "person_id", "sex", "birth_year", "age", "status",
            "reason", "kind", "topic", "role", "planned_sessions", "start_date", "end_date", "target_group",
            "held_on", "enrolled_on", "exited_on", "retraction_reason");
    private static final Schema ENVELOPE = FieldEvent.getClassSchema();
    private static final int PAYLOAD_POS = ENVELOPE.getField("payload").pos();
    /** The columns {@link #write} fills, in order. */
    static final List<String> COLUMNS = columns();
    private static final Map<Schema, PayloadLayout> LAYOUTS = new ConcurrentHashMap<>();

    /**
     * Where each payload column of one payload type comes from: the payload field position, or -1
     * for NULL. {@code refusal} is set when the type has a field without a column.
     */
    private record PayloadLayout(String eventType, int[] fieldOfColumn, String refusal) {
    }

    private FieldEventRows() {
    }

    /**
     * The fast path (see {@link AvroTsv}) for field events: the envelope straight into the row; the
     * payload's fields into a scratch row first, because their columns come in another order.
     */
    static final class Copier {
        private final long fingerprint = AvroTsv.fingerprint(ENVELOPE);
        private final FieldCopier[] envelope;
        /** Per payload branch of the union: its event type and field copiers, or null for the ordinary path. */
        private final byte[][] eventTypes;
        private final FieldCopier[][] payloadFields;
        private final PayloadLayout[] layouts;
        private final TsvRow scratch = new TsvRow();
        private int[] from = new int[8];
        private int[] to = new int[8];

        Copier() {
            if (PAYLOAD_POS != ENVELOPE.getFields().size() - 1) {
                throw new IllegalStateException("the fast path expects the payload as the last envelope field");
            }
            envelope = AvroTsv.copiers(ENVELOPE.getFields().subList(0, PAYLOAD_POS), Set.of());
            List<Schema> branches = ENVELOPE.getField("payload").schema().getTypes();
            eventTypes = new byte[branches.size()][];
            payloadFields = new FieldCopier[branches.size()][];
            layouts = new PayloadLayout[branches.size()];
            for (int b = 0; b < branches.size(); b++) {
                Schema payload = branches.get(b);
                PayloadLayout layout = payload.getType() == Schema.Type.RECORD ? layout(payload) : null;
                if (layout != null && layout.refusal() == null) {
                    layouts[b] = layout;
                    eventTypes[b] = layout.eventType().getBytes(StandardCharsets.UTF_8);
                    payloadFields[b] = AvroTsv.copiers(payload.getFields(), Set.of());
                }
            }
        }

        /** Writes the event's {@link #COLUMNS}; false (row half written) when the ordinary decoder must do it. */
        boolean copy(byte[] message, TsvRow row) {
            AvroInput in = AvroTsv.open(message, fingerprint);
            if (in == null) {
                return false;
            }
            try {
                for (FieldCopier copier : envelope) {
                    copier.copy(in, row);
                }
                int branch = in.readInt();
                if (layouts[branch] == null) {
                    return false;
                }
                row.raw(eventTypes[branch]);
                copyPayload(in, payloadFields[branch]);
                for (int field : layouts[branch].fieldOfColumn()) {
                    if (field < 0) {
                        row.nullValue();
                    } else {
                        row.field(scratch, from[field], to[field]);
                    }
                }
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }

        private void copyPayload(AvroInput in, FieldCopier[] fields) {
            if (fields.length > from.length) {
                from = new int[fields.length];
                to = new int[fields.length];
            }
            scratch.begin();
            for (int f = 0; f < fields.length; f++) {
                from[f] = scratch.detach().position();
                fields[f].copy(in, scratch);
                to[f] = scratch.position();
            }
        }
    }

    private static List<String> columns() {
        List<String> columns = new ArrayList<>();
        for (Schema.Field field : ENVELOPE.getFields()) {
            if (field.pos() != PAYLOAD_POS) {
                columns.add(field.name());
            }
        }
        columns.add("event_type");
        columns.addAll(PAYLOAD_COLUMNS);
        return List.copyOf(columns);
    }

    /** Writes the {@link #COLUMNS} of the event into the row. */
    static void write(TsvRow row, FieldEvent event) {
        Object payload = event.get(PAYLOAD_POS);
        if (!(payload instanceof SpecificRecord record)) {
            throw new IllegalArgumentException("field payload: missing or not a record");
        }
        PayloadLayout layout = LAYOUTS.computeIfAbsent(record.getSchema(), FieldEventRows::layout);
        if (layout.refusal() != null) {
            throw new IllegalArgumentException(layout.refusal());
        }
        List<Schema.Field> envelope = ENVELOPE.getFields();
        for (int pos = 0; pos < envelope.size(); pos++) {
            if (pos != PAYLOAD_POS) {
                row.value(envelope.get(pos).name(), event.get(pos));
            }
        }
        row.text(layout.eventType());
        List<Schema.Field> fields = record.getSchema().getFields();
        for (int pos : layout.fieldOfColumn()) {
            if (pos < 0) {
                row.nullValue();
            } else {
                row.value(fields.get(pos).name(), record.get(pos));
            }
        }
    }

    private static PayloadLayout layout(Schema payload) {
        int[] fieldOfColumn = new int[PAYLOAD_COLUMNS.size()];
        Arrays.fill(fieldOfColumn, -1);
        // a retraction's reason is about the retraction, an exit's reason is the exit reason
        boolean retraction = payload.getFullName().equals(RecordRetracted.getClassSchema().getFullName());
        for (Schema.Field field : payload.getFields()) {
            String column = retraction && field.name().equals("reason") ? "retraction_reason" : field.name();
            int index = PAYLOAD_COLUMNS.indexOf(column);
            if (index < 0) {
                return new PayloadLayout(null, null, "field payload." + field.name() + " of " + payload.getName()
                        + " has no column in field_events");
            }
            fieldOfColumn[index] = field.pos();
        }
        return new PayloadLayout(eventType(payload.getName()), fieldOfColumn, null);
    }

    /** TrainingCohortRegistered becomes training_cohort_registered. */
    static String eventType(String payloadName) {
        return payloadName.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
