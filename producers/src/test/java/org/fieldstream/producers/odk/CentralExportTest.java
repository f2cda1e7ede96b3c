package org.fieldstream.producers.odk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.fieldstream.events.AttendanceRecorded;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.RejectedRecord;
import org.fieldstream.events.SessionHeld;
import org.fieldstream.producers.KnownAggregates;
import org.fieldstream.producers.Outcome;
import org.fieldstream.producers.Pseudonymizer;
import org.fieldstream.producers.RowConverter;
import org.fieldstream.producers.SourceRow;
import org.fieldstream.producers.Submissions;
import org.fieldstream.producers.UnusableInputException;
import org.fieldstream.producers.forms.FormExportSource;
import org.fieldstream.producers.forms.FormMapping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ODK Central exports of one form, written here in the shapes central-backend produces and pins in its
 * own tests (the {@code withrepeat} / {@code doubleRepeat} forms of {@code test/integration/api/odata.js},
 * the CSV layout of {@code lib/data/briefcase.js} and {@code test/unit/data/briefcase.js}):
 * <ul>
 * <li>{@code export1_Submissions_expanded.json}: {@code .svc/Submissions?$expand=*}: groups as objects,
 *   the repeat {@code register/members} inline next to its {@code members@odata.navigationLink}, items with
 *   a hashed {@code __id}, {@code __system} with {@code edits: 0}; an unanswered field is null.</li>
 * <li>{@code export2_Submissions.json} and {@code export2_Submissions.register.members.json}: the same
 *   without {@code $expand}: only navigation links, and the repeat table whose rows carry
 *   {@code __Submissions-id}. Session 1 has been edited once: {@code __id} is still the first instance id,
 *   {@code meta/instanceID} the new one, {@code __system/edits} 1, no deprecatedID.</li>
 * <li>{@code export3_session_register.csv} and {@code export3_session_register-members.csv}: the CSV zip's
 *   tables: group columns joined with '-', {@code KEY}/{@code Edits} at the end; the repeat CSV with split
 *   select_multiple columns, {@code PARENT_KEY} and {@code KEY}. Session 1 edited twice, session 2 once,
 *   session 4 submitted with no member.</li>
 * </ul>
 */
class CentralExportTest {

    private static final FormMapping ATTENDANCE = mapping("session_register_attendance");
    private static final FormMapping SESSIONS = mapping("session_register_sessions");
    private static final String S1 = "3c2b8f0e-5a7d-4b61-9e0f-6d1a2b3c0101";

    private final KnownAggregates known = new KnownAggregates(100);
    private final Pseudonymizer pseudonymizer = new Pseudonymizer("P1", "odk-test-secret-0000001".getBytes(StandardCharsets.UTF_8));
    private final RowConverter converter;

    @TempDir
    Path dir;

    CentralExportTest() {
        known.putCohort("P1/X/C1", new KnownAggregates.Cohort("P1", "X", "U1", 6, LocalDate.parse("2026-02-01")));
        converter = new RowConverter("P1", "X", "odk", LocalDate.parse("2026-01-01"), pseudonymizer, known, 2,
                Clock.fixed(Instant.parse("2026-03-10T06:00:00Z"), ZoneOffset.UTC));
    }

    @Test
    void expandedODataGivesARowPerRepeatItem() throws Exception {
        Read one = read(ATTENDANCE, "export1_Submissions_expanded.json");
        assertEquals(List.of(6, 0), counts(one));
        assertTrue(one.accepted.stream().allMatch(e -> e.getRevision() == 1));
        assertEquals("ABSENT", status(one, 1, "M-3"), "an unanswered select_multiple (null) holds no choice");
        assertEquals("export1_Submissions_expanded.json:" + S1 + "#3", Submissions.untagged(find(one, 1, "M-3").getSourceRef()));
    }

