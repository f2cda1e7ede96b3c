package org.fieldstream.reference;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

/**
 * RFC 4180 CSV reading through Jackson's CSV parser (quoted commas, doubled quotes and quoted line
 * breaks included), each record with the physical line it starts on: the reference files, and the
 * generator's tests reading back the partner files it wrote.
 */
public final class Csv {

    private static final CsvMapper MAPPER = CsvMapper.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();

    /** One record: the physical line it starts on and its cells as written ("" for an empty cell). */
    public record Row(long line, List<String> cells) {
    }

    /** A file's header and records. */
    public record Table(List<String> header, List<Row> rows) {
        /** A row as column to value, an empty cell as null; cells past the header are ignored. */
        public Map<String, String> map(Row row) {
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                String cell = i < row.cells().size() ? row.cells().get(i) : "";
                values.put(header.get(i), cell.isEmpty() ? null : cell);
            }
            return values;
        }
    }

    private Csv() {
    }

    /** Reads a CSV with a header row (a UTF-8 byte order mark is allowed); an empty input has no header and no rows. */
    public static Table read(InputStream in) {
        try (JsonParser parser = MAPPER.getFactory().createParser(in)) {
            List<Row> records = new ArrayList<>();
            JsonToken token = parser.nextToken();
            if (token == JsonToken.START_ARRAY) {
                token = parser.nextToken(); // WRAP_AS_ARRAY: one outer array of records
            }
            while (token == JsonToken.START_ARRAY) {
                long line = -1;
                List<String> cells = new ArrayList<>();
                while (parser.nextToken() == JsonToken.VALUE_STRING) {
                    if (line < 0) {
                        line = parser.currentTokenLocation().getLineNr(); // a record's own start: its first cell's line
                    }
                    cells.add(parser.getText());
                }
                records.add(new Row(line, cells));
                token = parser.nextToken();
            }
            if (records.isEmpty()) {
                return new Table(List.of(), List.of());
            }
            List<String> header = records.get(0).cells().stream().map(h -> stripBom(h).trim()).toList();
            return new Table(header, List.copyOf(records.subList(1, records.size())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String stripBom(String text) {
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}
