package org.fieldstream.seeds;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The partner files of a generated scenario, written as rows arrive (streaming: only the open
 * writers are held). One file per partner x month x layout, {@code <partner>/<yyyy-MM>/<layout>.csv}
 * (or .jsonl), plus {@code <layout>_corrections.*} files carrying revision and retracted columns.
 * Each partner has a {@link Style}: column order, extra ignored columns, BOM, CRLF, or JSON Lines,
 * as real exports differ. Keeps line numbers for the rejected-row list: CSV line 1 is the header.
 */
final class PartnerFiles implements AutoCloseable {

    /** How one partner's exports look. */
    record Style(boolean jsonLines, boolean bom, boolean crlf, boolean reversedColumns, List<String> extraColumns) {
        static Style plain() {
            return new Style(false, false, false, false, List.of());
        }
    }

    record Rejected(String file, long line, String field, String reason) {
    }

    static final List<String> LAYOUT_ORDER = List.of("cohorts", "enrolments", "sessions", "attendance", "exits",
            "dialogues", "dialogue_attendance");

    private static final Map<String, List<String>> COLUMNS = Map.of(
            "cohorts", List.of("cohort_id", "topic", "planned_sessions", "start_date", "end_date", "target_group", "org_unit_id"),
            "enrolments", List.of("cohort_id", "person_key", "name", "phone", "national_id", "sex", "birth_year", "age", "enrolled_on"),
            "sessions", List.of("cohort_id", "session_number", "held_on"),
            "attendance", List.of("cohort_id", "session_number", "person_key", "status"),
            "exits", List.of("cohort_id", "person_key", "reason", "exited_on"),
            "dialogues", List.of("dialogue_id", "kind", "topic", "held_on", "org_unit_id"),
            "dialogue_attendance", List.of("dialogue_id", "attendee_no", "person_key", "name", "phone", "role", "sex", "age"));

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final Map<String, Style> styles;
    private final Map<String, OpenFile> open = new TreeMap<>();
    private final List<Rejected> rejected = new ArrayList<>();
    private long rows;

    PartnerFiles(Path root, Map<String, Style> styles) {
        this.root = root;
        this.styles = styles;
    }

    /** A valid row of a regular file; returns the file's relative path. */
    String write(String partner, YearMonth month, String layout, Map<String, String> values) {
        OpenFile f = file(partner, month, layout, false);
        f.append(values);
        return f.relative;
    }

    /** A row of the month's corrections file for the layout; returns the file's relative path. */
    String writeCorrection(String partner, YearMonth month, String layout, Map<String, String> values, int revision, boolean retracted) {
        Map<String, String> row = new LinkedHashMap<>(values);
        row.put("revision", Integer.toString(revision));
        row.put("retracted", retracted ? "1" : "0");
        OpenFile f = file(partner, month, layout, true);
        f.append(row);
        return f.relative;
    }

    /** A planted malformed row of a regular file, listed with its field and reason. */
    void writeMalformed(String partner, YearMonth month, String layout, Map<String, String> values, String field, String reason) {
        OpenFile f = file(partner, month, layout, false);
        long line = f.append(values);
        rejected.add(new Rejected(f.relative, line, field, reason));
    }

    /** Relative paths of every file written, in a stable order (partner, month, layout, corrections last). */
    List<String> files() {
        return new ArrayList<>(open.keySet()).stream().map(k -> open.get(k).relative).toList();
    }

    /** Relative path of a file if it was written. */
    String fileIfWritten(String partner, YearMonth month, String layout, boolean corrections) {
        OpenFile f = open.get(sortKey(partner, month, layout, corrections));
        return f == null ? null : f.relative;
    }

    List<Rejected> rejected() {
        return List.copyOf(rejected);
    }

    long rows() {
        return rows;
    }

    @Override
    public void close() {
        try {
            for (OpenFile f : open.values()) {
                f.writer.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sortKey(String partner, YearMonth month, String layout, boolean corrections) {
        return month + "|" + partner + "|" + (corrections ? 1 : 0) + "|" + LAYOUT_ORDER.indexOf(layout);
    }

    private OpenFile file(String partner, YearMonth month, String layout, boolean corrections) {
        String key = sortKey(partner, month, layout, corrections);
        OpenFile f = open.get(key);
        if (f == null) {
            Style style = styles.getOrDefault(partner, Style.plain());
            String name = layout + (corrections ? "_corrections" : "") + (style.jsonLines() ? ".jsonl" : ".csv");
            f = new OpenFile(partner + "/" + month + "/" + name, layout, style, corrections);
            open.put(key, f);
        }
        return f;
    }

    private final class OpenFile {
        final String relative;
        final String layout;
        final Style style;
        final List<String> columns;
        final BufferedWriter writer;
        long lines;

        OpenFile(String relative, String layout, Style style, boolean corrections) {
            this.relative = relative;
            this.layout = layout;
            this.style = style;
            List<String> cols = new ArrayList<>(COLUMNS.get(layout));
            if (style.reversedColumns()) {
                java.util.Collections.reverse(cols);
            }
            cols.addAll(style.extraColumns());
            if (corrections) {
                cols.add("revision");
                cols.add("retracted");
            }
            this.columns = List.copyOf(cols);
            try {
                Path path = root.resolve(relative);
                Files.createDirectories(path.getParent());
                writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
                if (style.bom()) {
                    writer.write('\uFEFF');
                }
                if (!style.jsonLines()) {
                    line(CsvLine.format(columns));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Appends a row; returns its 1-based line number. */
        long append(Map<String, String> values) {
            for (String column : values.keySet()) {
                if (!columns.contains(column)) {
                    throw new IllegalArgumentException("column " + column + " not in layout " + layout);
                }
            }
            rows++;
            if (style.jsonLines()) {
                ObjectNode node = JSON.createObjectNode();
                node.put("layout", layout);
                for (String column : columns) {
                    String v = values.get(column);
                    if (v != null) {
                        node.put(column, v);
                    }
                }
                try {
                    return line(JSON.writeValueAsString(node));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
            List<String> cells = new ArrayList<>(columns.size());
            for (String column : columns) {
                cells.add(values.get(column));
            }
            return line(CsvLine.format(cells));
        }

        private long line(String text) {
            try {
                writer.write(text);
                writer.write(style.crlf() ? "\r\n" : "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return ++lines;
        }
    }
}