    @Test
    void separateRepeatTableIsJoinedAndAnEditKeepsItsRecord() throws Exception {
        Read one = read(ATTENDANCE, "export1_Submissions_expanded.json");
        Read two = read(ATTENDANCE, "export2_Submissions.json", "export2_Submissions.register.members.json");
        assertEquals(List.of(8, 0), counts(two));
        assertEquals(2, find(two, 1, "M-3").getRevision(), "1 + __system/edits");
        assertEquals(find(one, 1, "M-3").getRootId(), find(two, 1, "M-3").getRootId(), "__id names the record across edits");
        assertEquals("PRESENT", status(two, 1, "M-3"));
        assertEquals(find(one, 2, "M-2").getEventId(), find(two, 2, "M-2").getEventId(), "unchanged: the same event");
        assertEquals("export2_Submissions.json:9a41d2c7-0b3e-4f5a-8c6d-1e2f3a4b0102#3", Submissions.untagged(find(two, 1, "M-3").getSourceRef()));
        assertEquals(Submissions.key(find(one, 1, "M-3").getSourceRef()), Submissions.key(find(two, 1, "M-3").getSourceRef()),
                "both versions of a submission are tied to the same submission key");
    }

    @Test
    void pagesOfARepeatTableAreJoinedTogether() throws Exception {
        JsonNode table = new ObjectMapper()
                .readTree(Files.readString(resource("export2_Submissions.register.members.json")));
        String context = table.get("@odata.context").asText();
        StringBuilder first = new StringBuilder();
        StringBuilder second = new StringBuilder();
        for (int i = 0; i < table.get("value").size(); i++) {
            StringBuilder page = i < 5 ? first : second;
            page.append(page.length() == 0 ? "" : ",").append(table.get("value").get(i));
        }
        Path one = write("members-1.json", "{\"@odata.context\": \"" + context + "\", \"value\": [" + first + "], "
                + "\"@odata.nextLink\": \"x?%24skiptoken=01e\"}");
        Path two = write("members-2.json", "{\"@odata.context\": \"" + context + "\", \"value\": [" + second + "]}");
        Read paged = read(ATTENDANCE, List.of(input("export2_Submissions.json"), new CentralExport.Input("members-1.json", one),
                new CentralExport.Input("members-2.json", two)));
        assertEquals(List.of(8, 0), counts(paged));
    }

    @Test
    void unexpandedRepeatWithoutItsTableIsRejectedNotSkipped() throws Exception {
        Read alone = read(ATTENDANCE, "export2_Submissions.json");
        assertEquals(List.of(0, 3), counts(alone));
        for (RejectedRecord r : alone.rejected) {
            assertTrue(r.getReason().startsWith("repeat register/members is not expanded"), r.getReason());
        }
        // the same table serves a mapping without a repeat
        assertEquals(List.of(3, 0), counts(read(SESSIONS, "export2_Submissions.json")));
    }

