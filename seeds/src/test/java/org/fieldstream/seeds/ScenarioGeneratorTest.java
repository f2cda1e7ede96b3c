package org.fieldstream.seeds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.fieldstream.reference.Csv;
import org.fieldstream.reference.ReferenceData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioGeneratorTest {

    private static final ReferenceData REFERENCE = ReferenceData.bundled();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path first;
    static ScenarioGenerator.Result result;

    @BeforeAll
    static void generate() {
        first = tmp.resolve("a");
        result = new ScenarioGenerator(REFERENCE, 7, Size.DEMO).generate(first);
    }

    @Test
    void sameSeedGivesByteIdenticalFilesAndAnotherSeedDoesNot() throws IOException {
        Path again = tmp.resolve("b");
        new ScenarioGenerator(REFERENCE, 7, Size.DEMO).generate(again);
        List<Path> files = listFiles(first);
        assertEquals(files.size(), listFiles(again).size());
        for (Path f : files) {
            assertArrayEquals(Files.readAllBytes(first.resolve(f)), Files.readAllBytes(again.resolve(f)), f.toString());
        }
        Path other = tmp.resolve("c");
        new ScenarioGenerator(REFERENCE, 8, Size.DEMO).generate(other);
        assertFalse(Arrays.equals(Files.readAllBytes(first.resolve("expected/participant_progress.jsonl")),
                Files.readAllBytes(other.resolve("expected/participant_progress.jsonl"))));
    }

    @Test
    void manifestListsEveryFilePushesOneTwiceAndDeliversAnOldMonthLast() throws IOException {
        List<String> manifest = Files.readAllLines(first.resolve("manifest.txt"));
        assertEquals(result.manifest(), manifest);
        assertEquals(Set.copyOf(result.files()), Set.copyOf(manifest));
        assertEquals(result.files().size() + 1, manifest.size());
        assertEquals("ndp/2026-02/attendance.csv", manifest.get(manifest.size() - 1));
        assertEquals(2, manifest.stream().filter("mms/2026-03/attendance.csv"::equals).count());
        for (String f : manifest) {
            assertTrue(Files.isRegularFile(first.resolve(f)), f);
        }
    }

    @Test
    void plantedMalformedRowsAreListedExactly() throws IOException {
        Set<String> planted = new HashSet<>();
        List<String> lines = Files.readAllLines(first.resolve("expected/rejected.csv"));
        assertEquals("file,line,field,reason", lines.get(0));
        planted.addAll(lines.subList(1, lines.size()));
        assertEquals(result.rejected().size(), planted.size());
        Set<String> reasons = new HashSet<>();
        result.rejected().forEach(r -> reasons.add(r.reason()));
        assertEquals(Set.of("bad_date", "unknown_enum", "missing_required", "not_a_number", "session_above_planned"), reasons);

        Set<String> found = new HashSet<>(new Validator(first, result.files()).invalidRows());
        assertEquals(planted, found);
    }

    @Test
    void enrolmentFilesCarryNamesAndPhonesAndCorrectionsCarryRevisions() throws IOException {
        String enrolments = Files.readString(first.resolve(firstFile("ndp/", "/enrolments.csv")));
        assertTrue(enrolments.startsWith("cohort_id,person_key,name,phone"));
        assertTrue(enrolments.lines().skip(1).anyMatch(l -> l.matches(".*,01\\d{9},.*")));
        assertTrue(result.files().stream().anyMatch(f -> f.contains("_corrections")));
        String mms = Files.readString(first.resolve(firstFile("mms/", "/enrolments.csv")));
        assertTrue(mms.startsWith("\uFEFF") && mms.contains("\r\n"), "MMS exports have a BOM and CRLF");
    }

    @Test
    void groundTruthHasRetractionsCorrectionsAndAllStatuses() {
        ExpectedMetrics expected = result.expected();
        assertNotNull(expected);
        Set<String> statuses = new HashSet<>();
        expected.family("participant_progress").values().forEach(r -> statuses.add((String) r.get("status")));
        assertEquals(Set.of("active", "completed", "dropped_out", "transferred"), statuses);
        assertTrue(expected.family("dialogues").values().stream().anyMatch(r -> (int) r.get("attendees") > (int) r.get("identified_persons")),
                "officials noted by role only");
        assertTrue(expected.family("dialogues").values().stream().anyMatch(r -> "community_of_practice".equals(r.get("kind"))));
        ExpectedMetrics reread = ExpectedMetrics.read(first.resolve("expected"));
        for (MetricFamily f : MetricFamily.values()) {
            assertEquals(expected.family(f), reread.family(f), f.familyName());
        }
        ExpectedMetrics hashed = result.expected(REFERENCE, k -> "h:" + k);
        assertTrue(hashed.family("participant_progress").keySet().stream().allMatch(k -> k.contains("|h:")));
        assertEquals(expected.family("outreach"), hashed.family("outreach"));
    }

    @Test
    void peopleAreSharedAcrossTrainingsAndDialogues() {
        Set<String> trained = new HashSet<>();
        result.ledger().current(FieldRecord.Enrolment.class).forEach(e -> trained.add(e.personKey()));
        long returning = result.ledger().current(FieldRecord.DialogueAttendee.class).stream()
                .filter(a -> a.personKey() != null && trained.contains(a.personKey())).count();
        assertTrue(returning > 10, "trainees attend dialogues: " + returning);
    }

    private static String firstFile(String prefix, String suffix) {
        return result.files().stream().filter(f -> f.startsWith(prefix) && f.endsWith(suffix)).findFirst().orElseThrow();
    }

    private static List<Path> listFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }

    /** An independent reading of LAYOUTS.md's value rules, to find every malformed row. */
    private static final class Validator {
        private static final Map<String, List<String>> REQUIRED = Map.of(
                "cohorts", List.of("cohort_id", "topic", "planned_sessions", "start_date", "org_unit_id"),
                "enrolments", List.of("cohort_id", "person_key", "sex", "enrolled_on"),
                "sessions", List.of("cohort_id", "session_number", "held_on"),
                "attendance", List.of("cohort_id", "session_number", "person_key", "status"),
                "exits", List.of("cohort_id", "person_key", "reason"),
                "dialogues", List.of("dialogue_id", "kind", "topic", "held_on", "org_unit_id"),
                "dialogue_attendance", List.of("dialogue_id", "attendee_no", "role", "sex"));
        private static final Map<String, Set<String>> ENUMS = Map.of(
                "sex", Set.of("female", "male", "other", "unknown", "f", "m"),
                "status", Set.of("present", "absent", "excused"),
                "reason", Set.of("completed", "transferred", "dropped_out", "other"),
                "kind", Set.of("policy_dialogue", "community_consultation", "annual_general_meeting", "village_grading",
                        "community_of_practice", "stakeholder_meeting"));
        private static final Set<String> NUMBERS = Set.of("planned_sessions", "session_number", "attendee_no", "birth_year", "age", "revision");
        private static final Set<String> DATES = Set.of("start_date", "end_date", "enrolled_on", "held_on", "exited_on");

        private final Path root;
        private final List<String> files;
        private final Map<String, Integer> planned = new HashMap<>();

        Validator(Path root, List<String> files) {
            this.root = root;
            this.files = files;
        }

        List<String> invalidRows() throws IOException {
            for (String f : files) {
                for (Map.Entry<Long, Map<String, String>> row : rows(f).entrySet()) {
                    if (f.contains("/cohorts")) {
                        planned.put(row.getValue().get("cohort_id"), Integer.parseInt(row.getValue().get("planned_sessions")));
                    }
                }
            }
            List<String> invalid = new ArrayList<>();
            for (String f : files) {
                String layout = f.substring(f.lastIndexOf('/') + 1).replaceFirst("(_corrections)?\\.(csv|jsonl)$", "");
                for (Map.Entry<Long, Map<String, String>> row : rows(f).entrySet()) {
                    String problem = problem(layout, row.getValue());
                    if (problem != null) {
                        invalid.add(f + "," + row.getKey() + "," + problem);
                    }
                }
            }
            return invalid;
        }

        private String problem(String layout, Map<String, String> row) {
            for (String column : REQUIRED.get(layout)) {
                if (row.get(column) == null) {
                    return column + ",missing_required";
                }
            }
            for (Map.Entry<String, String> cell : row.entrySet()) {
                String column = cell.getKey();
                String value = cell.getValue();
                if (value == null) {
                    continue;
                }
                if (ENUMS.containsKey(column) && !ENUMS.get(column).contains(value.toLowerCase(Locale.ROOT))) {
                    return column + ",unknown_enum";
                }
                if (NUMBERS.contains(column) && !value.matches("\\d+")) {
                    return column + ",not_a_number";
                }
                if (DATES.contains(column)) {
                    try {
                        LocalDate.parse(value);
                    } catch (DateTimeParseException e) {
                        return column + ",bad_date";
                    }
                }
            }
            if (row.get("session_number") != null && Integer.parseInt(row.get("session_number")) > planned.get(row.get("cohort_id"))) {
                return "session_number,session_above_planned";
            }
            return null;
        }

        private Map<Long, Map<String, String>> rows(String file) throws IOException {
            List<String> lines = Files.readAllLines(root.resolve(file), StandardCharsets.UTF_8);
            Map<Long, Map<String, String>> rows = new LinkedHashMap<>();
            if (file.endsWith(".jsonl")) {
                for (int i = 0; i < lines.size(); i++) {
                    JsonNode node = JSON.readTree(lines.get(i));
                    Map<String, String> row = new HashMap<>();
                    node.fields().forEachRemaining(e -> row.put(e.getKey(), e.getValue().asText()));
                    row.remove("layout");
                    rows.put((long) i + 1, row);
                }
                return rows;
            }
            Csv.Table table;
            try (InputStream in = Files.newInputStream(root.resolve(file))) {
                table = Csv.read(in);
            }
            for (Csv.Row csvRow : table.rows()) {
                Map<String, String> row = new HashMap<>(table.map(csvRow));
                row.remove("remarks");
                row.remove("retracted");
                rows.put(csvRow.line(), row);
            }
            return rows;
        }
    }
}
