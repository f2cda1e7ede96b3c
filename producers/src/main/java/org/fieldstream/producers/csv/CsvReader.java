package org.fieldstream.producers.csv;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

import org.fieldstream.producers.LineReader;
import org.fieldstream.producers.Utf8;

/**
 * A streaming CSV reader: comma separated, fields optionally in double quotes, a doubled quote inside
 * quotes is one quote. Every record is exactly one physical line (LF, CRLF or CR): no layout has a
 * multi-line column, so a quoted value may not span lines. That rule is what keeps a stray quote from
 * swallowing the rows after it: a quote still open at the end of its line makes that line a malformed
 * record, and reading resumes at the next line.
 *
 * <p>A line is malformed (reported through {@link CsvRecord#malformed()}, naming the field when known)
 * when it is longer than the row limit, is not valid UTF-8, leaves a quote open, has a double quote
 * inside an unquoted value, or has text after a closing quote. Spaces around a quoted value are allowed.
 * A leading UTF-8 byte order mark is skipped.
 */
public final class CsvReader implements Closeable {

    /**
     * One line's record.
     *
     * @param fields      the values as read (for a malformed line, as far as they could be told apart)
     * @param line        the physical line, from 1
     * @param malformed   why the line could not be read cleanly, or null
     * @param field       index of the field the problem is in, or -1
     * @param openQuote   index of a field whose quote was never closed (it swallowed the rest of the
     *                    line, so later fields cannot be told apart), or -1
     * @param quoted      indexes of the fields written in quotes (an unquoted field keeps the spaces
     *                    after its separator in {@code fields})
     */
    public record CsvRecord(List<String> fields, long line, String malformed, int field, int openQuote, BitSet quoted) {
        public boolean isBlank() {
            return malformed == null && fields.size() == 1 && fields.get(0).isBlank();
        }
    }

    private final LineReader lines;

    public CsvReader(InputStream in, int maxRowBytes) {
        this.lines = new LineReader(in, maxRowBytes);
    }

    /** The next record, or null at the end of the input. */
    public CsvRecord next() throws IOException {
        if (!lines.next()) {
            return null;
        }
        long line = lines.number();
        if (lines.oversize()) {
            return new CsvRecord(List.of(), line, String.format(Locale.ROOT,
                    "the line is %,d bytes, more than the row limit of %,d bytes", lines.totalBytes(), lines.maxBytes()), -1, -1,
                    new BitSet());
        }
        byte[] bytes = lines.bytes();
        int length = lines.length();
        int invalid = Utf8.invalidAt(bytes, 0, length);
        String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
        CsvRecord record = parse(text, line);
        if (invalid >= 0) {
            return new CsvRecord(record.fields(), line, "not valid UTF-8 (byte " + (invalid + 1) + " of the line)",
                    fieldAt(bytes, invalid), record.openQuote(), record.quoted());
        }
        return record;
    }

    private static CsvRecord parse(String text, long line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        String problem = null;
        int problemField = -1;
        int openQuote = -1;
        BitSet quoted = new BitSet();
        int n = text.length();
        int i = 0;
        while (true) {
            field.setLength(0);
            int k = fields.size();
            while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                field.append(text.charAt(i++));
            }
            if (i < n && text.charAt(i) == '"') {
                quoted.set(k);
                field.setLength(0);
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = text.charAt(i++);
                    if (c == '"') {
                        if (i < n && text.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            closed = true;
                            break;
                        }
                    } else {
                        field.append(c);
                    }
                }
                if (!closed) {
                    fields.add(field.toString());
                    if (problem == null) {
                        problem = "a quote opened in this field is not closed on its line (a quoted value may not span lines)";
                        problemField = k;
                    }
                    openQuote = k;
                    return new CsvRecord(fields, line, problem, problemField, openQuote, quoted);
                }
                int after = i;
                while (i < n && text.charAt(i) != ',') {
                    i++;
                }
                String rest = text.substring(after, i);
                if (!rest.isBlank()) {
                    field.append(rest);
                    if (problem == null) {
                        problem = "text after the closing quote of a quoted value";
                        problemField = k;
                    }
                }
            } else {
                while (i < n && text.charAt(i) != ',') {
                    char c = text.charAt(i++);
                    if (c == '"' && problem == null) {
                        problem = "a double quote inside an unquoted value (quote the whole value and double the quote)";
                        problemField = k;
                    }
                    field.append(c);
                }
            }
            fields.add(field.toString());
            if (i >= n) {
                return new CsvRecord(fields, line, problem, problemField, openQuote, quoted);
            }
            i++; // the comma
        }
    }

    /** Index of the field holding byte {@code offset}: commas outside quotes before it. */
    private static int fieldAt(byte[] bytes, int offset) {
        int field = 0;
        boolean quoted = false;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '"') {
                quoted = !quoted;
            } else if (bytes[i] == ',' && !quoted) {
                field++;
            }
        }
        return field;
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
