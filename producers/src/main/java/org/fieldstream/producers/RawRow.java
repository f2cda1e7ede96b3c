package org.fieldstream.producers;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Renders a row for the rejected topic: a JSON object of the layout's own columns in the order read,
 * with every person-identifying column ({@link Layout#PERSONAL}) replaced by {@value #REDACTED}. Extra
 * columns were dropped on read, so whatever a partner puts in them never leaves the ingest either.
 */
public final class RawRow {

    public static final String REDACTED = "[redacted]";

    private static final ObjectMapper JSON = new ObjectMapper();

    private RawRow() {
    }

    public static String render(Map<String, String> values) {
        ObjectNode node = JSON.createObjectNode();
        values.forEach((column, value) -> node.put(column, Layout.PERSONAL.contains(column) ? REDACTED : value));
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a row as JSON", e);
        }
    }
}