    @Test
    void csvExportLooseOrZippedGivesTheSameEventsAsOData() throws Exception {
        Read loose = read(ATTENDANCE, "export3_session_register.csv", "export3_session_register-members.csv");
        assertEquals(List.of(8, 1), counts(loose));
        assertTrue(loose.rejected.get(0).getReason().startsWith("repeat register/members has no items"));
        assertEquals(3, find(loose, 1, "M-2").getRevision(), "Edits 2");
        assertEquals("ABSENT", status(loose, 1, "M-2"));
        assertEquals(2, find(loose, 2, "M-2").getRevision());
        assertEquals("PRESENT", status(loose, 2, "M-2"));
        Read two = read(ATTENDANCE, "export2_Submissions.json", "export2_Submissions.register.members.json");
        assertEquals(find(two, 3, "M-3").getEventId(), find(loose, 3, "M-3").getEventId(), "one version, OData or CSV: one event");

        Path zip = dir.resolve("session_register.csv.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (String entry : List.of("export3_session_register.csv", "export3_session_register-members.csv")) {
                out.putNextEntry(new ZipEntry(entry.substring("export3_".length())));
                Files.copy(resource(entry), out);
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry("media/"));
            out.closeEntry();
        }
        Read zipped = read(ATTENDANCE, List.of(new CentralExport.Input("session_register.csv.zip", zip)));
        assertEquals(counts(loose), counts(zipped));
        assertEquals(loose.accepted.stream().map(FieldEvent::getEventId).toList(),
                zipped.accepted.stream().map(FieldEvent::getEventId).toList());
    }

    @Test
    void editsInAnyOrderOfExportsEndInTheLatestVersion() throws Exception {
        Read one = read(ATTENDANCE, "export1_Submissions_expanded.json");
        Read two = read(ATTENDANCE, "export2_Submissions.json", "export2_Submissions.register.members.json");
        Read three = read(ATTENDANCE, "export3_session_register.csv", "export3_session_register-members.csv");
        Map<String, String> expected = Map.of(
                "1/M-1", "PRESENT", "1/M-2", "ABSENT", "1/M-3", "PRESENT",
                "2/M-1", "PRESENT", "2/M-2", "PRESENT", "2/M-3", "PRESENT",
                "3/M-1", "PRESENT", "3/M-3", "PRESENT");
        assertEquals(expected, finalStatuses(one, two, three));
        assertEquals(expected, finalStatuses(three, two, one));
        assertEquals(expected, finalStatuses(two, three, one));
    }

    @Test
    void sessionsFromTheCsvMainTableAlone() throws Exception {
        Read sessions = read(SESSIONS, "export3_session_register.csv");
        assertEquals(List.of("1 2026-02-02 r3", "2 2026-02-09 r2", "3 2026-02-16 r1", "4 2026-02-23 r1"), sessions.accepted.stream()
                .map(e -> ((SessionHeld) e.getPayload()).getSessionNumber() + " " + ((SessionHeld) e.getPayload()).getHeldOn()
                        + " r" + e.getRevision()).sorted().toList());
        Read noRepeatCsv = read(ATTENDANCE, "export3_session_register.csv");
        assertEquals(List.of(0, 4), counts(noRepeatCsv));
        assertTrue(noRepeatCsv.rejected.get(0).getReason().contains("<form>-members.csv"), noRepeatCsv.rejected.get(0).getReason());
    }

    @Test
    void itemsOfAbsentSubmissionsAndNestedRepeatRowsAreRejected() throws Exception {
        Path main = write("Submissions.json", """
                {"@odata.context": "x/$metadata#Submissions", "value": [
                 {"__id": "uuid:k1", "session": {"cohort_id": "C1", "session_number": 1},
                  "register": {"members@odata.navigationLink": "Submissions('uuid%3Ak1')/register/members"},
                  "meta": {"instanceID": "uuid:k1"}, "__system": {"edits": 0}},
                 {"__id": "uuid:k2", "session": {"cohort_id": "C1", "session_number": 2},
                  "register": {"members@odata.navigationLink": "Submissions('uuid%3Ak2')/register/members"},
                  "meta": {"instanceID": "uuid:k2b"}}]}
                """);
        Path items = write("Submissions.register.members.json", """
                {"@odata.context": "x/$metadata#Submissions.register.members", "value": [
                 {"__id": "h1", "__Submissions-id": "uuid:k1", "member_id": "M-1", "participation": "present"},
                 {"__id": "h2", "__Submissions-id": "uuid:k9", "member_id": "M-2", "participation": "present"},
                 {"__id": "h3", "__Submissions-register-members-id": "h1", "member_id": "M-3"}]}
                """);
        Read read = read(ATTENDANCE, List.of(new CentralExport.Input("Submissions.json", main),
                new CentralExport.Input("Submissions.register.members.json", items)));
        assertEquals(List.of(1, 3), counts(read));
        Map<String, String> reasons = new TreeMap<>();
        read.rejected.forEach(r -> reasons.put(r.getSourceRef(), r.getReason()));
        assertTrue(reasons.get("Submissions.json:k2b").contains("cannot tell which version"), reasons.toString());
        assertTrue(reasons.get("Submissions.register.members.json:h2").contains("not in this export"), reasons.toString());
        assertTrue(reasons.get("Submissions.register.members.json:h3").contains("without __Submissions-id"), reasons.toString());
        for (RejectedRecord r : read.rejected) {
            assertTrue(!r.getRaw().contains("M-"), "no person key in a rejection: " + r.getRaw());
        }
    }

    @Test
    void ambiguousOrForeignInputIsUnusable() throws Exception {
        UnusableInputException twoMains = assertThrows(UnusableInputException.class, () -> CentralExport.open(List.of(
                input("export1_Submissions_expanded.json"), input("export2_Submissions.json"),
                input("export2_Submissions.register.members.json")), ATTENDANCE));
        assertTrue(twoMains.getMessage().contains("one export"), twoMains.getMessage());
        Path kobo = write("kobo.json", "{\"count\": 0, \"results\": []}");
        UnusableInputException foreign = assertThrows(UnusableInputException.class,
                () -> CentralExport.open(List.of(new CentralExport.Input("kobo.json", kobo)), ATTENDANCE));
        assertTrue(foreign.getMessage().contains("--source kobo"));
        Path broken = write("broken.json", "{\"value\": [{\"__id\": \"u1\",\n \"name\": Rokeya Begum}]}");
        UnusableInputException unreadable = assertThrows(UnusableInputException.class,
                () -> CentralExport.open(List.of(new CentralExport.Input("broken.json", broken)), ATTENDANCE));
        assertTrue(unreadable.getMessage().contains("broken.json: not a JSON export: unexpected content at line 2, column"),
                unreadable.getMessage());
        assertFalse(unreadable.getMessage().contains("Rokeya"), unreadable.getMessage());
        assertEquals(null, unreadable.getCause(), "the parser's message quotes the input");
    }

    /** Accepted events and rejections of one run. */
    private record Read(List<FieldEvent> accepted, List<RejectedRecord> rejected) {
    }

    private Read read(FormMapping mapping, String... resources) throws Exception {
        List<CentralExport.Input> inputs = new ArrayList<>();
        for (String r : resources) {
            inputs.add(input(r));
        }
        return read(mapping, inputs);
    }

    private Read read(FormMapping mapping, List<CentralExport.Input> inputs) throws Exception {
        List<FieldEvent> accepted = new ArrayList<>();
        List<RejectedRecord> rejected = new ArrayList<>();
        for (FormExportSource source : CentralExport.open(inputs, mapping)) {
            assertEquals("odk", source.sourceName());
            for (SourceRow row = source.next(); row != null; row = source.next()) {
                Outcome outcome = converter.convert(row);
                if (outcome instanceof Outcome.Accepted a) {
                    accepted.add(a.event());
                } else {
                    rejected.add(((Outcome.Rejected) outcome).record());
                }
            }
        }
        return new Read(accepted, rejected);
    }

    private static List<Integer> counts(Read read) {
        return List.of(read.accepted.size(), read.rejected.size());
    }

    private FieldEvent find(Read read, int session, String member) {
        String person = pseudonymizer.personId(member);
        return read.accepted.stream().filter(e -> e.getPayload() instanceof AttendanceRecorded a
                && a.getSessionNumber() == session && a.getPersonId().equals(person)).findFirst().orElseThrow();
    }

    private String status(Read read, int session, String member) {
        return ((AttendanceRecorded) find(read, session, member).getPayload()).getStatus().name();
    }

    private Map<String, String> finalStatuses(Read... reads) {
        Map<String, FieldEvent> current = new HashMap<>();
        for (Read read : reads) {
            for (FieldEvent e : read.accepted) {
                current.merge(e.getRootId(), e, (a, b) -> b.getRevision() > a.getRevision() ? b : a);
            }
        }
        Map<String, String> statuses = new TreeMap<>();
        for (FieldEvent e : current.values()) {
            AttendanceRecorded a = (AttendanceRecorded) e.getPayload();
            String member = List.of("M-1", "M-2", "M-3").stream()
                    .filter(m -> pseudonymizer.personId(m).equals(a.getPersonId())).findFirst().orElseThrow();
            statuses.put(a.getSessionNumber() + "/" + member, a.getStatus().name());
        }
        return statuses;
    }

    private static CentralExport.Input input(String resource) {
        return new CentralExport.Input(resource, resource(resource));
    }

    private static Path resource(String name) {
        try {
            return Path.of(CentralExportTest.class.getResource("/odk/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    private static FormMapping mapping(String name) {
        try {
            return FormMapping.load(name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
