package org.fieldstream.producers.forms;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.fieldstream.producers.UnusableInputException;

/**
 * How one layout column gets its value from a submission, as a mapping declares it: a form field path
 * (or several, the first present wins), or a constant; then at most one of: a date transform, one row
 * per selected choice, or whether a choice is selected.
 *
 * <pre>
 * "cohort_id": "session/cohort_id"                                   // a field, as is
 * "held_on":   {"field": ["session/date", "start"], "date": true}   // first present; timestamp to local date
 * "sex":       {"const": "female"}                                   // the program knows it, the form does not ask
 * "age":       {"field": "age", "default": "30"}                     // used when the field is blank or absent
 * "person_key":{"field": "present_members", "each": true}           // select_multiple: a row per selected choice
 * "status":    {"field": "members/flags", "contains": "present", "then": "present", "else": "absent"}
 * "attendee_no":{"item": "position"}                                 // the repeat item's position (1, 2, ...)
 * "person_key":{"item": "key", "prefix": "KIT-"}                    // the item's instance key (OData __id, CSV KEY)
 * "person_key":{"field": ["visit/cohort", "member/no"], "join": "-"} // several fields joined: C1-4
 * "phone":     {"field": "member/phone", "optional": true}          // may be unanswered in every submission
 * </pre>
 * Every value read from a field may also lose a {@code uuid:} prefix ({@code "strip_uuid": true}) and gain a
 * {@code prefix}.
 *
 * @param fields   paths tried in order; empty for a constant
 * @param constant the value when no field is read, or null
 * @param fallback the value when every field is blank or absent, or null
 * @param date     whether the value is an ISO date or timestamp to turn into a local date (see {@link FormDates})
 * @param each     whether the value is a space-separated list of choices, one row per choice
 * @param contains a choice: the value becomes {@code then} when the list holds it, {@code otherwise} when not
 * @param item     {@code position} or {@code key}: the value is the repeat item's position in its repeat (from 1)
 *                 or its instance key, instead of a field; null otherwise
 * @param join     when set, every field is read and the non-blank ones are joined with it (instead of the first present)
 * @param prefix   put before the value read, or null
 * @param stripUuid whether {@code uuid:} prefixes are dropped from the value read
 * @param optional whether the mapping check lets the field be absent from the whole export
 */
public record ColumnRule(List<String> fields, String constant, String fallback, boolean date, boolean each,
                         String contains, String then, String otherwise, String item, String join, String prefix,
                         boolean stripUuid, boolean optional) {

    public static final String POSITION = "position";
    public static final String KEY = "key";

    private static final Set<String> KEYS = Set.of("field", "const", "default", "date", "each", "contains", "then", "else",
            "item", "join", "prefix", "strip_uuid", "optional");

    /** A plain field path. */
    static ColumnRule field(String path) {
        return new ColumnRule(List.of(path), null, null, false, false, null, null, null, null, null, null, false, false);
    }

    /** This rule without its {@code strip_uuid} (for a value already stripped). */
    ColumnRule withoutStrip() {
        return new ColumnRule(fields, constant, fallback, date, each, contains, then, otherwise, item, join, prefix, false, optional);
    }

    static ColumnRule parse(String column, JsonNode node, String name) throws UnusableInputException {
        if (node.isTextual()) {
            return field(node.asText());
        }
        if (!node.isObject()) {
            throw new UnusableInputException(name + ": column " + column + " must be a field path or an object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new UnusableInputException(name + ": column " + column + " has unknown key \"" + key
                        + "\" (" + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
            }
        }
        List<String> fields = paths(column, node.get("field"), name);
        String constant = text(node, "const");
        String item = text(node, "item");
        if (item != null && !item.equals(POSITION) && !item.equals(KEY)) {
            throw new UnusableInputException(name + ": column " + column + ": \"item\" is \"position\" or \"key\"");
        }
        int sources = (fields.isEmpty() ? 0 : 1) + (constant == null ? 0 : 1) + (item == null ? 0 : 1);
        if (sources != 1) {
            throw new UnusableInputException(name + ": column " + column + " needs exactly one of \"field\", \"const\" and \"item\"");
        }
        String join = text(node, "join");
        if (join != null && fields.size() < 2) {
            throw new UnusableInputException(name + ": column " + column + ": \"join\" joins a list of two or more fields");
        }
        boolean date = node.path("date").asBoolean(false);
        boolean each = node.path("each").asBoolean(false);
        String contains = text(node, "contains");
        int transforms = (date ? 1 : 0) + (each ? 1 : 0) + (contains == null ? 0 : 1);
        if (transforms > 1) {
            throw new UnusableInputException(name + ": column " + column + " may use only one of date, each, contains");
        }
        if (constant != null && transforms > 0) {
            throw new UnusableInputException(name + ": column " + column + " is a constant; date, each and contains read a field");
        }
        if (item != null && transforms > 0) {
            throw new UnusableInputException(name + ": column " + column + " is the repeat item's " + item
                    + "; date, each and contains read a field");
        }
        if (join != null && transforms > 0) {
            throw new UnusableInputException(name + ": column " + column + " joins fields; date, each and contains read one field");
        }
        if (contains == null && (node.has("then") || node.has("else"))) {
            throw new UnusableInputException(name + ": column " + column + ": \"then\"/\"else\" belong to \"contains\"");
        }
        String then = contains == null ? null : textOr(node, "then", "yes");
        String otherwise = contains == null ? null : textOr(node, "else", "no");
        return new ColumnRule(fields, constant, text(node, "default"), date, each, contains, then, otherwise, item, join,
                text(node, "prefix"), node.path("strip_uuid").asBoolean(false), node.path("optional").asBoolean(false));
    }

    private static List<String> paths(String column, JsonNode field, String name) throws UnusableInputException {
        List<String> paths = new ArrayList<>();
        if (field == null || field.isNull()) {
            return paths;
        }
        if (field.isTextual()) {
            paths.add(field.asText());
        } else if (field.isArray()) {
            field.forEach(f -> paths.add(f.asText()));
        }
        if (paths.isEmpty() || paths.stream().anyMatch(String::isBlank)) {
            throw new UnusableInputException(name + ": column " + column + ": \"field\" is a path or a list of paths");
        }
        return List.copyOf(paths);
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String textOr(JsonNode node, String key, String otherwise) {
        String value = text(node, key);
        return value == null ? otherwise : value;
    }
}
