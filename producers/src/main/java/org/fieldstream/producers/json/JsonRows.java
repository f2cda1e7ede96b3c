package org.fieldstream.producers.json;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.fieldstream.producers.Layout;
import org.fieldstream.producers.SourceRow;

/** Turns one JSON object into a row: its {@code layout} field (or a default) and the layout's own fields. */
public final class JsonRows {

    private JsonRows() {
    }

    public static SourceRow toRow(JsonNode node, Layout defaultLayout, String ref) {
        if (node == null || !node.isObject()) {
            return SourceRow.malformed(null, Map.of(), ref, "not a JSON object");
        }
        JsonNode layoutNode = node.get("layout");
        Layout layout = defaultLayout;
        if (layoutNode != null && !layoutNode.isNull()) {
            layout = Layout.byId(layoutNode.asText()).orElse(null);
            if (layout == null) {
                return SourceRow.malformed(null, Map.of(), ref, "unknown layout '" + shorten(layoutNode.asText()) + "'");
            }
        }
        if (layout == null) {
            return SourceRow.malformed(null, Map.of(), ref, "no \"layout\" field");
        }
        Map<String, String> values = new LinkedHashMap<>();
        String problem = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String column = Layout.normalise(field.getKey());
            JsonNode value = field.getValue();
            if (!layout.knows(column) || value.isNull() || values.containsKey(column)) {
                continue;
            }
            if (!value.isValueNode()) {
                problem = problem == null ? "field " + column + " is not a plain value" : problem;
                continue;
            }
            String text = value.asText().trim();
            if (!text.isEmpty()) {
                values.put(column, text);
            }
        }
        return problem == null ? SourceRow.of(layout, values, ref) : SourceRow.malformed(layout, values, ref, problem);
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
