package org.fieldstream.producers.kobo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.fieldstream.events.AttendanceRecorded;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.ParticipantEnrolled;
import org.fieldstream.events.RecordRetracted;
import org.fieldstream.events.RejectedRecord;
import org.fieldstream.events.SessionHeld;
import org.fieldstream.events.Sex;
import org.fieldstream.producers.KnownAggregates;
import org.fieldstream.producers.Outcome;
import org.fieldstream.producers.Pseudonymizer;
import org.fieldstream.producers.RowConverter;
import org.fieldstream.producers.SourceRow;
import org.fieldstream.producers.Submissions;
import org.fieldstream.producers.UnusableInputException;
import org.fieldstream.producers.forms.FormExportSource;
import org.fieldstream.producers.forms.FormMapping;
import org.fieldstream.producers.forms.Revisions;
import org.junit.jupiter.api.Test;

/**
 * KoboToolbox exports in the shape of the server's {@code /api/v2/assets/<uid>/data/} response, written
 * here after the responses recorded by public Kobo API clients and kpi's own submission code: a
 * {@code {"count", "next", "previous", "results"}} page; fields by full group path; a repeat inside a
 * group ({@code register/members}, like formpack's {@code grouped_repeatable} fixture) as a list of
 * objects keyed by full path; a select_multiple as space-separated choices; server keys ({@code _id},
 * {@code _uuid}, {@code _submission_time} in UTC without offset, {@code _attachments}, ...). An edit keeps
 * {@code _id} and {@code _submission_time}, gets a new instance id, {@code meta/deprecatedID} and a new
 * {@code end}; an export holds only each submission's newest version.
 *
 * <p>The three exports ({@code kobo/session_register_export{1,2,3}.json}) are one form's data taken on
 * three dates: session 1 edited twice (once before export 2, once before export 3), session 2 once
 * (before export 3), session 4 submitted with no member.
 */
class KoboExportSourceTest {

    private static final FormMapping ATTENDANCE = mapping("session_register_attendance");
    private static final FormMapping SESSIONS = mapping("session_register_sessions");

    private final KnownAggregates known = new KnownAggregates(100);
    private final Pseudonymizer pseudonymizer = new Pseudonymizer("P1", "kobo-test-secret-000001".getBytes(StandardCharsets.UTF_8));
    private final RowConverter converter;

    KoboExportSourceTest() {
        known.putCohort("P1/X/C1", new KnownAggregates.Cohort("P1", "X", "U1", 6, LocalDate.parse("2026-02-01")));
        converter = new RowConverter("P1", "X", "kobo", LocalDate.parse("2026-01-01"), pseudonymizer, known, 2,
                Clock.fixed(Instant.parse("2026-03-10T06:00:00Z"), ZoneOffset.UTC));
    }

    @Test
    void threeExportsGiveEveryRowOnceAndEachEditAsAHigherRevision() throws Exception {
        Read one = read("session_register_export1.json", ATTENDANCE);
        Read two = read("session_register_export2.json", ATTENDANCE);
        Read three = read("session_register_export3.json", ATTENDANCE);
        assertEquals(List.of(6, 0), List.of(one.accepted.size(), one.rejected.size()));
        assertEquals(List.of(8, 0), List.of(two.accepted.size(), two.rejected.size()));
        assertEquals(List.of(8, 1), List.of(three.accepted.size(), three.rejected.size()));
        assertTrue(three.rejected.get(0).getReason().startsWith("repeat register/members has no items"),
                three.rejected.get(0).getReason());
        assertEquals("session_register_export3.json:0b6f2a3e-1c1d-4e5f-8a9b-000000000401", three.rejected.get(0).getSourceRef());

        int firstEdit = Revisions.ofEditTime(Instant.parse("2026-02-12T02:30:00Z"));
        int secondEdit = Revisions.ofEditTime(Instant.parse("2026-02-25T11:45:10Z"));
        assertEquals(824_178_600, firstEdit);
        assertEquals(825_335_110, secondEdit);
        FieldEvent m2s1 = find(one, 1, "M-2");
        assertEquals(1, m2s1.getRevision());
        assertEquals(firstEdit, find(two, 1, "M-2").getRevision());
        assertEquals(secondEdit, find(three, 1, "M-2").getRevision());
        assertEquals(m2s1.getRootId(), find(three, 1, "M-2").getRootId(), "an edit is the same record");
        assertEquals(Revisions.ofEditTime(Instant.parse("2026-02-27T05:02:19Z")), find(three, 2, "M-2").getRevision());
        // an unchanged submission exported again is the same event
        assertEquals(find(one, 2, "M-3").getEventId(), find(two, 2, "M-3").getEventId());
        assertEquals(find(two, 3, "M-3").getEventId(), find(three, 3, "M-3").getEventId());
        // the same content at a new revision is a new event, never the old one's id
        assertNotEquals(find(one, 1, "M-1").getEventId(), find(two, 1, "M-1").getEventId());

        Map<String, String> inOrder = finalStatuses(one, two, three);
        assertEquals(finalStatuses(three, one, two), inOrder, "any ingest order ends in the same records");
        assertEquals(finalStatuses(two, three, one), inOrder);
        assertEquals(Map.of(
                "1/M-1", "PRESENT", "1/M-2", "ABSENT", "1/M-3", "PRESENT",
                "2/M-1", "PRESENT", "2/M-2", "PRESENT", "2/M-3", "PRESENT",
                "3/M-1", "PRESENT", "3/M-3", "PRESENT"), inOrder);
    }

