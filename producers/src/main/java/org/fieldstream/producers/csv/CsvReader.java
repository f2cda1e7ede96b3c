package org.fieldstream.producers.csv;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming RFC 4180 reader: comma separated, fields optionally in double quotes, a doubled quote
 * inside quotes is one quote, quoted fields may span lines, records end with CRLF, LF or CR.
 * A leading UTF-8 byte order mark is skipped. Each record remembers the physical line it starts on,
 * so rejections can name {@code file:line}.
 *
 * <p>Lenient where partners' tools are sloppy: a quote inside an unquoted field is kept as text, and
 * text after a closing quote is appended to the field. An unterminated quote at the end of the input
 * is reported through {@link CsvRecord#malformed()} instead of silently swallowing the rest.
 */
public final class CsvReader implements Closeable {

    /** One record: its fields, the line it starts on, and a reason if it could not be read cleanly. */
    public record CsvRecord(List<String> fields, long line, String malformed) {
        public boolean isBlank() {
            return fields.size() == 1 && fields.get(0).isEmpty();
        }
    }

    private static final int EOF = -1;

    private final Reader in;
    private final char[] buffer = new char[64 * 1024];
    private int position;
    private int limit;
    private long line = 1;
    private boolean started;

    public CsvReader(Reader in) {
        this.in = in;
    }

    /** The next record, or null at the end of the input. */
    public CsvRecord next() throws IOException {
        if (!started) {
            started = true;
            if (peek() == '\uFEFF') {
                read();
            }
        }
        if (peek() == EOF) {
            return null;
        }
        long startLine = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldStart = true;
        while (true) {
            int c = read();
            if (quoted) {
                if (c == EOF) {
                    fields.add(field.toString());
                    return new CsvRecord(fields, startLine, "unterminated quoted field");
                }
                if (c == '"') {
                    if (peek() == '"') {
                        read();
                        field.append('"');
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append((char) c);
                }
                continue;
            }
            if (c == EOF || c == '\n' || c == '\r') {
                if (c == '\r' && peek() == '\n') {
                    read();
                }
                fields.add(field.toString());
                return new CsvRecord(fields, startLine, null);
            }
            if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                fieldStart = true;
                continue;
            }
            if (c == '"' && fieldStart) {
                quoted = true;
                fieldStart = false;
                continue;
            }
            fieldStart = false;
            field.append((char) c);
        }
    }

    private int peek() throws IOException {
        if (position == limit && !fill()) {
            return EOF;
        }
        return buffer[position];
    }

    /** Reads one char and counts lines: CRLF counts once, a lone CR or LF once. */
    private int read() throws IOException {
        if (position == limit && !fill()) {
            return EOF;
        }
        char c = buffer[position++];
        if (c == '\n') {
            line++;
        } else if (c == '\r' && peek() != '\n') {
            line++;
        }
        return c;
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
