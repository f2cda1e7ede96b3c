package org.fieldstream.producers.kobo;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.fieldstream.producers.Layout;
import org.fieldstream.producers.RowSource;
import org.fieldstream.producers.SourceRow;
import org.fieldstream.producers.UnusableInputException;

/**
 * Rows of a KoboToolbox / ODK JSON submission export (an array, or an object with {@code results}),
 * mapped to a layout by a {@link FormMapping}.
 *
 * <p>Identity follows the submission, not the form values: an edited submission carries
 * {@code meta/deprecatedID} (the instance it replaces) and, on current servers, {@code meta/rootUuid}
 * (the first instance of the chain). The record's identity is that root (the rootUuid, else the oldest
 * instance reachable through deprecatedID links in this export), and its revision is 1 plus the number
 * of deprecatedID links followed; so an edit is a new revision of the same record. Items of a repeat
 * group are told apart by their natural key within the submission. An export holding only the newest
 * of several edits, without rootUuid, sees a shorter chain: its revision is still above the original's.
 *
 * <p>{@code sourceRef} is {@code <file>:<instanceID>} ({@code #<item>} for repeat items).
 */
public final class KoboExportSource implements RowSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final String source;
    private final Iterator<SourceRow> rows;

    private KoboExportSource(String name, String source, List<SourceRow> rows) {
        this.name = name;
        this.source = source;
        this.rows = rows.iterator();
    }

    public static KoboExportSource read(InputStream in, String name, FormMapping mapping)
            throws IOException, UnusableInputException {
        return read(in, name, mapping, "kobo");
    }

    /** {@code source}: kobo or odk, the events' source field. */
    public static KoboExportSource read(InputStream in, String name, FormMapping mapping, String source)
            throws IOException, UnusableInputException {
        JsonNode root;
        try {
            root = JSON.readTree(in);
        } catch (JsonProcessingException e) {
            throw new UnusableInputException(name + ": not a JSON export: " + e.getOriginalMessage(), e);
        }
        JsonNode submissions = root != null && root.isObject() ? root.get("results") : root;
        if (submissions == null || !submissions.isArray()) {
            throw new UnusableInputException(name + ": expected a JSON array of submissions or {\"results\": [...]}");
        }
        Map<String, String> replaces = new HashMap<>();
        for (JsonNode s : submissions) {
            String id = instanceId(s);
            String deprecated = uuid(lookup(s, "meta/deprecatedID"));
            if (id != null && deprecated != null && !deprecated.equals(id)) {
                replaces.put(id, deprecated);
            }
        }
        List<SourceRow> rows = new ArrayList<>();
        int index = 0;
        for (JsonNode s : submissions) {
            index++;
            rows.addAll(rowsOf(s, index, name, mapping, replaces));
        }
        return new KoboExportSource(name, source, rows);
    }

    private static List<SourceRow> rowsOf(JsonNode submission, int index, String name, FormMapping mapping,
                                          Map<String, String> replaces) {
        String id = instanceId(submission);
        if (id == null) {
            return List.of(SourceRow.malformed(mapping.layout(), Map.of(), name + ":#" + index,
                    "submission has neither meta/instanceID nor _uuid"));
        }
        String root = id;
        int revision = 1;
        while (replaces.containsKey(root) && revision < 10_000) {
            root = replaces.get(root);
            revision++;
        }
        String rootUuid = uuid(lookup(submission, "meta/rootUuid"));
        if (rootUuid != null) {
            root = rootUuid;
        }
        String identity = "kobo" + '\u001F' + mapping.formId() + '\u001F' + root;
        if (mapping.repeat() == null) {
            Map<String, String> values = values(submission, null, mapping, revision);
            return List.of(new SourceRow(mapping.layout(), values, name + ":" + id, null, identity, false));
        }
        JsonNode items = lookup(submission, mapping.repeat());
        List<SourceRow> rows = new ArrayList<>();
        if (items == null || !items.isArray()) {
            return rows;
        }
        int item = 0;
        for (JsonNode element : items) {
            item++;
            Map<String, String> values = values(submission, element, mapping, revision);
            rows.add(new SourceRow(mapping.layout(), values, name + ":" + id + "#" + item, null, identity, true));
        }
        return rows;
    }

    private static Map<String, String> values(JsonNode submission, JsonNode item, FormMapping mapping, int revision) {
        Map<String, String> values = new LinkedHashMap<>();
        String prefix = mapping.repeat() == null ? null : mapping.repeat() + "/";
        mapping.columns().forEach((column, path) -> {
            JsonNode node;
            if (prefix != null && path.startsWith(prefix)) {
                node = item.has(path) ? item.get(path) : lookup(item, path.substring(prefix.length()));
            } else {
                node = lookup(submission, path);
            }
            if (node != null && node.isValueNode() && !node.asText().isBlank()) {
                values.put(column, mapping.translate(column, node.asText().trim()));
            }
        });
        values.put("revision", Integer.toString(revision));
        return values;
    }

    private static String instanceId(JsonNode submission) {
        String id = uuid(lookup(submission, "meta/instanceID"));
        return id != null ? id : uuid(submission.get("_uuid"));
    }

    /** Exports name fields by full group path ("meta/instanceID"); some nest groups as objects instead. */
    static JsonNode lookup(JsonNode node, String path) {
        if (node == null) {
            return null;
        }
        if (node.has(path)) {
            return node.get(path);
        }
        JsonNode current = node;
        for (String part : path.split("/")) {
            current = current.get(part);
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    private static String uuid(JsonNode node) {
        if (node == null || node.isNull() || node.asText().isBlank()) {
            return null;
        }
        String text = node.asText().trim();
        return text.startsWith("uuid:") ? text.substring(5) : text;
    }

    @Override
    public SourceRow next() {
        return rows.hasNext() ? rows.next() : null;
    }

    @Override
    public String name() {
        return name;
    }

    public String sourceName() {
        return source;
    }

    @Override
    public void close() {
        // everything was read up front
    }
}
