package org.fieldstream.clickhouse;

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

    /**
     * Null values are left out: a missing field is NULL in a Nullable column on every release, and
     * rows of wide tables such as field_events are mostly nulls.
     */
    static byte[] toBytes(List<Map<String, Object>> rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(rows.size() * 256);
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(out)) {
            for (Map<String, Object> row : rows) {
                json.writeStartObject();
                for (Map.Entry<String, Object> field : row.entrySet()) {
                    if (field.getValue() != null) {
                        json.writeFieldName(field.getKey());
                        writeValue(json, field.getValue());
                    }
                }
                json.writeEndObject();
                json.writeRaw('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON row", e);
        }
        return out.toByteArray();
    }

    private static void writeValue(JsonGenerator json, Object value) throws IOException {
        if (value instanceof String s) {
            json.writeString(s);
        } else if (value instanceof Integer i) {
            json.writeNumber(i);
        } else if (value instanceof Long l) {
            json.writeNumber(l);
        } else if (value instanceof Double d) {
            json.writeNumber(d);
        } else {
            MAPPER.writeValue(json, value);
        }
    }

    static InputStream toStream(List<Map<String, Object>> rows) {
        return new ByteArrayInputStream(toBytes(rows));
    }
}
