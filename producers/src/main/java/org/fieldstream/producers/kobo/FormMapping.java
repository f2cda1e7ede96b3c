package org.fieldstream.producers.kobo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.fieldstream.producers.Layout;
import org.fieldstream.producers.UnusableInputException;

/**
 * How one KoboToolbox / ODK form maps to a layout, declared in a small JSON file:
 * <pre>
 * {"form_id": "attendance_register", "layout": "attendance",
 *  "repeat": "participants",                      // optional: one row per item of this repeat group
 *  "columns": {"cohort_id": "session/cohort_id", "person_key": "participants/member_id", ...},
 *  "values": {"status": {"p": "present", "a": "absent"}}}   // optional: form choice to layout value
 * </pre>
 * Column paths are the export's field names (group paths with '/'); paths under the repeat group are
 * read from each item. Mappings are files, or names of the bundled ones under {@code forms/}.
 */
public record FormMapping(String formId, Layout layout, String repeat, Map<String, String> columns,
                          Map<String, Map<String, String>> values) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A mapping file path, or the name of a bundled mapping ({@code attendance_register}). */
    public static FormMapping load(String nameOrPath) throws IOException, UnusableInputException {
        Path path = Path.of(nameOrPath);
        if (Files.isRegularFile(path)) {
            try (InputStream in = Files.newInputStream(path)) {
                return parse(JSON.readTree(in), nameOrPath);
            }
        }
        try (InputStream in = FormMapping.class.getResourceAsStream("/forms/" + nameOrPath + ".json")) {
            if (in == null) {
                throw new UnusableInputException("no form mapping file or bundled mapping named " + nameOrPath);
            }
            return parse(JSON.readTree(in), nameOrPath);
        }
    }

    static FormMapping parse(JsonNode node, String name) throws UnusableInputException {
        String formId = text(node, "form_id", name);
        Layout layout = Layout.byId(text(node, "layout", name))
                .orElseThrow(() -> new UnusableInputException(name + ": unknown layout " + node.get("layout")));
        String repeat = node.hasNonNull("repeat") ? node.get("repeat").asText() : null;
        Map<String, String> columns = new LinkedHashMap<>();
        JsonNode cols = node.get("columns");
        if (cols == null || !cols.isObject()) {
            throw new UnusableInputException(name + ": \"columns\" must map layout columns to form fields");
        }
        cols.fields().forEachRemaining(e -> columns.put(e.getKey(), e.getValue().asText()));
        for (String required : layout.required()) {
            if (!columns.containsKey(required)) {
                throw new UnusableInputException(name + ": maps no form field to required column " + required);
            }
        }
        Map<String, Map<String, String>> values = new LinkedHashMap<>();
        JsonNode vals = node.get("values");
        if (vals != null && vals.isObject()) {
            vals.fields().forEachRemaining(e -> {
                Map<String, String> choices = new LinkedHashMap<>();
                e.getValue().fields().forEachRemaining(c -> choices.put(c.getKey(), c.getValue().asText()));
                values.put(e.getKey(), Map.copyOf(choices));
            });
        }
        return new FormMapping(formId, layout, repeat, Map.copyOf(columns), Map.copyOf(values));
    }

    /** The layout value of a form value: through the choice table when the column has one. */
    String translate(String column, String value) {
        Map<String, String> choices = values.get(column);
        if (choices == null) {
            return value;
        }
        return choices.getOrDefault(value, value);
    }

    private static String text(JsonNode node, String field, String name) throws UnusableInputException {
        JsonNode value = node.get(field);
        if (value == null || value.asText().isBlank()) {
            throw new UnusableInputException(name + ": missing \"" + field + "\"");
        }
        return value.asText();
    }
}
