package org.fieldstream.producers.kobo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.fieldstream.events.AttendanceRecorded;
import org.fieldstream.events.AttendanceStatus;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.producers.KnownAggregates;
import org.fieldstream.producers.Outcome;
import org.fieldstream.producers.Pseudonymizer;
import org.fieldstream.producers.RowConverter;
import org.fieldstream.producers.SourceRow;
import org.fieldstream.producers.UnusableInputException;
import org.junit.jupiter.api.Test;

class KoboExportSourceTest {

    private final KnownAggregates known = new KnownAggregates(100);
    private final Pseudonymizer pseudonymizer = new Pseudonymizer("P1", "kobo-test-secret-000001".getBytes(StandardCharsets.UTF_8));
    private final RowConverter converter;

    KoboExportSourceTest() {
        known.putCohort("P1/X/C1", new KnownAggregates.Cohort("P1", "X", "U1", 6, LocalDate.parse("2026-02-01")));
        converter = new RowConverter("P1", "X", "kobo", LocalDate.parse("2026-01-01"), pseudonymizer, known, 2,
                Clock.fixed(Instant.parse("2026-03-10T06:00:00Z"), ZoneOffset.UTC));
    }

    private List<FieldEvent> events(InputStream export) throws Exception {
        FormMapping mapping = FormMapping.load("attendance_register");
        List<FieldEvent> events = new ArrayList<>();
        try (KoboExportSource source = KoboExportSource.read(export, "export.json", mapping)) {
            for (SourceRow row = source.next(); row != null; row = source.next()) {
                events.add(assertInstanceOf(Outcome.Accepted.class, converter.convert(row), row.sourceRef()).event());
            }
        }
        return events;
    }

    @Test
    void editedSubmissionIsANewRevisionOfTheSameRecords() throws Exception {
        List<FieldEvent> events = events(getClass().getResourceAsStream("/kobo/attendance_register_export.json"));
        // submission 1: two participants; submission 2 (edit of 1): same two, one status changed; submission 3: other session
        assertEquals(5, events.size());
        FieldEvent original = events.get(1);
        FieldEvent edited = events.get(3);
        assertEquals(original.getRootId(), edited.getRootId());
        assertEquals(1, original.getRevision());
        assertEquals(2, edited.getRevision());
        assertNotEquals(original.getEventId(), edited.getEventId());
        assertEquals(AttendanceStatus.ABSENT, ((AttendanceRecorded) original.getPayload()).getStatus());
        assertEquals(AttendanceStatus.PRESENT, ((AttendanceRecorded) edited.getPayload()).getStatus());
        assertEquals(pseudonymizer.personId("BRAC-M-0002"), ((AttendanceRecorded) edited.getPayload()).getPersonId());
        assertEquals("export.json:8a1b2c3d-0000-4000-8000-000000000002#2", edited.getSourceRef());
        assertEquals(events.get(0).getRootId(), events.get(2).getRootId());
        assertNotEquals(events.get(0).getRootId(), events.get(1).getRootId(), "participants of one submission are separate records");
        assertNotEquals(events.get(0).getRootId(), events.get(4).getRootId());
    }

    @Test
    void editAloneInALaterExportStillRaisesTheRevision() throws Exception {
        String later = """
                {"results": [{"_uuid": "e2", "meta/instanceID": "uuid:e2", "meta/deprecatedID": "uuid:e1",
                  "session/cohort_id": "C1", "session/session_number": "1",
                  "participants": [{"participants/member_id": "M-1", "participants/status": "p"}]}]}
                """;
        String first = """
                [{"_uuid": "e1", "meta/instanceID": "uuid:e1", "session/cohort_id": "C1", "session/session_number": "1",
                  "participants": [{"participants/member_id": "M-1", "participants/status": "a"}]}]
                """;
        FieldEvent v1 = events(stream(first)).get(0);
        FieldEvent v2 = events(stream(later)).get(0);
        assertEquals(v1.getRootId(), v2.getRootId());
        assertEquals(v1.getRevision() + 1, v2.getRevision());
    }

    @Test
    void rootUuidNamesTheRecordWhenPresent() throws Exception {
        String nested = """
                [{"meta": {"instanceID": "uuid:z3", "deprecatedID": "uuid:z2", "rootUuid": "uuid:z1"},
                  "session": {"cohort_id": "C1", "session_number": 2},
                  "participants": [{"participants/member_id": "M-1", "participants/status": "e"}]},
                 {"meta": {"instanceID": "uuid:z1"}, "session": {"cohort_id": "C1", "session_number": 2},
                  "participants": [{"participants/member_id": "M-1", "participants/status": "p"}]}]
                """;
        List<FieldEvent> events = events(stream(nested));
        assertEquals(events.get(1).getRootId(), events.get(0).getRootId());
        assertEquals(2, events.get(0).getRevision());
        assertEquals(AttendanceStatus.EXCUSED, ((AttendanceRecorded) events.get(0).getPayload()).getStatus());
    }

    @Test
    void exportThatIsNotJsonIsUnusable() {
        assertThrows(UnusableInputException.class,
                () -> KoboExportSource.read(stream("{not json"), "x.json", FormMapping.load("attendance_register")));
        assertThrows(UnusableInputException.class, () -> FormMapping.load("no_such_form"));
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
