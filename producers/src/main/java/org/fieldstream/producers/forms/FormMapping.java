package org.fieldstream.producers.forms;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.fieldstream.producers.Layout;
import org.fieldstream.producers.UnusableInputException;

/**
 * How one KoboToolbox / ODK form maps to a layout, declared in a small JSON file:
 * <pre>
 * {"form_id": "attendance_register", "layout": "attendance",
 *  "repeat": "participants",                      // optional: one row per item of this repeat group
 *  "columns": {"cohort_id": "session/cohort_id", "person_key": "participants/member_id",
 *              "status": {"field": "participants/flags", "contains": "present", "then": "present", "else": "absent"}},
 *  "values": {"status": {"p": "present", "a": "absent"}},   // optional: form choice to layout value
 *  "edited_at": "end"}                            // optional (Kobo): the field holding an edit's time
 * </pre>
 * Column paths are the form's field paths (groups joined with '/'), the same for every export of the
 * form: Kobo JSON, ODK Central OData and ODK Central CSV; paths under the repeat group are read from
 * each item. A column is a path or a {@link ColumnRule} object (constants, defaults, dates, multi-selects).
 * Mappings are files, or names of the bundled ones under {@code forms/}.
 *
 * @param editedAt Kobo only: where an edited submission's edit time is (default {@code end}, which
 *                 Enketo, Kobo's editor, renews on every save); it orders the edits, see {@link Revisions}
 */
public record FormMapping(String formId, Layout layout, String repeat, Map<String, ColumnRule> columns,
                          Map<String, Map<String, String>> values, List<String> editedAt) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KEYS = Set.of("form_id", "description", "layout", "repeat", "columns", "values",
            "edited_at");

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

    public static FormMapping parse(JsonNode node, String name) throws UnusableInputException {
        if (node == null || !node.isObject()) {
            throw new UnusableInputException(name + ": a form mapping is a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new UnusableInputException(name + ": unknown key \"" + key + "\" (" + String.join(", ", KEYS) + ")");
            }
        }
        String formId = text(node, "form_id", name);
        Layout layout = Layout.byId(text(node, "layout", name))
                .orElseThrow(() -> new UnusableInputException(name + ": unknown layout " + node.get("layout")));
        String repeat = node.hasNonNull("repeat") ? trimSlashes(node.get("repeat").asText()) : null;
        Map<String, ColumnRule> columns = columns(node.get("columns"), layout, name);
        for (Map.Entry<String, ColumnRule> e : columns.entrySet()) {
            if (e.getValue().item() != null && repeat == null) {
                throw new UnusableInputException(name + ": column " + e.getKey() + " reads the repeat item's " + e.getValue().item()
                        + " but the mapping names no \"repeat\"");
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
        List<String> editedAt = new ArrayList<>();
        JsonNode edited = node.get("edited_at");
        if (edited == null || edited.isNull()) {
            editedAt.add("end");
        } else if (edited.isArray()) {
            edited.forEach(e -> editedAt.add(e.asText()));
        } else {
            editedAt.add(edited.asText());
        }
        return new FormMapping(formId, layout, repeat, columns, Map.copyOf(values), List.copyOf(editedAt));
    }

    private static Map<String, ColumnRule> columns(JsonNode cols, Layout layout, String name) throws UnusableInputException {
        if (cols == null || !cols.isObject()) {
            throw new UnusableInputException(name + ": \"columns\" must map layout columns to form fields");
        }
        Map<String, ColumnRule> columns = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = cols.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!layout.knows(e.getKey())) {
                throw new UnusableInputException(name + ": layout " + layout.id() + " has no column " + e.getKey());
            }
            columns.put(e.getKey(), ColumnRule.parse(e.getKey(), e.getValue(), name));
        }
        for (String required : layout.required()) {
            if (!columns.containsKey(required)) {
                throw new UnusableInputException(name + ": maps no form field or constant to required column " + required);
            }
        }
        if (columns.values().stream().filter(ColumnRule::each).count() > 1) {
            throw new UnusableInputException(name + ": only one column may give a row per selected choice (\"each\")");
        }
        return Collections.unmodifiableMap(columns);
    }

    /** The repeat group's path with a trailing '/', or null without a repeat. */
    String repeatPrefix() {
        return repeat == null ? null : repeat + "/";
    }

    /** The layout value of a form value: through the choice table when the column has one. */
    String translate(String column, String value) {
        Map<String, String> choices = values.get(column);
        if (choices == null) {
            return value;
        }
        return choices.getOrDefault(value, value);
    }

    private static String trimSlashes(String path) {
        String p = path.trim();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private static String text(JsonNode node, String field, String name) throws UnusableInputException {
        JsonNode value = node.get(field);
        if (value == null || value.asText().isBlank()) {
            throw new UnusableInputException(name + ": missing \"" + field + "\"");
        }
        return value.asText();
    }
}
