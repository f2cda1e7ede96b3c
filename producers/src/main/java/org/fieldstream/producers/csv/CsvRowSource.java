package org.fieldstream.producers.csv;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fieldstream.producers.Layout;
import org.fieldstream.producers.RowSource;
import org.fieldstream.producers.SourceRow;
import org.fieldstream.producers.UnusableInputException;

/**
 * A CSV file of one layout, recognised from its header (or named by the caller). Rows keep only the
 * layout's columns, trimmed, blanks dropped; blank lines are skipped. A row whose field count differs
 * from the header's, or that {@link CsvReader} found malformed, is passed on as malformed, so it is
 * rejected with its line.
 *
 * <p>Personal values: in a clean row, the values under {@code person_key}, {@code name}, {@code phone}
 * and {@code national_id}. In a row whose fields do not line up with the header (a name with an
 * unquoted comma, a lost separator, a quote left open), a value may have come from any header position
 * within the misalignment, so every value that may have come from a personal or an unknown column is
 * marked personal too; the rejection then hides it wherever it landed. A row that lines up may still
 * hold a {@code Last, First} name written without quotes when another column is missing: a field that
 * starts with a space right after a personal value that does not is taken as the rest of that value,
 * marked personal, and a free-text column holding it is rejected (see {@link #SPLIT_NAME}).
 *
 * <p>{@code sourceRef} is {@code <name>:<line>}, the physical line of the row, the header being line 1;
 * with {@code rowRefs} it is {@code <name>#<n>}, n counting data rows from 1 (HTTP bodies).
 */
public final class CsvRowSource implements RowSource {

    /** Why a free-text value right after a personal value split by an unquoted comma is refused. */
    public static final String SPLIT_NAME = "may be the rest of the previous column split by an unquoted comma; "
            + "quote values that contain commas";

    /** The row limit when none is given: the default of {@code row.max.bytes}. */
    public static final int DEFAULT_MAX_ROW_BYTES = 64 * 1024;

    private final CsvReader reader;
    private final String name;
    private final Layout layout;
    private final String[] columns;
    private final boolean[] personalAt;
    private final boolean[] sensitive;
    private final boolean rowRefs;
    private long rows;

    private CsvRowSource(CsvReader reader, String name, Layout layout, String[] columns, boolean[] personalAt,
                         boolean[] sensitive, boolean rowRefs) {
        this.reader = reader;
        this.name = name;
        this.layout = layout;
        this.columns = columns;
        this.personalAt = personalAt;
        this.sensitive = sensitive;
        this.rowRefs = rowRefs;
    }

    public static CsvRowSource open(InputStream in, String name, Layout layout, boolean rowRefs)
            throws IOException, UnusableInputException {
        return open(in, name, layout, rowRefs, DEFAULT_MAX_ROW_BYTES);
    }