    @Test
    void sessionsFromTheSameExportTakeTheLocalDateOfTheStartTimestamp() throws Exception {
        Read sessions = read("session_register_export3.json", SESSIONS);
        assertEquals(4, sessions.accepted.size());
        assertEquals(List.of("1 2026-02-02", "2 2026-02-09", "3 2026-02-16", "4 2026-02-23"), sessions.accepted.stream()
                .map(e -> (SessionHeld) e.getPayload()).map(s -> s.getSessionNumber() + " " + s.getHeldOn()).toList());
    }

    @Test
    void withoutRecordNumberTheRootUuidOrTheOriginalInTheFileLinksAnEdit() throws Exception {
        String export = """
                [{"meta/instanceID": "uuid:a1", "start": "2026-02-02T10:00:00+06:00", "end": "2026-02-02T10:20:00+06:00",
                  "session/cohort_id": "C1", "session/session_number": "1",
                  "register/members": [{"register/members/member_id": "M-1", "register/members/participation": "present"}]},
                 {"meta/instanceID": "uuid:a2", "meta/deprecatedID": "uuid:uuid:a1", "end": "2026-02-03T08:00:00+06:00",
                  "session/cohort_id": "C1", "session/session_number": "1",
                  "register/members": [{"register/members/member_id": "M-1", "register/members/participation": "late"}]},
                 {"meta": {"instanceID": "uuid:b3", "deprecatedID": "uuid:b2", "rootUuid": "uuid:b1"},
                  "end": "2026-02-04T08:00:00+06:00", "session": {"cohort_id": "C1", "session_number": 2},
                  "register/members": [{"register/members/member_id": "M-1", "register/members/participation": "present"}]},
                 {"meta/instanceID": "uuid:b1", "session/cohort_id": "C1", "session/session_number": "2",
                  "register/members": [{"register/members/member_id": "M-1"}]},
                 {"meta/instanceID": "uuid:c3", "meta/deprecatedID": "uuid:c2", "end": "2026-02-05T08:00:00+06:00",
                  "session/cohort_id": "C1", "session/session_number": "3",
                  "register/members": [{"register/members/member_id": "M-1", "register/members/participation": "present"}]}]
                """;
        Read read = read(stream(export), "hand.json", ATTENDANCE);
        assertEquals(4, read.accepted.size());
        FieldEvent a1 = read.accepted.get(0);
        FieldEvent a2 = read.accepted.get(1);
        assertEquals(a1.getRootId(), a2.getRootId(), "uuid:uuid: is stripped to the same instance");
        assertTrue(a2.getRevision() > a1.getRevision());
        assertEquals(read.accepted.get(3).getRootId(), read.accepted.get(2).getRootId(), "rootUuid names the record");
        assertEquals(1, read.rejected.size());
        assertEquals("hand.json:c3", read.rejected.get(0).getSourceRef());
        assertTrue(read.rejected.get(0).getReason().contains("cannot tell which record it edits"));
    }

