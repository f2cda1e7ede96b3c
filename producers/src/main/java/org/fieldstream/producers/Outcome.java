package org.fieldstream.producers;

import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.RejectedRecord;

/** What became of one source row: an event, or a rejection naming record, field and reason. */
public sealed interface Outcome {

    String sourceRef();

    record Accepted(FieldEvent event) implements Outcome {
        @Override
        public String sourceRef() {
            return event.getSourceRef();
        }
    }

    /** {@code foreign}: the row claims another partner's or program's data (HTTP answers 403). */
    record Rejected(RejectedRecord record, boolean foreign) implements Outcome {
        @Override
        public String sourceRef() {
            return record.getSourceRef();
        }

        /** {@code file:line field: reason}, safe to print: the reason never quotes personal columns. */
        public String describe() {
            String field = record.getField() == null ? "row" : record.getField();
            return record.getSourceRef() + " " + field + ": " + record.getReason();
        }
    }
}
