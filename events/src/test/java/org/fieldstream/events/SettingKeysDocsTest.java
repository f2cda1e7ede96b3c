package org.fieldstream.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The configuration table of {@code docs/operations.md} and {@link SettingKeys} say the same: every
 * declared key has one row, every row names a declared key, with its variable and its default.
 */
class SettingKeysDocsTest {

    static final Path DOCS = Path.of("..", "docs", "operations.md");
    static final String HEADER = "| key | variable | default | meaning |";
    private static final Pattern KEY = Pattern.compile("`([^`]+)`");

    @Test
    void theConfigurationTableListsEveryDeclaredKeyWithItsVariableAndDefault() throws IOException {
        List<String> problems = problems(rows(Files.readAllLines(DOCS, StandardCharsets.UTF_8)));
        assertTrue(problems.isEmpty(), DOCS + ", \"Configuration\", disagrees with SettingKeys:\n  " + String.join("\n  ", problems));
    }

    @Test
    void aMissingRowAnUndeclaredKeyAndAnotherDefaultAreEachFound() throws IOException {
        Map<String, String[]> rows = rows(Files.readAllLines(DOCS, StandardCharsets.UTF_8));
        rows.remove("sink.batch.ms");
        rows.put("sink.batch.seconds", new String[] {"`FIELDSTREAM_SINK_BATCH_SECONDS`", "`1`"});
        rows.put("http.port", new String[] {"`FIELDSTREAM_HTTP_PORT`", "`8080`"});
        rows.put("dashboard.port", new String[] {"`FIELDSTREAM_PORT`", "`8089`"});
        assertEquals(Set.of("dashboard.port: variable `FIELDSTREAM_PORT`, declared `FIELDSTREAM_DASHBOARD_PORT`",
                        "http.port: default `8080`, declared `8088`",
                        "sink.batch.seconds: not declared in SettingKeys",
                        "sink.batch.ms: no row; add | `sink.batch.ms` | `FIELDSTREAM_SINK_BATCH_MS` | `250` | "
                                + SettingKeys.SINK_BATCH_MS.description() + " |"),
                Set.copyOf(problems(rows)));
    }

    /** The rows of the table after {@link #HEADER}: key, then variable and default cells. */
    static Map<String, String[]> rows(List<String> lines) {
        int start = lines.indexOf(HEADER);
        assertTrue(start >= 0, "no table headed " + HEADER + " in " + DOCS);
        Map<String, String[]> rows = new LinkedHashMap<>();
        for (int i = start + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String line = lines.get(i);
            String[] cells = line.substring(1).split(" \\| ", 4);
            Matcher key = KEY.matcher(cells[0].trim());
            assertTrue(cells.length == 4 && key.matches(), "not a row of key, variable, default, meaning: " + line);
            String[] previous = rows.put(key.group(1), new String[] {cells[1].trim(), cells[2].trim()});
            assertTrue(previous == null, "two rows for " + key.group(1));
        }
        return rows;
    }

    static List<String> problems(Map<String, String[]> rows) {
        List<String> problems = new ArrayList<>();
        rows.forEach((key, cells) -> {
            Setting setting = SettingKeys.all().stream().filter(s -> s.key().equals(key)).findFirst().orElse(null);
            if (setting == null) {
                problems.add(key + ": not declared in SettingKeys");
                return;
            }
            if (setting.type() != Setting.Type.FAMILY && !cells[0].equals("`" + setting.variable() + "`")) {
                problems.add(key + ": variable " + cells[0] + ", declared `" + setting.variable() + "`");
            }
            if (!cells[1].startsWith(shown(setting))) {
                problems.add(key + ": default " + cells[1] + ", declared " + shown(setting));
            }
        });
        SettingKeys.all().stream().filter(s -> !rows.containsKey(s.key())).forEach(s -> problems.add(s.key() + ": no row; add | `"
                + s.key() + "` | `" + s.variable() + "` | " + shown(s) + " | " + s.description() + " |"));
        return problems;
    }

    /** How the table shows a default: {@code `value`}, {@code (empty)}, or {@code none} when there is none. */
    static String shown(Setting setting) {
        String value = setting.defaultValue();
        return value == null ? "none" : value.isEmpty() ? "(empty)" : "`" + value + "`";
    }
}
