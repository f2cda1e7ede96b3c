package org.fieldstream.producers.json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.fieldstream.producers.Layout;
import org.fieldstream.producers.SourceRow;
import org.fieldstream.producers.Utf8;

/**
 * Turns one JSON object into a row: its {@code layout} field (or a default) and the layout's own fields.
 * In JSON the keys name the columns, so a value is marked personal when it stands under a personal key
 * ({@code person_key}, {@code name}, {@code phone}, {@code national_id}, whether or not the layout has
 * that column). Reasons never quote the input: a parser's own message names the offending token, so
 * only the kind of error and its column are kept.
 */
public final class JsonRows {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JsonFactory FACTORY = JSON.getFactory();

    private JsonRows() {
    }

    /** One row from the bytes of one JSON value (a line, an array element): checked, parsed, converted. */
    public static SourceRow parse(byte[] bytes, int length, Layout defaultLayout, String ref) {
        int invalid = Utf8.invalidAt(bytes, 0, length);
        String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            String reason = invalid >= 0 ? invalidUtf8(invalid) : "not valid JSON: " + describe(e);
            return SourceRow.malformed(null, Map.of(), ref, reason);
        }
        SourceRow row = toRow(node, defaultLayout, ref);
        if (invalid >= 0) {
            String field = fieldAt(bytes, invalid);
            boolean known = row.layout() != null && field != null && row.layout().knows(field);
            return SourceRow.malformed(row.layout(), row.values(), ref, invalidUtf8(invalid), known ? field : null,
                    row.personal());
        }
        return row;
    }

    public static SourceRow toRow(JsonNode node, Layout defaultLayout, String ref) {
        if (node == null || !node.isObject()) {
            return SourceRow.malformed(null, Map.of(), ref, "not a JSON object");
        }
        Set<String> personal = personalValues(node);
        JsonNode layoutNode = node.get("layout");
        Layout layout = defaultLayout;
        if (layoutNode != null && !layoutNode.isNull()) {
            layout = Layout.byId(layoutNode.asText()).orElse(null);
            if (layout == null) {
                return SourceRow.malformed(null, Map.of(), ref, "unknown layout (expected one of " + layoutIds() + ")",
                        "layout", personal);
            }
        }
        if (layout == null) {
            return SourceRow.malformed(null, Map.of(), ref, "no \"layout\" field", "layout", personal);
        }
        Map<String, String> values = new LinkedHashMap<>();
        String problem = null;
        String problemField = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String column = Layout.normalise(field.getKey());
            JsonNode value = field.getValue();
            if (!layout.knows(column) || value.isNull() || values.containsKey(column)) {
                continue;
            }
            if (!value.isValueNode()) {
                if (problem == null) {
                    problem = "not a plain value";
                    problemField = column;
                }
                continue;
            }
            String text = value.asText().trim();
            if (hasLoneSurrogate(text) && problem == null) {
                problem = "not valid Unicode (an unpaired surrogate escape)";
                problemField = column;
            }
            if (!text.isEmpty()) {
                values.put(column, text);
            }
        }
        return problem == null ? SourceRow.of(layout, values, ref, personal)
                : SourceRow.malformed(layout, values, ref, problem, problemField, personal);
    }

    /** What went wrong, without the parser's quote of the input: the kind of error and where. */
    static String describe(JsonProcessingException e) {
        String kind = e instanceof JsonEOFException ? "the value ends early" : "unexpected content";
        return e.getLocation() == null ? kind : kind + " at column " + e.getLocation().getColumnNr();
    }

    /**
     * As {@link #describe}, for a whole file (an export): the kind of error, its line and column, never
     * the parser's message, which quotes the offending input.
     */
    public static String describeInFile(JsonProcessingException e) {
        String kind = e instanceof JsonEOFException ? "the JSON ends early" : "unexpected content";
        return e.getLocation() == null ? kind
                : kind + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    static String invalidUtf8(int offset) {
        return "not valid UTF-8 (byte " + (offset + 1) + ")";
    }

    /** Every text under a personal key, nested values included. */
    private static Set<String> personalValues(JsonNode node) {
        Set<String> personal = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (Layout.PERSONAL.contains(Layout.normalise(field.getKey()))) {
                if (personal == null) {
                    personal = new HashSet<>();
                }
                collect(field.getValue(), personal);
            }
        }
        return personal == null ? Set.of() : personal;
    }

    private static void collect(JsonNode value, Set<String> into) {
        if (value.isValueNode()) {
            String text = value.asText().trim();
            if (!text.isEmpty() && !value.isNull()) {
                into.add(text);
            }
            return;
        }
        value.elements().forEachRemaining(child -> collect(child, into));
    }

    /** The key being read when the input reached byte {@code offset}, lower case, or null. */
    static String fieldAt(byte[] bytes, int offset) {
        String name = null;
        try (JsonParser parser = FACTORY.createParser(bytes, 0, offset)) {
            while (parser.nextToken() != null) {
                name = parser.currentName();
            }
        } catch (IOException | RuntimeException e) {
            // the prefix ends inside a value: the name seen last is the one
        }
        return name == null ? null : name.toLowerCase(Locale.ROOT).trim();
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static String layoutIds() {
        StringBuilder s = new StringBuilder();
        for (Layout l : Layout.values()) {
            s.append(s.length() == 0 ? "" : ", ").append(l.id());
        }
        return s.toString();
    }
}
