package org.fieldstream.producers.odk;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.fieldstream.producers.UnusableInputException;
import org.fieldstream.producers.csv.CsvReader;
import org.fieldstream.producers.forms.JsonPaths;
import org.fieldstream.producers.forms.Submission;
import org.fieldstream.producers.json.JsonRows;

/**
 * One table of an ODK Central export, as Central writes it.
 *
 * <ul>
 * <li>OData JSON ({@code .svc/Submissions}): {@code {"@odata.context": ".../$metadata#Submissions", "value": [...]}};
 *   each submission has {@code __id} (the instance id of its first version, kept across edits),
 *   {@code __system} ({@code submissionDate}, {@code updatedAt}, {@code edits}, ...), groups as nested
 *   objects, and per repeat either a navigation link {@code "child@odata.navigationLink"} or, with
 *   {@code $expand=*}, the items inline. A repeat table ({@code #Submissions.children.child}) has
 *   one row per item with {@code __id} and {@code __Submissions-id}, its submission's {@code __id}.
 *   Field names are sanitised (characters outside {@code [A-Za-z0-9_]} become '_').</li>
 * <li>CSV (the {@code .csv.zip} export): the main table {@code <form>.csv} with {@code SubmissionDate},
 *   the fields (groups joined with '-': {@code meta-instanceID}), then {@code KEY} (like {@code __id}),
 *   {@code SubmitterID}, ..., {@code Edits}, {@code FormVersion}; one {@code <form>-<repeat>.csv} per repeat,
 *   fields relative to the repeat, then {@code PARENT_KEY} (the submission's KEY) and {@code KEY}.</li>
 * </ul>
 *
 * @param name   the file (or zip entry) name
 * @param csv    whether the rows come from CSV (flat, '-' between groups) rather than OData JSON
 * @param repeat whether this is a repeat table
 * @param table  for a repeat table, what names it: the OData table ({@code Submissions.session.members})
 *               or the CSV file name; null when unknown
 * @param rows   the rows as JSON objects (CSV cells as text)
 */
