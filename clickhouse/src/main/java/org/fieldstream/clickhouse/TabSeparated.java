package org.fieldstream.clickhouse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code TabSeparatedWithNames} output, which every ClickHouse release writes the same way.
 * The sink's {@code TsvRow} writes the input side of the format.
 */
public final class TabSeparated {

    private TabSeparated() {
    }

    /** Rows as column name to value; SQL NULL ({@code \N}) becomes a null value. */
    public static List<Map<String, String>> parseWithNames(String text) {
        List<String> lines = splitLines(text);
        if (lines.isEmpty()) {
            return List.of();
        }
        List<String> names = splitFields(lines.get(0));
        List<Map<String, String>> rows = new ArrayList<>(lines.size() - 1);
        for (int i = 1; i < lines.size(); i++) {
            rows.add(parseRow(names, lines.get(i)));
        }
        return List.copyOf(rows);
    }

    /** One row (without its newline) as column name to value, in column order; SQL NULL becomes null. */
    public static Map<String, String> parseRow(List<String> names, String line) {
        List<String> values = splitFields(line);
        if (values.size() != names.size()) {
            throw new IllegalStateException("a row has " + values.size() + " fields, expected " + names.size());
        }
        Map<String, String> row = new LinkedHashMap<>();
        for (int c = 0; c < names.size(); c++) {
            row.put(names.get(c), values.get(c));
        }
        return Collections.unmodifiableMap(row);
    }

    private static List<String> splitLines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lines.add(text.substring(start, i));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            lines.add(text.substring(start));
        }
        return lines;
    }

    private static List<String> splitFields(String line) {
        List<String> fields = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= line.length(); i++) {
            if (i == line.length() || line.charAt(i) == '\t') {
                fields.add(unescape(line.substring(start, i)));
                start = i + 1;
            }
        }
        return fields;
    }

    static String unescape(String field) {
        if (field.equals("\\N")) {
            return null;
        }
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c != '\\' || i + 1 == field.length()) {
                out.append(c);
                continue;
            }
            char e = field.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case '0' -> out.append('\0');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                default -> out.append(e);
            }
        }
        return out.toString();
    }
}
