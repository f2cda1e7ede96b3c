package org.fieldstream.producers.forms;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One submission as a form-export reader understood it, before the mapping places it in rows.
 *
 * @param ref      {@code <file>:<instanceID>}, the start of its rows' source refs
 * @param identity the record's identity across edits (tool, then the tool's own record id), or null
 *                 with a problem
 * @param revision see {@link Revisions}
 * @param fields   the submission's fields by form path
 * @param items    the mapping's repeat items (fields by path relative to the repeat), null when the
 *                 mapping has no repeat
 * @param problem  why the submission cannot be placed (one rejection), or null
 */
public record Submission(String ref, String identity, int revision, Fields fields, List<Fields> items, String problem) {

    /** Field values of a submission or a repeat item. */
    @FunctionalInterface
    public interface Fields {
        /** The node at a form path ('/' between groups), or null. */
        JsonNode get(String path);
    }

    public static Submission rejected(String ref, Fields fields, String problem) {
        return new Submission(ref, null, 0, fields, null, problem);
    }

    /** The instance id without its {@code uuid:} prefixes (some tools write two). */
    public static String bareId(String id) {
        if (id == null) {
            return null;
        }
        String bare = id.trim();
        while (bare.regionMatches(true, 0, "uuid:", 0, 5)) {
            bare = bare.substring(5).trim();
        }
        return bare.isEmpty() ? null : bare;
    }

    /** The text of a value node, or null for a missing, null, blank or structured node. */
    public static String text(JsonNode node) {
        if (node == null || node.isNull() || !node.isValueNode()) {
            return null;
        }
        String text = node.asText().trim();
        return text.isEmpty() ? null : text;
    }
}
