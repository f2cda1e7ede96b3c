package org.fieldstream.producers.json;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import org.fieldstream.producers.ByteChunks;
import org.fieldstream.producers.Layout;
import org.fieldstream.producers.RowSource;
import org.fieldstream.producers.SourceRow;
import org.fieldstream.producers.UnusableInputException;

/**
 * A JSON array of row objects, split into elements on the bytes (brackets and strings tracked, nothing
 * decoded) before any element is parsed: so an element longer than the row limit is skipped as one
 * rejected row without being held, and a broken element is one rejected row. Refs are {@code <name>#<n>}.
 * An array that is not closed, or content after it, is a malformed body ({@link JsonLinesSource.MalformedBody}).
 */
public final class JsonArraySource implements RowSource {

    private final ByteChunks in;
    private final String name;
    private final Layout defaultLayout;
    private final int maxRowBytes;
    private boolean ended;
    private byte[] element = new byte[256];
    private long rows;

    private JsonArraySource(InputStream in, String name, Layout defaultLayout, int maxRowBytes) {
        this.in = new ByteChunks(in);
        this.name = name;
        this.defaultLayout = defaultLayout;
        this.maxRowBytes = maxRowBytes;
    }

    public static JsonArraySource open(InputStream in, String name, Layout defaultLayout, int maxRowBytes)
            throws IOException, UnusableInputException {
        JsonArraySource source = new JsonArraySource(in, name, defaultLayout, maxRowBytes);
        int first = source.skipBlanks();
        if (first == 0xEF) { // a byte order mark
            source.in.read();
            if (source.in.read() != 0xBB || source.in.read() != 0xBF) {
                throw new UnusableInputException(name + ": expected a JSON array of objects");
            }
            first = source.skipBlanks();
        }
        if (first != '[') {
            in.close();
            throw new UnusableInputException(name + ": expected a JSON array of objects");
        }
        source.in.read();
        if (source.skipBlanks() == ']') {
            source.in.read();
            source.end();
        }
        return source;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SourceRow next() throws IOException {
        if (ended) {
            return null;
        }
        int length = 0;
        long total = 0;
        int depth = 0;
        boolean inString = false;
        boolean escape = false;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new JsonLinesSource.MalformedBody("the JSON array is not closed");
            }
            if (inString) {
                if (escape) {
                    escape = false;
                } else if (b == '\\') {
                    escape = true;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                depth++;
            } else if ((b == '}' || b == ']') && depth > 0) {
                depth--;
            } else if (depth == 0 && (b == ',' || b == ']')) {
                if (b == ']') {
                    end();
                }
                break;
            }
            total++;
            if (total <= maxRowBytes) {
                if (length == element.length) {
                    element = Arrays.copyOf(element, Math.min(maxRowBytes, element.length * 2));
                }
                element[length++] = (byte) b;
            }
        }
        rows++;
        String ref = name + "#" + rows;
        if (total > maxRowBytes) {
            return SourceRow.malformed(null, Map.of(), ref, String.format(Locale.ROOT,
                    "the element is %,d bytes, more than the row limit of %,d bytes", total, maxRowBytes));
        }
        if (isBlank(element, length)) {
            return SourceRow.malformed(null, Map.of(), ref, "an empty array element");
        }
        return JsonRows.parse(element, length, defaultLayout, ref);
    }

    /** After the closing bracket only whitespace may follow. */
    private void end() throws IOException {
        ended = true;
        if (skipBlanks() >= 0) {
            throw new JsonLinesSource.MalformedBody("content after the end of the JSON array");
        }
    }

    private static boolean isBlank(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (!isBlank(bytes[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBlank(int b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    /** Skips whitespace; returns the next byte without consuming it, or -1 at the end. */
    private int skipBlanks() throws IOException {
        int b;
        while ((b = in.peek()) >= 0 && isBlank(b)) {
            in.read();
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