    @Test
    void editWithoutAnEditTimeIsRejectedRatherThanGuessed() throws Exception {
        String export = """
                {"results": [{"_id": 7, "meta/instanceID": "uuid:e2", "meta/deprecatedID": "uuid:e1",
                  "session/cohort_id": "C1", "session/session_number": "1",
                  "register/members": [{"register/members/member_id": "M-1", "register/members/participation": "present"}]}]}
                """;
        Read read = read(stream(export), "x.json", ATTENDANCE);
        assertEquals(0, read.accepted.size());
        assertTrue(read.rejected.get(0).getReason().startsWith("edited submission without an edit time in end"));
        assertEquals("{\"cohort_id\":\"C1\",\"session_number\":\"1\"}", read.rejected.get(0).getRaw());
    }

    @Test
    void multiSelectGivesAnEnrolmentPerTickedMemberWithConstantSexAndTheSubmissionsLocalDate() throws Exception {
        String export = """
                {"count": 2, "results": [
                 {"_id": 9001, "meta/instanceID": "uuid:f1", "group/cohort_id": "C1", "group/new_members": "M-1 M-4  M-7",
                  "_submission_time": "2026-02-01T20:30:00"},
                 {"_id": 9002, "meta/instanceID": "uuid:f2", "group/cohort_id": "C1", "_submission_time": "2026-02-02T04:00:00"}]}
                """;
        Read read = read(stream(export), "enrol.json", mapping("group_enrolment"));
        assertEquals(3, read.accepted.size());
        for (FieldEvent e : read.accepted) {
            ParticipantEnrolled p = (ParticipantEnrolled) e.getPayload();
            assertEquals(Sex.FEMALE, p.getSex());
            assertEquals(LocalDate.parse("2026-02-02"), p.getEnrolledOn(), "20:30 UTC is the next morning in Dhaka");
        }
        assertEquals(pseudonymizer.personId("M-7"), ((ParticipantEnrolled) read.accepted.get(2).getPayload()).getPersonId());
        assertEquals("enrol.json:f1/3", Submissions.untagged(read.accepted.get(2).getSourceRef()));
        assertEquals(1, read.accepted.stream().map(e -> Submissions.key(e.getSourceRef())).distinct().count(),
                "the enrolments of one submission are tied to it");
        assertEquals(1, read.rejected.size());
        assertTrue(read.rejected.get(0).getReason().startsWith("no choice selected in group/new_members"));
        assertFalse(read.rejected.get(0).getRaw().contains("M-"), read.rejected.get(0).getRaw());
    }

    /**
     * The shape of formpack's {@code grouped_repeatable} fixture (a Kobo form's submissions without server
     * keys: no {@code _id}, a repeat inside a group, {@code start}/{@code end} at -04:00), with other values:
     * six submissions holding 1, 2, 1, 2, 2 and 5 repeat items.
     */
    @Test
    void aRepeatInsideAGroupGivesOneRowPerItemWithConstantsForWhatTheFormDoesNotAsk() throws Exception {
        FormMapping mapping = FormMapping.parse(new ObjectMapper().readTree("""
                {"form_id": "household_visit", "layout": "attendance", "repeat": "household_visit/household_member_repeat",
                 "columns": {"cohort_id": {"const": "C1"}, "session_number": {"const": "1"}, "status": {"const": "present"},
                   "person_key": "household_visit/household_member_repeat/household_member_name"}}
                """), "visit.json");
        Read read = read(getClass().getResourceAsStream("/kobo/grouped_repeat_export.json"), "visits.json", mapping);
        assertEquals(List.of(13, 0), List.of(read.accepted.size(), read.rejected.size()));
        assertEquals(6, read.accepted.stream().map(FieldEvent::getSourceRef).map(r -> r.substring(0, r.indexOf('#'))).distinct().count());
        assertEquals("visits.json:6a1f0c2e-93b4-4d57-8e26-000000000006#5", Submissions.untagged(read.accepted.get(12).getSourceRef()));
        assertEquals(6, read.accepted.stream().map(e -> Submissions.key(e.getSourceRef())).distinct().count(),
                "each visit's members are tied to their visit");
        assertEquals(13, read.accepted.stream().map(FieldEvent::getRootId).distinct().count());
    }

