package org.fieldstream.producers.odk;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.fieldstream.producers.RecordIds;
import org.fieldstream.producers.SourceRow;
import org.fieldstream.producers.UnusableInputException;
import org.fieldstream.producers.forms.FormExportSource;
import org.fieldstream.producers.forms.FormMapping;
import org.fieldstream.producers.forms.FormRows;
import org.fieldstream.producers.forms.MappingCheck;
import org.fieldstream.producers.forms.Revisions;
import org.fieldstream.producers.forms.Submission;

/**
 * ODK Central exports as Central writes them (see {@link CentralTable}): OData JSON with repeats
 * expanded ({@code $expand=*}) or as separate repeat tables, and the CSV export (the {@code .csv.zip}
 * itself, or its unzipped CSVs). One source per submissions table; repeat tables given in the same run
 * are joined to it on {@code __Submissions-id} / {@code PARENT_KEY}.
 *
 * <p><b>Identity and revision</b>: Central keeps a submission's {@code __id} (CSV: {@code KEY}) across
 * edits and puts the new version's id in {@code meta/instanceID}; it counts the edits in
 * {@code __system/edits} (CSV: {@code Edits}). A record is its {@code __id}; its revision is 1 + edits
 * ({@link Revisions}), so an edited submission replaces its earlier version in any export format
 * and any order, and the same version exported as OData and as CSV is the same event.
 *
 * <p>Never silent: a submission whose mapped repeat is neither expanded nor given as a table, a repeat
 * item whose submission is not in the export, an unreadable row: each is a rejection with its reason.
 */
public final class CentralExport {

    public static final String SOURCE = "odk";
    /** Rows whose paths are named for the mapping check's suggestions (a table's columns show in its first rows). */
    private static final int NAMED_ROWS = 200;

    private CentralExport() {
    }

    /** One of the files named on the command line: its name in source refs, and where it is. */
    public record Input(String name, Path file) {
    }

    /**
     * Reads the files of one run: each zip is one export; loose repeat tables belong to the one loose
     * submissions table of the run (several would leave the join ambiguous: that input is unusable).
     */
    public static List<FormExportSource> open(List<Input> inputs, FormMapping mapping) throws IOException, UnusableInputException {
        MappingCheck check = new MappingCheck(mapping);
        List<FormExportSource> sources = open(inputs, mapping, check);
        check.verify(inputs.stream().map(Input::name).collect(java.util.stream.Collectors.joining(", ")));
        return sources;
    }

    /** As {@link #open(List, FormMapping)}, noting in {@code check} what the export holds (the caller verifies it). */
    public static List<FormExportSource> open(List<Input> inputs, FormMapping mapping, MappingCheck check)
            throws IOException, UnusableInputException {
        List<FormExportSource> sources = new ArrayList<>();
        List<CentralTable> mains = new ArrayList<>();
        List<CentralTable> repeats = new ArrayList<>();
        for (Input input : inputs) {
            String lower = input.name().toLowerCase(Locale.ROOT);
            if (lower.endsWith(".zip")) {
                List<CentralTable> tables = readZip(input);
                List<CentralTable> zipMains = tables.stream().filter(t -> !t.repeat()).toList();
                if (zipMains.size() != 1) {
                    throw new UnusableInputException(input.name() + ": expected one submissions CSV in the zip, found " + zipMains.size());
                }
                sources.add(source(input.name(), zipMains.get(0), tables.stream().filter(CentralTable::repeat).toList(), mapping,
                        check));
                continue;
            }
            CentralTable table;
            try (InputStream in = Files.newInputStream(input.file())) {
                table = lower.endsWith(".csv") ? CentralTable.readCsv(in, input.name()) : CentralTable.readJson(in, input.name());
            }
            (table.repeat() ? repeats : mains).add(table);
        }
        if (!repeats.isEmpty() && mains.size() != 1) {
            throw new UnusableInputException("repeat tables " + repeats.stream().map(CentralTable::name).toList() + " given with "
                    + mains.size() + " submissions tables: give one export (its Submissions table and repeat tables) per run, "
                    + "or export with the repeats expanded ($expand=*)");
        }
        for (CentralTable main : mains) {
            sources.add(source(main.name(), main, repeats, mapping, check));
        }
        return sources;
    }

