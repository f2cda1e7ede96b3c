package org.fieldstream.producers.kobo;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.fieldstream.producers.RecordIds;
import org.fieldstream.producers.SourceRow;
import org.fieldstream.producers.UnusableInputException;
import org.fieldstream.producers.forms.FormDates;
import org.fieldstream.producers.forms.FormExportSource;
import org.fieldstream.producers.forms.FormMapping;
import org.fieldstream.producers.forms.FormRows;
import org.fieldstream.producers.forms.JsonPaths;
import org.fieldstream.producers.forms.MappingCheck;
import org.fieldstream.producers.forms.Revisions;
import org.fieldstream.producers.forms.Submission;
import org.fieldstream.producers.json.JsonRows;

/**
 * Rows of a KoboToolbox JSON submission export ({@code /api/v2/assets/<uid>/data/}: {@code {"results": [...]}},
 * or a bare array), mapped to a layout by a {@link FormMapping}. Fields are named by full group path
 * ({@code "session/cohort_id"}); a repeat is a list of objects keyed the same way; extra keys
 * ({@code _attachments}, {@code _geolocation}, {@code __version__}, ...) are ignored.
 *
 * <p><b>Identity</b>: Kobo edits a submission in place: its {@code _id} (the record number) stays, its
 * instance id changes, {@code meta/deprecatedID} names the version it replaced and, on current servers,
 * {@code meta/rootUuid} the first one. A record is its {@code _id}; without one (not in server exports,
 * but in hand-made files) its root uuid: {@code meta/rootUuid}, the instance id of an original, or the
 * original reached through deprecatedID links in the same file. An edit whose original cannot be told is
 * rejected rather than counted as a new record.
 *
 * <p><b>Revision</b>: see {@link Revisions}: 1 for an original, the edit time in seconds since 2000 for
 * an edit, taken from the mapping's {@code edited_at} field ({@code end} by default). An edit without
 * a readable edit time is rejected with the reason.
 */
public final class KoboExportSource {

    public static final String SOURCE = "kobo";

    private static final ObjectMapper JSON = new ObjectMapper();

    private KoboExportSource() {
    }

    /** Reads one export and {@linkplain MappingCheck checks the mapping} against it alone. */
    public static FormExportSource read(InputStream in, String name, FormMapping mapping)
            throws IOException, UnusableInputException {
        MappingCheck check = new MappingCheck(mapping);
        FormExportSource source = read(in, name, mapping, check);
        check.verify(name);
        return source;
    }

    /** Reads one export of a run, noting in {@code check} what it holds (the run verifies it once every file is read). */
    public static FormExportSource read(InputStream in, String name, FormMapping mapping, MappingCheck check)
            throws IOException, UnusableInputException {
        JsonNode root;
        try {
            root = JSON.readTree(in);
        } catch (JsonProcessingException e) {
            throw new UnusableInputException(name + ": not a JSON export: " + JsonRows.describeInFile(e));
        }
        if (root != null && root.isObject() && root.has("value") && !root.has("results")) {
            throw new UnusableInputException(name + ": an OData export (\"value\"): read ODK Central exports with --source odk");
        }
        JsonNode submissions = root != null && root.isObject() ? root.get("results") : root;
        if (submissions == null || !submissions.isArray()) {
            throw new UnusableInputException(name + ": expected a JSON array of submissions or {\"results\": [...]}");
        }
        Links links = Links.of(submissions);
        List<SourceRow> rows = new ArrayList<>();
        int index = 0;
        for (JsonNode s : submissions) {
            index++;
            Submission submission = submission(s, index, name, mapping, links);
            check.see(submission);
            check.nameJson(s, "");
            rows.addAll(FormRows.of(mapping, submission));
        }
        return new FormExportSource(name, SOURCE, mapping.layout(), rows);
    }