    @Test
    void anEditCanVoidARepeatItemThroughAMappedRetractedColumn() throws Exception {
        FormMapping mapping = FormMapping.parse(new ObjectMapper().readTree("""
                {"form_id": "session_register", "layout": "attendance", "repeat": "register/members", "columns": {
                  "cohort_id": "session/cohort_id", "session_number": "session/session_number",
                  "person_key": "register/members/member_id",
                  "status": {"field": "register/members/participation", "contains": "present", "then": "present", "else": "absent"},
                  "retracted": {"field": "register/members/participation", "contains": "removed"}}}
                """), "m.json");
        String original = """
                [{"_id": 12, "meta/instanceID": "uuid:r1", "end": "2026-02-02T10:20:00+06:00",
                  "session/cohort_id": "C1", "session/session_number": "1",
                  "register/members": [{"register/members/member_id": "M-1", "register/members/participation": "present"},
                                       {"register/members/member_id": "M-9", "register/members/participation": "present"}]}]
                """;
        String edit = original.replace("\"uuid:r1\"", "\"uuid:r2\", \"meta/deprecatedID\": \"uuid:r1\"")
                .replace("10:20:00", "18:00:00").replace("\"M-9\", \"register/members/participation\": \"present\"",
                        "\"M-9\", \"register/members/participation\": \"removed\"");
        Read before = read(stream(original), "a.json", mapping);
        Read after = read(stream(edit), "b.json", mapping);
        assertEquals(2, after.accepted.size());
        FieldEvent voided = after.accepted.get(1);
        assertTrue(voided.getPayload() instanceof RecordRetracted, voided.getPayload().toString());
        assertEquals(before.accepted.get(1).getRootId(), voided.getRootId());
        assertTrue(voided.getRevision() > before.accepted.get(1).getRevision());
    }

    @Test
    void exportsThatAreNotKoboJsonAreUnusable() throws Exception {
        UnusableInputException odata = assertThrows(UnusableInputException.class, () -> KoboExportSource.read(
                stream("{\"@odata.context\": \"x/$metadata#Submissions\", \"value\": []}"), "o.json", ATTENDANCE));
        assertTrue(odata.getMessage().contains("--source odk"), odata.getMessage());
        assertThrows(UnusableInputException.class, () -> KoboExportSource.read(stream("{not json"), "x.json", ATTENDANCE));
        UnusableInputException broken = assertThrows(UnusableInputException.class, () -> KoboExportSource.read(
                stream("{\"results\": [{\"_id\": 1, \"name\": Rokeya Begum}]}"), "x.json", ATTENDANCE));
        assertTrue(broken.getMessage().startsWith("x.json: not a JSON export: unexpected content at line 1, column"),
                broken.getMessage());
        assertFalse(broken.getMessage().contains("Rokeya"), broken.getMessage());
        assertThrows(UnusableInputException.class, () -> FormMapping.load("no_such_form"));
    }

    /** Accepted events and rejections of one export. */
    private record Read(List<FieldEvent> accepted, List<RejectedRecord> rejected) {
    }

    private Read read(String resource, FormMapping mapping) throws Exception {
        return read(getClass().getResourceAsStream("/kobo/" + resource), resource, mapping);
    }

    private Read read(InputStream export, String name, FormMapping mapping) throws Exception {
        List<FieldEvent> accepted = new ArrayList<>();
        List<RejectedRecord> rejected = new ArrayList<>();
        try (FormExportSource source = KoboExportSource.read(export, name, mapping)) {
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

    private FieldEvent find(Read read, int session, String member) {
        String person = pseudonymizer.personId(member);
        return read.accepted.stream().filter(e -> e.getPayload() instanceof AttendanceRecorded a
                && a.getSessionNumber() == session && a.getPersonId().equals(person)).findFirst().orElseThrow();
    }

    /** The current status of every attendance record after applying the exports' events in the given order. */
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

    private static FormMapping mapping(String name) {
        try {
            return FormMapping.load(name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