    /** Opens a CSV stream; {@code layout} null means recognise it from the header. */
    public static CsvRowSource open(InputStream in, String name, Layout layout, boolean rowRefs, int maxRowBytes)
            throws IOException, UnusableInputException {
        CsvReader reader = new CsvReader(in, maxRowBytes);
        try {
            CsvReader.CsvRecord header = reader.next();
            while (header != null && header.isBlank()) {
                header = reader.next();
            }
            if (header == null) {
                throw new UnusableInputException(name + ": empty, no header row");
            }
            if (header.malformed() != null) {
                throw new UnusableInputException(name + ": the header row (line " + header.line() + ") cannot be read: "
                        + header.malformed());
            }
            List<String> names = header.fields().stream().map(Layout::normalise).toList();
            Layout chosen = layout;
            if (chosen == null) {
                Layout.Detection detection = Layout.detect(names);
                if (!detection.found()) {
                    throw new UnusableInputException(name + ": " + detection.problem());
                }
                chosen = detection.layout();
            } else if (!names.containsAll(chosen.required())) {
                throw new UnusableInputException(name + ": header lacks required columns of " + chosen.id()
                        + ": " + chosen.required().stream().filter(c -> !names.contains(c)).toList());
            }
            String[] kept = new String[names.size()];
            boolean[] personalAt = new boolean[names.size()];
            boolean[] sensitive = new boolean[names.size()];
            for (int i = 0; i < kept.length; i++) {
                String column = names.get(i);
                boolean duplicate = names.subList(0, i).contains(column);
                kept[i] = chosen.knows(column) && !duplicate ? column : null;
                // unknown columns count as sensitive: whatever a partner keeps there never leaves the ingest
                personalAt[i] = Layout.PERSONAL.contains(column);
                sensitive[i] = kept[i] == null || personalAt[i];
            }
            return new CsvRowSource(reader, name, chosen, kept, personalAt, sensitive, rowRefs);
        } catch (IOException | UnusableInputException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    public Layout layout() {
        return layout;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SourceRow next() throws IOException {
        CsvReader.CsvRecord record = reader.next();
        while (record != null && record.isBlank()) {
            record = reader.next();
        }
        if (record == null) {
            return null;
        }
        rows++;
        String ref = rowRefs ? name + "#" + rows : name + ":" + record.line();
        Map<String, String> values = new LinkedHashMap<>();
        List<String> fields = record.fields();
        int n = Math.min(fields.size(), columns.length);
        for (int i = 0; i < n; i++) {
            String column = columns[i];
            if (column != null) {
                String value = fields.get(i).trim();
                if (!value.isEmpty()) {
                    values.put(column, value);
                }
            }
        }
        Set<String> personal = personalValues(record);
        if (record.malformed() != null) {
            String field = record.field() >= 0 && record.field() < columns.length ? columns[record.field()] : null;
            return SourceRow.malformed(layout, values, ref, record.malformed(), field, personal);
        }
        if (fields.size() != columns.length) {
            return SourceRow.malformed(layout, values, ref,
                    "row has " + fields.size() + " fields, the header has " + columns.length, null, personal);
        }
        int split = splitName(record);
        if (split >= 0) {
            Set<String> withRest = new HashSet<>(personal);
            withRest.add(fields.get(split).trim());
            String column = columns[split];
            if (column != null && Layout.FREE_TEXT.contains(column)) {
                return SourceRow.malformed(layout, values, ref, SPLIT_NAME, column, withRest);
            }
            personal = withRest;
        }
        return SourceRow.of(layout, values, ref, personal);
    }

    /**
     * The first field that may be the rest of a personal value split by an unquoted comma
     * ({@code ...,Begum, Rokeya,...}): unquoted, starting with a space or tab, right after an unquoted
     * non-blank field under a personal column that itself starts straight after its separator (a row
     * written {@code a, b, c} throughout is not suspect). Or -1.
     */
    private int splitName(CsvReader.CsvRecord record) {
        List<String> fields = record.fields();
        for (int i = 1; i < fields.size() && i < personalAt.length; i++) {
            String before = fields.get(i - 1);
            String field = fields.get(i);
            boolean personalBefore = personalAt[i - 1] && !before.isBlank() && !startsBlank(before)
                    && !record.quoted().get(i - 1);
            if (personalBefore && !record.quoted().get(i) && startsBlank(field) && !field.isBlank()) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsBlank(String field) {
        return !field.isEmpty() && (field.charAt(0) == ' ' || field.charAt(0) == '\t');
    }

    /**
     * Values that are, or may be, personal. In an aligned row, those of the personal columns. With d fields too many, field i may come from header
     * positions i-d..i; with d too few, from i..i+d; after a quote left open, from any later position.
     */
    private Set<String> personalValues(CsvReader.CsvRecord record) {
        List<String> fields = record.fields();
        int h = columns.length;
        int extra = Math.max(0, fields.size() - h);
        int missing = Math.max(0, h - fields.size());
        Set<String> personal = null;
        for (int i = 0; i < fields.size(); i++) {
            int from = Math.max(0, i - extra);
            int to = record.openQuote() >= 0 && i >= record.openQuote() ? h - 1 : Math.min(h - 1, i + missing);
            boolean aligned = extra == 0 && missing == 0 && record.openQuote() < 0;
            boolean mayBePersonal = aligned && personalAt[i];
            for (int p = from; p <= to && !aligned && !mayBePersonal; p++) {
                mayBePersonal = sensitive[p];
            }
            String value = fields.get(i).trim();
            if (mayBePersonal && !value.isEmpty()) {
                if (personal == null) {
                    personal = new HashSet<>();
                }
                personal.add(value);
            }
        }
        return personal == null ? Set.of() : personal;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
