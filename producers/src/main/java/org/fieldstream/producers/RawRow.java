package org.fieldstream.producers;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Renders a row for the rejected topic: a JSON object of the layout's own columns in the order read,
 * with every value a {@link Redaction} hides replaced by {@value Redaction#REDACTED}. Extra columns
 * were dropped on read, so whatever a partner puts in them never leaves the ingest either.
 */
public final class RawRow {

    public static final String REDACTED = Redaction.REDACTED;

    private static final ObjectMapper JSON = new ObjectMapper();

    private RawRow() {
    }

    /** Redacted by column and by pattern. */
    public static String render(Map<String, String> values) {
        return render(values, Redaction.columnsOnly());
    }

    public static String render(Map<String, String> values, Redaction redaction) {
        ObjectNode node = JSON.createObjectNode();
        values.forEach((column, value) -> node.put(column, redaction.hides(column, value) ? REDACTED : value));
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a row as JSON", e);
        }
    }
}
