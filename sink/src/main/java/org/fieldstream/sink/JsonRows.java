package org.fieldstream.sink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Rows as JSONEachRow: one JSON object per line, UTF-8. */
final class JsonRows {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private JsonRows() {
    }

    static byte[] toBytes(List<Map<String, Object>> rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(rows.size() * 256);
        try {
            for (Map<String, Object> row : rows) {
                MAPPER.writeValue(out, row);
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON row", e);
        }
        return out.toByteArray();
    }

    static InputStream toStream(List<Map<String, Object>> rows) {
        return new ByteArrayInputStream(toBytes(rows));
    }
}