record CentralTable(String name, boolean csv, boolean repeat, String table, List<ObjectNode> rows) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PARENT_LINK = Pattern.compile("__Submissions(-.+)?-id");

    static CentralTable readJson(InputStream in, String name) throws IOException, UnusableInputException {
        JsonNode root;
        try {
            root = JSON.readTree(in);
        } catch (JsonProcessingException e) {
            throw new UnusableInputException(name + ": not a JSON export: " + JsonRows.describeInFile(e));
        }
        if (root != null && root.isObject() && root.has("results") && !root.has("value")) {
            throw new UnusableInputException(name + ": a Kobo export (\"results\"): read it with --source kobo");
        }
        JsonNode value = root != null && root.isObject() ? root.get("value") : root;
        if (value == null || !value.isArray()) {
            throw new UnusableInputException(name + ": expected ODK Central OData JSON {\"value\": [...]} (or its array)");
        }
        List<ObjectNode> rows = new ArrayList<>();
        for (JsonNode row : value) {
            if (!row.isObject()) {
                throw new UnusableInputException(name + ": a row of \"value\" is not a JSON object");
            }
            rows.add((ObjectNode) row);
        }
        String context = root.isObject() ? Submission.text(root.get("@odata.context")) : null;
        String table = context == null || !context.contains("#") ? null : context.substring(context.indexOf('#') + 1);
        boolean repeat = table != null ? table.startsWith("Submissions.")
                : rows.stream().anyMatch(r -> parentKey(r) != null || hasParentLink(r));
        return new CentralTable(name, false, repeat, repeat ? table : null, rows);
    }

    static CentralTable readCsv(InputStream in, String name) throws IOException, UnusableInputException {
        // one record per physical line, as for partner CSV files: a multi-line value is a rejected row
        CsvReader reader = new CsvReader(in, org.fieldstream.producers.csv.CsvRowSource.DEFAULT_MAX_ROW_BYTES);
        CsvReader.CsvRecord header = reader.next();
        if (header == null || header.isBlank()) {
            throw new UnusableInputException(name + ": empty, no header row");
        }
        List<String> columns = header.fields().stream().map(String::trim).toList();
        boolean repeat = columns.contains("PARENT_KEY");
        if (!columns.contains("KEY")) {
            throw new UnusableInputException(name + ": not an ODK Central CSV export (no KEY column)");
        }
        List<ObjectNode> rows = new ArrayList<>();
        for (CsvReader.CsvRecord record = reader.next(); record != null; record = reader.next()) {
            if (record.isBlank()) {
                continue;
            }
            ObjectNode row = JSON.createObjectNode();
            if (record.malformed() != null || record.fields().size() != columns.size()) {
                row.put("__malformed", record.malformed() != null ? record.malformed()
                        : "line " + record.line() + " has " + record.fields().size() + " fields, the header " + columns.size());
            }
            for (int i = 0; i < Math.min(columns.size(), record.fields().size()); i++) {
                row.put(columns.get(i), record.fields().get(i));
            }
            row.put("__line", record.line());
            rows.add(row);
        }
        return new CentralTable(name, true, repeat, repeat ? name : null, rows);
    }

    /** Whether this repeat table holds the items of the form's repeat at {@code path} (e.g. {@code session/members}). */
    boolean holds(String path) {
        if (table == null) {
            return false;
        }
        if (csv) {
            String base = baseName(table);
            String last = sanitize(path.substring(path.lastIndexOf('/') + 1));
            String plain = path.substring(path.lastIndexOf('/') + 1);
            return base.matches(".*-(" + Pattern.quote(plain) + "|" + Pattern.quote(last) + ")(~\\d+)?\\.csv");
        }
        StringBuilder wanted = new StringBuilder("Submissions");
        for (String part : path.split("/")) {
            wanted.append('.').append(sanitize(part));
        }
        return table.equals(wanted.toString());
    }

    /** The row's id: {@code __id} (OData) or {@code KEY} (CSV). */
    String id(ObjectNode row) {
        return Submission.text(row.get(csv ? "KEY" : "__id"));
    }

    /** A repeat row's submission id: {@code __Submissions-id} (OData) or {@code PARENT_KEY} (CSV); null for a nested repeat's row. */
    String parent(ObjectNode row) {
        return csv ? Submission.text(row.get("PARENT_KEY")) : parentKey(row);
    }

    /** A field of a row by form path (relative to the repeat for repeat rows). */
    JsonNode field(ObjectNode row, String path) {
        if (csv) {
            JsonNode cell = row.get(path.replace('/', '-'));
            return cell != null ? cell : row.get(path.substring(path.lastIndexOf('/') + 1));
        }
        JsonNode node = JsonPaths.lookup(row, path);
        return node != null ? node : JsonPaths.lookup(row, sanitizePath(path));
    }

    /** The OData navigation link standing for an unexpanded repeat at {@code path}, or null. */
    JsonNode navigationLink(ObjectNode row, String path) {
        String sanitized = sanitizePath(path);
        int slash = sanitized.lastIndexOf('/');
        String key = sanitized.substring(slash + 1) + "@odata.navigationLink";
        JsonNode parent = slash < 0 ? row : JsonPaths.lookup(row, sanitized.substring(0, slash));
        return parent == null ? null : parent.get(key);
    }

    private static String parentKey(JsonNode row) {
        return Submission.text(row.get("__Submissions-id"));
    }

    private static boolean hasParentLink(JsonNode row) {
        for (var it = row.fieldNames(); it.hasNext(); ) {
            if (PARENT_LINK.matcher(it.next()).matches()) {
                return true;
            }
        }
        return false;
    }

    private static String baseName(String name) {
        String n = name.replace('\\', '/');
        return n.substring(n.lastIndexOf('/') + 1);
    }

    /** Central's OData identifiers: a leading non-letter gets '_', runs outside [A-Za-z0-9_] become '_'. */
    static String sanitize(String name) {
        return name.replaceAll("^([^A-Za-z_])", "_$1").replaceAll("[^A-Za-z0-9_]+", "_");
    }

    private static String sanitizePath(String path) {
        StringBuilder out = new StringBuilder();
        for (String part : path.split("/")) {
            out.append(out.length() == 0 ? "" : "/").append(sanitize(part));
        }
        return out.toString();
    }
}
