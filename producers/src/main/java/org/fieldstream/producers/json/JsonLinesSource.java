package org.fieldstream.producers.json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.fieldstream.producers.Layout;
import org.fieldstream.producers.RowSource;
import org.fieldstream.producers.SourceRow;

/**
 * JSON Lines: one object per line with a {@code layout} field; blank lines skipped; a line that is not
 * JSON becomes a malformed row (rejected with its line), never the end of the file. A leading BOM is
 * skipped. {@code sourceRef} is {@code <name>:<line>}, or {@code <name>#<n>} with {@code rowRefs}.
 */
public final class JsonLinesSource implements RowSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BufferedReader reader;
    private final String name;
    private final Layout defaultLayout;
    private final boolean rowRefs;
    private final boolean strict;
    private long line;
    private long rows;

    public JsonLinesSource(InputStream in, String name, Layout defaultLayout, boolean rowRefs) {
        this(in, name, defaultLayout, rowRefs, false);
    }

    /** {@code strict}: a line that is not JSON ends the read with a JsonProcessingException (a malformed body). */
    public JsonLinesSource(InputStream in, String name, Layout defaultLayout, boolean rowRefs, boolean strict) {
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 64 * 1024);
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
        String text;
        do {
            text = reader.readLine();
            if (text == null) {
                return null;
            }
            line++;
            if (line == 1 && text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
        } while (text.isBlank());
        rows++;
        String ref = rowRefs ? name + "#" + rows : name + ":" + line;
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            if (strict) {
                throw e;
            }
            return SourceRow.malformed(null, Map.of(), ref, "not valid JSON: " + e.getOriginalMessage());
        }
        return JsonRows.toRow(node, defaultLayout, ref);
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