    /** The export's instance ids and its deprecatedID links (instance to the instance it replaced). */
    private record Links(Set<String> present, Map<String, String> replaces) {
        static Links of(JsonNode submissions) {
            Set<String> present = new HashSet<>();
            Map<String, String> replaces = new HashMap<>();
            for (JsonNode s : submissions) {
                String id = instanceId(s);
                String deprecated = Submission.bareId(Submission.text(JsonPaths.lookup(s, "meta/deprecatedID")));
                if (id != null) {
                    present.add(id);
                    if (deprecated != null && !deprecated.equals(id)) {
                        replaces.put(id, deprecated);
                    }
                }
            }
            return new Links(present, replaces);
        }

        /** The original an edit goes back to within this export, or null when the chain leaves the export. */
        String original(String id) {
            String root = id;
            Set<String> seen = new HashSet<>();
            while (replaces.containsKey(root) && seen.add(root)) {
                root = replaces.get(root);
            }
            return !root.equals(id) && present.contains(root) && !replaces.containsKey(root) ? root : null;
        }
    }

    static Submission submission(JsonNode s, int index, String name, FormMapping mapping, Links links) {
        Submission.Fields fields = path -> JsonPaths.lookup(s, path);
        if (!s.isObject()) {
            return Submission.rejected(name + ":#" + index, null, "submission #" + index + " is not a JSON object");
        }
        String id = instanceId(s);
        if (id == null) {
            return Submission.rejected(name + ":#" + index, fields, "submission has neither meta/instanceID nor _uuid");
        }
        String ref = name + ":" + id;
        String deprecated = Submission.bareId(Submission.text(JsonPaths.lookup(s, "meta/deprecatedID")));
        String rootUuid = Submission.bareId(Submission.text(JsonPaths.lookup(s, "meta/rootUuid")));
        String identity = identity(s, id, deprecated, rootUuid, links);
        if (identity == null) {
            return Submission.rejected(ref, fields, "edited submission (meta/deprecatedID) without _id or meta/rootUuid, "
                    + "and the submission it edits is not in this export: cannot tell which record it edits");
        }
        boolean edited = deprecated != null || (rootUuid != null && !rootUuid.equals(id));
        int revision = 1;
        if (edited) {
            revision = editRevision(s, mapping);
            if (revision < 0) {
                return Submission.rejected(ref, fields, "edited submission without an edit time in "
                        + String.join(" or ", mapping.editedAt()) + " (an ISO timestamp after 2000): cannot order it among "
                        + "the record's edits; keep Kobo's end question in the form or name the field in edited_at");
            }
        }
        List<Submission.Fields> items = null;
        if (mapping.repeat() != null) {
            JsonNode list = JsonPaths.lookup(s, mapping.repeat());
            if (list != null && !list.isNull() && !list.isArray()) {
                return Submission.rejected(ref, fields, "repeat " + mapping.repeat() + " is not a list of items");
            }
            items = new ArrayList<>();
            if (list != null) {
                for (JsonNode item : list) {
                    String prefix = mapping.repeat() + "/";
                    items.add(path -> item.has(prefix + path) ? item.get(prefix + path) : JsonPaths.lookup(item, path));
                }
            }
        }
        return new Submission(ref, identity, revision, fields, items, null);
    }

    private static String identity(JsonNode s, String id, String deprecated, String rootUuid, Links links) {
        String recordNumber = Submission.text(s.get("_id"));
        if (recordNumber != null) {
            return RecordIds.joinKey(SOURCE, "_id", recordNumber);
        }
        if (rootUuid != null) {
            return RecordIds.joinKey(SOURCE, rootUuid);
        }
        if (deprecated == null) {
            return RecordIds.joinKey(SOURCE, id);
        }
        String original = links.original(id);
        return original == null ? null : RecordIds.joinKey(SOURCE, original);
    }

    private static int editRevision(JsonNode s, FormMapping mapping) {
        for (String path : mapping.editedAt()) {
            String text = Submission.text(JsonPaths.lookup(s, path));
            if (text != null) {
                Instant at = FormDates.instant(text);
                return at == null ? -1 : Revisions.ofEditTime(at);
            }
        }
        return -1;
    }

    private static String instanceId(JsonNode s) {
        String id = Submission.bareId(Submission.text(JsonPaths.lookup(s, "meta/instanceID")));
        return id != null ? id : Submission.bareId(Submission.text(s.get("_uuid")));
    }
}
