package org.fieldstream.producers.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fieldstream.producers.Layout;
import org.fieldstream.producers.RowSource;
import org.fieldstream.producers.SourceRow;
import org.fieldstream.producers.UnusableInputException;

/**
 * A CSV file of one layout, recognised from its header (or named by the caller). Rows keep only the
 * layout's columns, trimmed, blanks dropped; blank lines are skipped. A row whose field count differs
 * from the header's is passed on as malformed, so it is rejected with its line.
 *
 * <p>{@code sourceRef} is {@code <name>:<line>}, the physical line the record starts on, the header
 * being line 1; with {@code rowRefs} it is {@code <name>#<n>}, n counting data rows from 1 (HTTP bodies).
 */
public final class CsvRowSource implements RowSource {

    private final CsvReader reader;
    private final String name;
    private final Layout layout;
    private final String[] columns;
    private final boolean rowRefs;
    private long rows;

    private CsvRowSource(CsvReader reader, String name, Layout layout, String[] columns, boolean rowRefs) {
        this.reader = reader;
        this.name = name;
        this.layout = layout;
        this.columns = columns;
        this.rowRefs = rowRefs;
    }

    /** Opens a CSV stream; {@code layout} null means recognise it from the header. */
    public static CsvRowSource open(InputStream in, String name, Layout layout, boolean rowRefs)
            throws IOException, UnusableInputException {
        CsvReader reader = new CsvReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        try {
            CsvReader.CsvRecord header = reader.next();
            while (header != null && header.isBlank()) {
                header = reader.next();
            }
            if (header == null) {
                throw new UnusableInputException(name + ": empty, no header row");
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
            for (int i = 0; i < kept.length; i++) {
                String column = names.get(i);
                boolean duplicate = names.subList(0, i).contains(column);
                kept[i] = chosen.knows(column) && !duplicate ? column : null;
            }
            return new CsvRowSource(reader, name, chosen, kept, rowRefs);
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
        if (record.malformed() != null) {
            return SourceRow.malformed(layout, values, ref, record.malformed());
        }
        if (fields.size() != columns.length) {
            return SourceRow.malformed(layout, values, ref,
                    "row has " + fields.size() + " fields, the header has " + columns.length);
        }
        return SourceRow.of(layout, values, ref);
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
