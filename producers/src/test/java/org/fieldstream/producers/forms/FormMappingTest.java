package org.fieldstream.producers.forms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import org.fieldstream.producers.SourceRow;
import org.fieldstream.producers.UnusableInputException;
import org.junit.jupiter.api.Test;

class FormMappingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static FormMapping parse(String json) throws Exception {
        return FormMapping.parse(JSON.readTree(json), "m.json");
    }

    private static String problem(String json) {
        return assertThrows(UnusableInputException.class, () -> parse(json)).getMessage();
    }

    @Test
    void columnsAreFieldsConstantsDefaultsDatesAndMultiSelects() throws Exception {
        FormMapping m = parse("""
                {"form_id": "f", "layout": "enrolments", "columns": {
                  "cohort_id": "g/cohort",
                  "person_key": {"field": "g/members", "each": true},
                  "sex": {"const": "female"},
                  "enrolled_on": {"field": ["g/date", "_submission_time"], "date": true},
                  "age": {"field": "g/age", "default": "30"}},
                 "values": {"person_key": {"m1": "KEY-1"}}}
                """);
        Submission s = new Submission("f.json:i1", "kobo\u001Fi1", 1, path -> switch (path) {
            case "g/cohort" -> JsonNodeFactory.instance.textNode("C1");
            case "g/members" -> JsonNodeFactory.instance.textNode(" m1   m2 ");
            case "_submission_time" -> JsonNodeFactory.instance.textNode("2026-02-01T20:30:00");
            case "g/age" -> JsonNodeFactory.instance.textNode("");
            default -> null;
        }, null, null);
        List<SourceRow> rows = FormRows.of(m, s);
        assertEquals(2, rows.size());
        assertEquals(Map.of("cohort_id", "C1", "person_key", "KEY-1", "sex", "female", "enrolled_on", "2026-02-02",
                "age", "30", "revision", "1"), rows.get(0).values());
        assertEquals("m2", rows.get(1).get("person_key"));
        assertEquals("f.json:i1/2", rows.get(1).sourceRef());
        assertTrue(rows.get(1).identityPerKey(), "rows of one submission are told apart by their natural key");
    }

    @Test
    void containsTellsWhetherAChoiceIsTicked() throws Exception {
        FormMapping m = parse("""
                {"form_id": "f", "layout": "attendance", "repeat": "r", "columns": {
                  "cohort_id": "c", "session_number": "n", "person_key": "r/id",
                  "status": {"field": "r/flags", "contains": "present", "then": "present", "else": "absent"}}}
                """);
        List<Submission.Fields> items = List.of(
                p -> p.equals("id") ? JsonNodeFactory.instance.textNode("A") : JsonNodeFactory.instance.textNode("late present"),
                p -> p.equals("id") ? JsonNodeFactory.instance.textNode("B") : JsonNodeFactory.instance.textNode("presently"),
                p -> p.equals("id") ? JsonNodeFactory.instance.textNode("C") : null);
        Submission s = new Submission("x:i", "odk\u001Fi", 2, p -> JsonNodeFactory.instance.textNode("1"), items, null);
        assertEquals(List.of("present", "absent", "absent"), FormRows.of(m, s).stream().map(r -> r.get("status")).toList());
        assertEquals(List.of("x:i#1", "x:i#2", "x:i#3"), FormRows.of(m, s).stream().map(SourceRow::sourceRef).toList());
    }

    @Test
    void mistakesInAMappingAreNamed() {
        String base = "{\"form_id\": \"f\", \"layout\": \"sessions\", \"columns\": {\"cohort_id\": \"c\", \"session_number\": \"n\", ";
        assertTrue(problem(base + "\"held_on\": {\"field\": \"d\", \"dates\": true}}}").contains("unknown key \"dates\""));
        assertTrue(problem(base + "\"held_on\": {\"field\": \"d\", \"const\": \"2026-01-01\"}}}").contains("exactly one of"));
        assertTrue(problem(base + "\"held_on\": {\"field\": \"d\", \"date\": true, \"each\": true}}}").contains("only one of"));
        assertTrue(problem(base + "\"held_on\": {\"const\": \"x\", \"date\": true}}}").contains("is a constant"));
        assertTrue(problem(base + "\"held_on\": {\"field\": \"d\", \"then\": \"x\"}}}").contains("belong to \"contains\""));
        assertTrue(problem(base + "\"held_at\": \"d\"}}").contains("layout sessions has no column held_at"));
        assertTrue(problem(base + "\"session\": \"x\"}}").contains("has no column session"));
        assertTrue(problem("{\"form_id\": \"f\", \"layout\": \"sessions\", \"columns\": {\"cohort_id\": \"c\"}}")
                .contains("required column session_number"));
        assertTrue(problem("{\"form_id\": \"f\", \"layout\": \"enrolments\", \"columns\": {\"cohort_id\": {\"field\": \"c\", \"each\": true}, "
                + "\"person_key\": {\"field\": \"p\", \"each\": true}, \"sex\": {\"const\": \"f\"}, \"enrolled_on\": \"d\"}}")
                .contains("only one column"));
        assertTrue(problem("{\"form_id\": \"f\", \"layout\": \"sessions\", \"colums\": {}}").contains("unknown key \"colums\""));
    }

    @Test
    void bundledMappingsLoad() throws Exception {
        for (String name : List.of("attendance_register", "session_register_attendance", "session_register_sessions", "group_enrolment")) {
            FormMapping m = FormMapping.load(name);
            assertTrue(m.columns().keySet().containsAll(m.layout().required()), name);
        }
        assertEquals("register/members", FormMapping.load("session_register_attendance").repeat());
        assertEquals(List.of("end"), FormMapping.load("session_register_attendance").editedAt());
    }
}