    /** The zip's CSV tables, each named {@code <zip>!<inner file>} in source refs. */
    private static List<CentralTable> readZip(Input input) throws IOException, UnusableInputException {
        List<CentralTable> tables = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(input.file()))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (!entry.isDirectory() && entry.getName().toLowerCase(Locale.ROOT).endsWith(".csv")) {
                    // the CSV reader closes what it reads: keep the zip stream open for the next entry
                    tables.add(CentralTable.readCsv(new FilterInputStream(zip) {
                        @Override
                        public void close() {
                        }
                    }, input.name() + "!" + entry.getName()));
                }
            }
        }
        return tables;
    }

    static FormExportSource source(String name, CentralTable main, List<CentralTable> repeatTables, FormMapping mapping,
                                   MappingCheck check) {
        CentralTable items = repeatTable(repeatTables, mapping);
        if (items != null) {
            check.repeatFound();
            items.rows().stream().limit(NAMED_ROWS).forEach(row -> name(check, items, row, mapping.repeat() + "/"));
        }
        Map<String, List<ObjectNode>> byParent = new LinkedHashMap<>();
        List<SourceRow> rows = new ArrayList<>();
        if (items != null) {
            for (ObjectNode row : items.rows()) {
                String parent = Submission.bareId(items.parent(row));
                if (parent == null) {
                    rows.addAll(orphan(items, row, mapping, "repeat table row without "
                            + (items.csv() ? "PARENT_KEY" : "__Submissions-id") + ": only repeats directly under the submission "
                            + "(or its groups) are read"));
                } else {
                    byParent.computeIfAbsent(parent, k -> new ArrayList<>()).add(row);
                }
            }
        }
        Set<String> seen = new HashSet<>();
        int index = 0;
        for (ObjectNode row : main.rows()) {
            index++;
            Submission submission = submission(main, row, index, items, byParent, mapping);
            check.see(submission);
            if (index <= NAMED_ROWS) {
                name(check, main, row, "");
            }
            String id = Submission.bareId(main.id(row));
            if (id != null) {
                seen.add(id);
            }
            rows.addAll(FormRows.of(mapping, submission));
        }
        byParent.forEach((parent, orphans) -> {
            if (!seen.contains(parent)) {
                for (ObjectNode row : orphans) {
                    rows.addAll(orphan(items, row, mapping,
                            "repeat item of a submission that is not in this export's submissions table"));
                }
            }
        });
        return new FormExportSource(name, SOURCE, mapping.layout(), rows);
    }

    /**
     * The table of the mapping's repeat: the tables named for it (pages of one table are joined), else the
     * only one without a name; or null.
     */
    private static CentralTable repeatTable(List<CentralTable> repeatTables, FormMapping mapping) {
        if (mapping.repeat() == null) {
            return null;
        }
        List<CentralTable> named = repeatTables.stream().filter(t -> t.holds(mapping.repeat())).toList();
        List<CentralTable> unnamed = repeatTables.stream().filter(t -> t.table() == null).toList();
        if (named.size() == 1) {
            return named.get(0);
        }
        if (named.size() > 1) {
            List<ObjectNode> rows = new ArrayList<>();
            named.forEach(t -> rows.addAll(t.rows()));
            CentralTable first = named.get(0);
            return new CentralTable(first.name(), first.csv(), true, first.table(), rows);
        }
        return unnamed.size() == 1 ? unnamed.get(0) : null;
    }

    private static Submission submission(CentralTable main, ObjectNode row, int index, CentralTable items,
                                         Map<String, List<ObjectNode>> byParent, FormMapping mapping) {
        Submission.Fields fields = path -> main.field(row, path);
        String where = main.name() + (main.csv() ? ":" + row.path("__line").asLong() : ":#" + index);
        JsonNode malformed = row.get("__malformed");
        if (malformed != null) {
            return Submission.rejected(where, null, malformed.asText());
        }
        String key = Submission.bareId(main.id(row));
        if (key == null) {
            return Submission.rejected(where, fields, "submission without " + (main.csv() ? "KEY" : "__id"));
        }
        String instance = Submission.bareId(Submission.text(main.field(row, "meta/instanceID")));
        String ref = main.name() + ":" + (instance == null ? key : instance);
        JsonNode editsNode = main.csv() ? row.get("Edits") : main.field(row, "__system/edits");
        String edits = Submission.text(editsNode);
        int revision;
        if (edits != null) {
            try {
                revision = Revisions.ofEdits(Integer.parseInt(edits));
            } catch (IllegalArgumentException e) {
                return Submission.rejected(ref, fields, "edit count " + (main.csv() ? "Edits" : "__system/edits")
                        + " is not a whole number from 0");
            }
        } else if (key.equals(instance)) {
            revision = 1;
        } else {
            return Submission.rejected(ref, fields, "no edit count (" + (main.csv() ? "Edits" : "__system/edits")
                    + ") and meta/instanceID " + (instance == null ? "absent" : "differs from " + (main.csv() ? "KEY" : "__id"))
                    + ": cannot tell which version this is; export with __system (no $select)");
        }
        String identity = RecordIds.joinKey(SOURCE, key);
        if (mapping.repeat() == null) {
            return new Submission(ref, identity, revision, fields, null, null);
        }
        List<Submission.Fields> list = new ArrayList<>();
        if (items != null) {
            for (ObjectNode item : byParent.getOrDefault(key, List.of())) {
                list.add(path -> items.field(item, path));
            }
            if (list.isEmpty() && !main.csv() && main.navigationLink(row, mapping.repeat()) != null) {
                return Submission.rejected(ref, fields, "repeat " + mapping.repeat() + " has items (a navigation link) "
                        + "but the repeat table " + items.name() + " holds none of them (a partial page?)");
            }
            return new Submission(ref, identity, revision, fields, list, null);
        }
        if (main.csv()) {
            return Submission.rejected(ref, fields, "repeat " + mapping.repeat() + " is in its own CSV (<form>-"
                    + mapping.repeat().substring(mapping.repeat().lastIndexOf('/') + 1) + ".csv), which was not given");
        }
        JsonNode inline = main.field(row, mapping.repeat());
        if (inline != null && inline.isArray()) {
            for (JsonNode item : inline) {
                list.add(path -> item.isObject() ? main.field((ObjectNode) item, path) : null);
            }
        } else if (main.navigationLink(row, mapping.repeat()) != null) {
            return Submission.rejected(ref, fields, "repeat " + mapping.repeat() + " is not expanded (a navigation link): "
                    + "export Submissions with $expand=* or give its repeat table in the same run");
        }
        return new Submission(ref, identity, revision, fields, list, null);
    }

    /** The paths a row holds, as a mapping writes them: OData's nested groups, CSV's columns with '/' for '-'. */
    private static void name(MappingCheck check, CentralTable table, ObjectNode row, String prefix) {
        if (!table.csv()) {
            check.nameJson(row, prefix);
            return;
        }
        List<String> paths = new ArrayList<>();
        row.fieldNames().forEachRemaining(column -> {
            if (!column.startsWith("__")) {
                paths.add(prefix + column.replace('-', '/'));
            }
        });
        check.name(paths);
    }

    private static List<SourceRow> orphan(CentralTable table, ObjectNode row, FormMapping mapping, String reason) {
        String id = Submission.text(table.csv() ? row.get("KEY") : row.get("__id"));
        String where = table.name() + ":" + (id != null ? id : table.csv() ? Long.toString(row.path("__line").asLong()) : "?");
        return List.of(SourceRow.malformed(mapping.layout(), Map.of(), where, reason));
    }
}
