package org.fieldstream.producers.json;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;

import org.fieldstream.producers.Layout;
import org.fieldstream.producers.LineReader;
import org.fieldstream.producers.RowSource;
import org.fieldstream.producers.SourceRow;
import org.fieldstream.producers.csv.CsvRowSource;

/**
 * JSON Lines: one object per line with a {@code layout} field; blank lines skipped; a line that is not
 * JSON, not valid UTF-8 or longer than the row limit becomes a malformed row (rejected with its line),
 * never the end of the file. A leading BOM is skipped. {@code sourceRef} is {@code <name>:<line>}, or
 * {@code <name>#<n>} with {@code rowRefs}.
 */
public final class JsonLinesSource implements RowSource {

    /** A body that is not JSON Lines at all (strict mode): the request is refused as a whole. */
    public static final class MalformedBody extends IOException {
        private static final long serialVersionUID = 1L;

        public MalformedBody(String message) {
            super(message);
        }
    }

    private final LineReader lines;
    private final String name;
    private final Layout defaultLayout;
    private final boolean rowRefs;
    private final boolean strict;
    private long rows;

    public JsonLinesSource(InputStream in, String name, Layout defaultLayout, boolean rowRefs) {
        this(in, name, defaultLayout, rowRefs, false, CsvRowSource.DEFAULT_MAX_ROW_BYTES);
    }

    public JsonLinesSource(InputStream in, String name, Layout defaultLayout, boolean rowRefs, boolean strict) {
        this(in, name, defaultLayout, rowRefs, strict, CsvRowSource.DEFAULT_MAX_ROW_BYTES);
    }

    /** {@code strict}: a line that is not JSON ends the read with {@link MalformedBody} (a malformed body). */
    public JsonLinesSource(InputStream in, String name, Layout defaultLayout, boolean rowRefs, boolean strict,
                           int maxRowBytes) {
        this.lines = new LineReader(in, maxRowBytes);
        this.name = name;
        this.defaultLayout = defaultLayout;
        this.rowRefs = rowRefs;
        this.strict = strict;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SourceRow next() throws IOException {
        do {
            if (!lines.next()) {
                return null;
            }
        } while (lines.isBlank());
        rows++;
        String ref = rowRefs ? name + "#" + rows : name + ":" + lines.number();
        if (lines.oversize()) {
            return SourceRow.malformed(null, Map.of(), ref, String.format(Locale.ROOT,
                    "the line is %,d bytes, more than the row limit of %,d bytes", lines.totalBytes(), lines.maxBytes()));
        }
        SourceRow row = JsonRows.parse(lines.bytes(), lines.length(), defaultLayout, ref);
        if (strict && row.layout() == null && row.malformed() != null && row.malformed().startsWith("not valid JSON")) {
            throw new MalformedBody("line " + lines.number() + " is " + row.malformed());
        }
        return row;
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
