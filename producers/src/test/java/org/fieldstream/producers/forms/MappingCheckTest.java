package org.fieldstream.producers.forms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.fieldstream.producers.SourceRow;
import org.fieldstream.producers.UnusableInputException;
import org.fieldstream.producers.kobo.KoboExportSource;
import org.fieldstream.producers.odk.CentralExport;
import org.junit.jupiter.api.Test;

/**
 * Mappings checked against the exports they read, and repeat items keeping their identity. Exports:
 * the Kobo and Central fixtures of {@code KoboExportSourceTest} and {@code CentralExportTest}, and
 * {@code kobo/dialogue_attendance_export.json}, a Kobo {@code /api/v2/assets/<uid>/data/} page of a
 * dialogue form written for this test in the server's shape (fields by full group path, the repeat
 * {@code dialogue/attendees} inside the group {@code dialogue}, the server's {@code _id},
 * {@code _uuid}, {@code _submission_time} keys): one consultation with five attendees, one grading with two.
 */
class MappingCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String DIALOGUE_ATTENDANCE = """
            {"form_id": "dialogue", "layout": "dialogue_attendance", "repeat": "dialogue/attendees",
             "columns": {"dialogue_id": "dialogue/dialogue_id", "attendee_no": %s,
                         "role": "dialogue/attendees/role", "sex": "dialogue/attendees/sex", "age": %s}}
            """;

    @Test
    void aMistypedItemPathStopsTheRunNamingThePathAndTheClosestOne() throws Exception {
        String message = koboProblem(DIALOGUE_ATTENDANCE.formatted("{\"item\": \"position\"}", "\"dialogue/attendees/agee\""));
        assertTrue(message.contains("column age: \"dialogue/attendees/agee\" (closest in the export: \"dialogue/attendees/age\") "
                + "not found in the export"), message);
        assertTrue(message.contains("Nothing was published"), message);
    }

    @Test
    void aMistypedContainsFieldIsAnErrorNotEveryoneAbsent() throws Exception {
        String message = koboProblem("""
                {"form_id": "session_register", "layout": "attendance", "repeat": "register/members", "columns": {
                  "cohort_id": "session/cohort_id", "session_number": "session/session_number",
                  "person_key": "register/members/member_id",
                  "status": {"field": "register/members/participaton", "contains": "present", "then": "present", "else": "absent"}}}
                """, "session_register_export1.json");
        assertTrue(message.contains("column status: \"register/members/participaton\" (closest in the export: "
                + "\"register/members/participation\") not found"), message);
    }

    @Test
    void aWrongRepeatPathIsNotFoundInTheExport() throws Exception {
        String message = koboProblem(DIALOGUE_ATTENDANCE.formatted("{\"item\": \"position\"}", "\"dialogue/attendees/age\"")
                .replace("\"repeat\": \"dialogue/attendees\"", "\"repeat\": \"dialogue/attendee\""));
        assertTrue(message.contains("repeat \"dialogue/attendee\" not found in the export (closest in the export: \"dialogue/attendees\")"),
                message);
    }

    @Test
    void anOptionalColumnMayBeAbsentFromTheWholeExport() throws Exception {
        String mapping = DIALOGUE_ATTENDANCE.formatted("{\"item\": \"position\"}",
                "{\"field\": \"dialogue/attendees/years\", \"optional\": true}");
        List<SourceRow> rows = kobo(mapping, "dialogue_attendance_export.json");
        assertEquals(7, rows.size());
        assertNull(rows.get(0).get("age"));
    }

    @Test
    void aFieldListNeedsOneOfItsAlternatives() throws Exception {
        // group_enrolment reads the submission date from Kobo's, OData's or the CSV's key: one of them is enough
        FormMapping sessions = FormMapping.load("session_register_sessions");
        assertEquals(2, rows(KoboExportSource.read(resource("/kobo/session_register_export1.json"), "e1.json", sessions)).size());
        String message = koboProblem("""
                {"form_id": "f", "layout": "sessions", "columns": {"cohort_id": "session/cohort_id",
                  "session_number": "session/session_number", "held_on": {"field": ["session/heldon", "sart"], "date": true}}}
                """, "session_register_export1.json");
        assertTrue(message.contains("column held_on: \"session/heldon\", \"sart\" (closest in the export: \"start\") "
                + "(none of them) found in the export"), message);
    }

    @Test
    void centralCsvAndODataNameTheirClosestPaths() throws Exception {
        FormMapping typo = FormMapping.parse(JSON.readTree("""
                {"form_id": "session_register", "layout": "attendance", "repeat": "register/members", "columns": {
                  "cohort_id": "session/cohort_idd", "session_number": "session/session_number",
                  "person_key": "register/members/member_id", "status": {"field": "register/members/participation",
                  "contains": "present", "then": "present", "else": "absent"}}}
                """), "typo.json");
        String csv = assertThrows(UnusableInputException.class, () -> CentralExport.open(List.of(
                odk("export3_session_register.csv"), odk("export3_session_register-members.csv")), typo)).getMessage();
        assertTrue(csv.contains("column cohort_id: \"session/cohort_idd\" (closest in the export: \"session/cohort_id\")"), csv);
        String odata = assertThrows(UnusableInputException.class, () -> CentralExport.open(List.of(
                odk("export1_Submissions_expanded.json")), typo)).getMessage();
        assertTrue(odata.contains("column cohort_id: \"session/cohort_idd\" (closest in the export: \"session/cohort_id\")"), odata);
        // the bundled mapping fits all three exports
        FormMapping good = FormMapping.load("session_register_attendance");
        assertEquals(9, CentralExport.open(List.of(odk("export3_session_register.csv"), odk("export3_session_register-members.csv")),
                good).stream().mapToInt(s -> rows(s).size()).sum());
    }

    @Test
    void aRepeatOfFiveAttendeesGivesFiveRowsNumberedByPosition() throws Exception {
        List<SourceRow> rows = kobo(DIALOGUE_ATTENDANCE.formatted("{\"item\": \"position\"}", "\"dialogue/attendees/age\""),
                "dialogue_attendance_export.json");
        assertEquals(List.of("1", "2", "3", "4", "5", "1", "2"), rows.stream().map(r -> r.get("attendee_no")).toList());
        assertTrue(rows.stream().allMatch(r -> r.malformed() == null));
        assertEquals("dialogue_attendance_export.json:0d4e7a12-6b3f-4c59-8a21-5e9f00000401#5", rows.get(4).sourceRef());
    }

    @Test
    void itemsThatWouldBeOneRecordAreAllRejectedNamingEachOtherNeverMerged() throws Exception {
        List<SourceRow> rows = kobo(DIALOGUE_ATTENDANCE.formatted("{\"const\": \"1\"}", "\"dialogue/attendees/age\""),
                "dialogue_attendance_export.json");
        assertEquals(7, rows.size());
        assertTrue(rows.stream().allMatch(r -> r.malformed() != null), "no item of either submission is kept");
        String first = rows.get(0).malformed();
        assertTrue(first.startsWith("gives the same dialogue_attendance record (same dialogue_id, attendee_no) as "
                + "dialogue_attendance_export.json:0d4e7a12-6b3f-4c59-8a21-5e9f00000401#2, "), first);
        assertTrue(first.contains("#5 of the same submission"), first);
        assertTrue(rows.get(6).malformed().contains("5e9f00000402#1 of the same submission"), rows.get(6).malformed());
    }

    @Test
    void itemKeysAndIdTransforms() throws Exception {
        FormMapping mapping = FormMapping.parse(JSON.readTree("""
                {"form_id": "session_register", "layout": "attendance", "repeat": "register/members", "columns": {
                  "cohort_id": {"field": ["session/cohort_id", "session/session_number"], "join": "-", "prefix": "MMS-"},
                  "session_number": "session/session_number",
                  "person_key": {"item": "key", "strip_uuid": true},
                  "status": {"const": "present"}}}
                """), "keys.json");
        List<SourceRow> rows = new ArrayList<>();
        CentralExport.open(List.of(odk("export3_session_register.csv"), odk("export3_session_register-members.csv")), mapping)
                .forEach(s -> rows.addAll(rows(s)));
        SourceRow first = rows.stream().filter(r -> r.malformed() == null).findFirst().orElseThrow();
        assertEquals("MMS-C1-3", first.get("cohort_id"));
        assertEquals("3c2b8f0e-5a7d-4b61-9e0f-6d1a2b3c0301/register/members[1]", first.get("person_key"));
        // Kobo's repeat items have no instance key: each row says so instead of landing without one
        List<SourceRow> kobo = kobo(DIALOGUE_ATTENDANCE.formatted("{\"item\": \"key\"}", "\"dialogue/attendees/age\""),
                "dialogue_attendance_export.json");
        assertTrue(kobo.get(0).malformed().startsWith("attendee_no: the repeat items of this export have no instance key"),
                kobo.get(0).malformed());
        assertTrue(assertThrows(UnusableInputException.class, () -> FormMapping.parse(JSON.readTree("""
                {"form_id": "f", "layout": "dialogue_attendance", "columns": {"dialogue_id": "d", "attendee_no": {"item": "position"},
                 "role": "r", "sex": "s"}}
                """), "m.json")).getMessage().contains("reads the repeat item's position but the mapping names no \"repeat\""));
    }

    @Test
    void editDistance() {
        assertEquals(1, MappingCheck.distance("agee", "age"));
        assertEquals(3, MappingCheck.distance("kitten", "sitting"));
        assertEquals(0, MappingCheck.distance("", ""));
    }

    private static String koboProblem(String mapping) {
        return koboProblem(mapping, "dialogue_attendance_export.json");
    }

    private static String koboProblem(String mapping, String export) {
        return assertThrows(UnusableInputException.class, () -> kobo(mapping, export)).getMessage();
    }

    private static List<SourceRow> kobo(String mapping, String export) throws Exception {
        FormMapping m = FormMapping.parse(JSON.readTree(mapping), "m.json");
        try (InputStream in = resource("/kobo/" + export)) {
            return rows(KoboExportSource.read(in, export, m));
        }
    }

    private static List<SourceRow> rows(FormExportSource source) {
        List<SourceRow> rows = new ArrayList<>();
        for (SourceRow row = source.next(); row != null; row = source.next()) {
            rows.add(row);
        }
        return rows;
    }

    private static InputStream resource(String name) {
        return MappingCheckTest.class.getResourceAsStream(name);
    }

    private static CentralExport.Input odk(String name) {
        try {
            return new CentralExport.Input(name, Path.of(MappingCheckTest.class.getResource("/odk/" + name).toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
