package org.fieldstream.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.fieldstream.events.AttendanceRecorded;
import org.fieldstream.events.AttendanceStatus;
import org.fieldstream.events.DialogueAttended;
import org.fieldstream.events.ExitReason;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.ParticipantEnrolled;
import org.fieldstream.events.ParticipantExited;
import org.fieldstream.events.RecordRetracted;
import org.fieldstream.events.RejectedRecord;
import org.fieldstream.events.Sex;
import org.fieldstream.events.TrainingCohortRegistered;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RowConverterTest {

    private final Fixture fixture = new Fixture();

    private static final String COHORTS = "cohort_id,topic,planned_sessions,start_date,org_unit_id,end_date\n";
    private static final String ENROL = "cohort_id,person_key,sex,enrolled_on,birth_year,age,name,phone\n";
    private static final String ATTEND = "cohort_id,session_number,person_key,status\n";
    private static final String SESSIONS = "cohort_id,session_number,held_on\n";
    private static final String EXITS = "cohort_id,person_key,reason,exited_on\n";
    private static final String DIALOGUES = "dialogue_id,kind,topic,held_on,org_unit_id\n";
    private static final String DATT = "dialogue_id,attendee_no,role,sex,person_key,age\n";
    private static final String DATT_NAMED = "dialogue_id,attendee_no,name,role,sex,person_key,phone\n";
    private static final String OWN_DATA = "; personal data is never published";

    static Stream<Arguments> badRows() {
        return Stream.of(
                Arguments.of("missing required", COHORTS + "C2,,6,2026-02-01,U1,", "topic", "required value is missing"),
                Arguments.of("not a number", COHORTS + "C2,t,six,2026-02-01,U1,", "planned_sessions", "'six' is not a whole number"),
                Arguments.of("zero sessions", COHORTS + "C2,t,0,2026-02-01,U1,", "planned_sessions", "0 is outside 1..1000"),
                Arguments.of("bad date", COHORTS + "C2,t,6,01/02/2026,U1,", "start_date", "'01/02/2026' is not a date yyyy-MM-dd"),
                Arguments.of("before program start", COHORTS + "C2,t,6,2025-12-31,U1,", "start_date", "2025-12-31 is before the program start 2026-01-01"),
                Arguments.of("in the future", COHORTS + "C2,t,6,2026-03-13,U1,", "start_date", "2026-03-13 is in the future (latest accepted 2026-03-12)"),
                Arguments.of("end before start", COHORTS + "C2,t,6,2026-02-10,U1,2026-02-01", "end_date", "2026-02-01 is before start_date 2026-02-10"),
                Arguments.of("bad sex", ENROL + "C1,K1,woman,2026-02-01,,,,", "sex", "'woman' is not one of female, male, other, unknown"),
                Arguments.of("unknown cohort", ENROL + "C7,K1,f,2026-02-01,,,,", "cohort_id", "unknown cohort C7 of partner X"),
                Arguments.of("other partner's cohort", ENROL + "C9,K1,f,2026-02-01,,,,", "cohort_id", "unknown cohort C9 of partner X"),
                Arguments.of("other program's cohort", ENROL + "C8,K1,f,2026-02-01,,,,", "cohort_id", "unknown cohort C8 of partner X"),
                Arguments.of("id with a key separator", ENROL + "C1|x,K1,f,2026-02-01,,,,", "cohort_id", "an id has 1 to 80"),
                Arguments.of("age out of range", ENROL + "C1,K1,f,2026-02-01,,130,,", "age", "130 is outside 0..120"),
                Arguments.of("birth year in future", ENROL + "C1,K1,f,2026-02-01,2030,,,", "birth_year", "2030 is outside 1900..2026"),
                Arguments.of("session beyond planned", ATTEND + "C1,7,K1,present", "session_number", "7 is outside 1..6 (the cohort's planned sessions)"),
                Arguments.of("session zero", SESSIONS + "C1,0,2026-02-09", "session_number", "0 is outside 1.."),
                Arguments.of("bad status", ATTEND + "C1,2,K1,late", "status", "'late' is not one of absent, excused, present"),
                Arguments.of("missing person key", ATTEND + "C1,2,,present", "person_key", "required value is missing"),
                Arguments.of("bad exit reason", EXITS + "C1,K1,moved,", "reason", "'moved' is not one of completed, dropped_out, other, transferred"),
                Arguments.of("bad exit date", EXITS + "C1,K1,other,2026-13-01", "exited_on", "'2026-13-01' is not a date"),
                Arguments.of("bad kind", DIALOGUES + "D2,town_hall,t,2026-02-01,U1", "kind", "'town_hall' is not one of annual_general_meeting"),
                Arguments.of("attendee not a number", DATT + "D1,twelve,official,m,,", "attendee_no", "'twelve' is not a whole number"),
                Arguments.of("unknown dialogue", DATT + "D5,1,official,m,,", "dialogue_id", "unknown dialogue D5"),
                Arguments.of("bad revision", "cohort_id,session_number,held_on,revision\nC1,2,2026-02-09,0", "revision", "0 is outside 1.."),
                Arguments.of("bad retracted flag", "cohort_id,session_number,held_on,retracted\nC1,2,2026-02-09,maybe", "retracted", "is not a flag"),
                Arguments.of("wrong field count", SESSIONS + "C1,2,2026-02-09,extra", null, "row has 4 fields, the header has 3"),
                Arguments.of("claims other partner", "cohort_id,session_number,held_on,partner_id\nC1,2,2026-02-09,Y", "partner_id", "row is for partner Y, this ingest is for X"),
                Arguments.of("claims other program", "cohort_id,session_number,held_on,program_id\nC1,2,2026-02-09,P2", "program_id", "row is for program P2, this ingest is for P1"),
                Arguments.of("end date past ClickHouse's calendar", COHORTS + "C2,t,6,2026-02-01,U1,9999-12-31", "end_date", "9999-12-31 is outside 1970-01-01..2105-12-31"),
                Arguments.of("org unit not an id", COHORTS + "C2,t,6,2026-02-01,<script>x</script>,", "org_unit_id", "an id has 1 to 80"),
                Arguments.of("topic too long", COHORTS + "C2," + "t".repeat(501) + ",6,2026-02-01,U1,", "topic", "longer than 500 characters"),
                Arguments.of("phone in a free-text column", DATT + "D1,4,01711234567,m,,", "role", "looks like a phone number or national id"),
                Arguments.of("attendee number past its bound", DATT + "D1,2000000,official,m,,", "attendee_no", "2000000 is outside 1..1000000"),
                Arguments.of("session number past 1000", SESSIONS + "C1,999999,2026-02-09", "session_number", "999999 is outside 1..1000"),
                Arguments.of("person key too long", ATTEND + "C1,2," + "k".repeat(201) + ",present", "person_key", "longer than 200 characters"),
                Arguments.of("quote left open", ATTEND + "C1,2,\"K1,present", "person_key", "not closed on its line"),
                Arguments.of("role repeats the row's name", DATT_NAMED + "D1,4,Rokeya Begum,chair Rokeya Begum,f,PK-1,",
                        "role", "repeats the row's name" + OWN_DATA),
                Arguments.of("role repeats a token of the name", DATT_NAMED + "D1,4,Rokeya Begum,Begum's deputy,f,,",
                        "role", "repeats the row's name" + OWN_DATA),
                Arguments.of("role repeats the name in another case", DATT_NAMED + "D1,4,Rokeya Begum,ROKEYA,f,,",
                        "role", "repeats the row's name" + OWN_DATA),
                Arguments.of("role repeats the person key", DATT + "D1,4,member pk-77,f,PK-77,", "role",
                        "repeats the row's person key" + OWN_DATA),
                Arguments.of("role repeats a short phone", DATT_NAMED + "D1,4,,call 55123,f,,55123", "role",
                        "repeats the row's phone" + OWN_DATA),
                Arguments.of("Last, First unquoted shifts into role", "dialogue_id,attendee_no,name,role,sex,age\n"
                        + "D1,5,Begum, Rokeya,f,30", "role", "may be the rest of the previous column split by an unquoted comma"),
                Arguments.of("NUL in a topic", COHORTS + "C2,t\u0000x,6,2026-02-01,U1,", "topic",
                        "holds a control character (U+0000 at character 2)"),
                Arguments.of("tab in a role", DATT + "D1,4,vice\tchair,m,,", "role", "holds a control character (U+0009"),
                Arguments.of("DEL in a person key", ATTEND + "C1,2,K\u007F1,present", "person_key", "U+007F at character 2"),
                Arguments.of("retracted session number in hex", "cohort_id,session_number,held_on,retracted\nC1,0x10,,1",
                        "session_number", "is not a whole number"),
                Arguments.of("retracted session number past int", "cohort_id,session_number,held_on,retracted\nC1,2147483648,,1",
                        "session_number", "is not a whole number in 1..1000"),
                Arguments.of("retracted session number past 1000", "cohort_id,session_number,person_key,status,retracted\nC1,1001,K1,,1",
                        "session_number", "1001 is outside 1..1000"),
                Arguments.of("retracted attendee number not whole", "dialogue_id,attendee_no,role,sex,retracted\nD1,1.5,,,1",
                        "attendee_no", "'1.5' is not a whole number"),
                Arguments.of("retracted attendee number zero", "dialogue_id,attendee_no,role,sex,retracted\nD1,0,,,yes",
                        "attendee_no", "0 is outside 1..1000000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRows")
    void rejectsNamingLineFieldAndReason(String name, String csv, String field, String reason) {
        Outcome outcome = fixture.one(csv);
        Outcome.Rejected rejected = assertInstanceOf(Outcome.Rejected.class, outcome, name);
        RejectedRecord r = rejected.record();
        assertEquals("f.csv:2", r.getSourceRef());
        assertEquals(field, r.getField());
        assertTrue(r.getReason().contains(reason), r.getReason());
        assertEquals("P1", r.getProgramId());
        assertEquals("X", r.getPartnerId());
        assertEquals("csv", r.getSource());
        assertEquals(Fixture.NOW, r.getRejectedAt());
        assertTrue(rejected.describe().startsWith("f.csv:2 " + (field == null ? "row" : field) + ": "), rejected.describe());
    }

    @Test
    void eachRejectionCarriesTheReasonCodeOfTheRuleThatMadeIt() {
        Map<String, String> codes = new java.util.LinkedHashMap<>();
        codes.put(ATTEND + "C1,7,K1,present", "session_above_planned");
        codes.put(ATTEND + "C1,2,K1,late", "not_allowed_value");
        codes.put(ATTEND + "C1,2,,present", "missing_value");
        codes.put(EXITS + "C1,K1,other,2026-13-01", "not_a_date");
        codes.put(DATT + "D1,twelve,official,m,,", "not_a_number");
        codes.put(DATT + "D5,1,official,m,,", "unknown_dialogue");
        codes.put("cohort_id,session_number,held_on,partner_id\nC1,2,2026-02-09,Y", "other_partner");
        codes.put(COHORTS + "C2,t\u0000x,6,2026-02-01,U1,", "control_character");
        codes.put(DATT + "D1,4,01711234567,m,,", "personal_identifier");
        codes.forEach((csv, code) -> assertEquals(code, ((Outcome.Rejected) fixture.one(csv)).record().getReasonCode(), csv));
        // a malformed line has no rule of its own: the sink reads its code from the wording
        assertNull(((Outcome.Rejected) fixture.one(SESSIONS + "C1,2,2026-02-09,extra")).record().getReasonCode());
    }

    @Test
    void unknownCohortIsAcceptedWhenConfiguredSoButKnownOnesAreStillChecked() {
        Fixture f = new Fixture();
        RowConverter lenient = new RowConverter("P1", "X", "csv", Fixture.START, f.pseudonymizer, f.known, 2, false, Fixture.CLOCK);
        Outcome early = Fixture.csvRows("f.csv", ENROL + "C7,K1,f,2026-02-01,,,,").stream().map(lenient::convert).findFirst().orElseThrow();
        FieldEvent e = assertInstanceOf(Outcome.Accepted.class, early).event();
        assertNull(e.getOrgUnitId());
        assertEquals("P1/X/C7", e.getAggregateId());
        Outcome other = Fixture.csvRows("f.csv", ENROL + "C9,K1,f,2026-02-01,,,,").stream().map(lenient::convert).findFirst().orElseThrow();
        assertEquals("P1/X/C9", assertInstanceOf(Outcome.Accepted.class, other).event().getAggregateId(),
                "another partner's cohort id names this partner's own (unregistered) cohort, never theirs");
    }

    @Test
    void anotherPartnersCohortIdIsAnsweredExactlyLikeAnIdNobodyUses() {
        Outcome.Rejected theirs = (Outcome.Rejected) fixture.one(ENROL + "C9,K1,f,2026-02-01,,,,");
        Outcome.Rejected nobodys = (Outcome.Rejected) fixture.one(ENROL + "C7,K1,f,2026-02-01,,,,");
        assertEquals(nobodys.record().getReason().replace("C7", "C9"), theirs.record().getReason());
        assertFalse(theirs.foreign());
        assertTrue(((Outcome.Rejected) fixture.one("cohort_id,session_number,held_on,partner_id\nC1,2,2026-02-09,Y")).foreign());
    }

    @Test
    void rejectedRowsCarryNoPersonalData() {
        Outcome.Rejected r = (Outcome.Rejected) fixture.one(ENROL + "C1,PK-SECRET-77,woman,2026-02-01,,,Rahima Begum,01711000000");
        String raw = r.record().getRaw();
        assertFalse(raw.contains("PK-SECRET-77"), raw);
        assertFalse(raw.contains("Rahima"), raw);
        assertFalse(raw.contains("01711000000"), raw);
        assertTrue(raw.contains("\"sex\":\"woman\""), raw);
        assertTrue(raw.contains("\"person_key\":\"[redacted]\""), raw);
        Outcome.Rejected badKey = (Outcome.Rejected) fixture.one("cohort_id,person_key,sex,enrolled_on,age\nC1,PK-SECRET-77,f,2026-02-01,old");
        assertFalse(badKey.record().getReason().contains("PK-SECRET-77"));
    }

    @Test
    void aNameWithAnUnquotedCommaShiftsTheRowAndEveryShiftedPersonalValueIsHidden() {
        Outcome.Rejected r = (Outcome.Rejected) fixture.one("cohort_id,name,person_key,phone,sex,enrolled_on,national_id\n"
                + "C1,Begum, Rokeya,PK-SHIFT-1,01711234567,f,2026-02-01,1990123456789");
        String raw = r.record().getRaw();
        for (String personal : List.of("Begum", "Rokeya", "PK-SHIFT-1", "01711234567", "1990123456789")) {
            assertFalse(raw.contains(personal), raw);
            assertFalse(r.record().getReason().contains(personal), r.record().getReason());
        }
        assertTrue(raw.contains("\"cohort_id\":\"C1\""), raw);
        assertTrue(r.record().getReason().contains("row has 8 fields, the header has 7"), r.record().getReason());
    }

    @Test
    void aPersonKeyShiftedIntoAnEnumColumnIsNeverQuoted() {
        Outcome.Rejected r = (Outcome.Rejected) fixture.one("cohort_id,person_key,status,session_number\nC1,,PK-SHIFT-2,1,extra");
        assertFalse(r.record().getRaw().contains("PK-SHIFT-2"), r.record().getRaw());
        Outcome.Rejected typed = (Outcome.Rejected) fixture.one(ATTEND + "C1,1,K1,01711234567");
        assertEquals("'[redacted]' is not one of absent, excused, present", typed.record().getReason());
        assertFalse(typed.record().getRaw().contains("01711234567"), typed.record().getRaw());
    }

    @Test
    void unknownOrgUnitsAndDatesPastTheProgramEndAreRefusedWhereTheReferenceIsKnown() {
        ProgramCatalog catalog = new ProgramCatalog().addProgram("P1", Fixture.START).endProgram("P1", LocalDate.parse("2026-06-30"))
                .addPartner("X", "P1").addOrgUnit("U1");
        RowConverter checked = new RowConverter("P1", "X", "csv", catalog, fixture.pseudonymizer, fixture.known, 2, true, Fixture.CLOCK);
        Outcome unknown = Fixture.csvRows("f.csv", COHORTS + "C2,t,6,2026-02-01,U9,").stream().map(checked::convert).findFirst().orElseThrow();
        assertEquals("unknown org unit U9 (not in the reference org units)", ((Outcome.Rejected) unknown).record().getReason());
        Outcome late = Fixture.csvRows("f.csv", COHORTS + "C2,t,6,2026-02-01,U1,2026-07-01").stream().map(checked::convert).findFirst().orElseThrow();
        assertEquals("2026-07-01 is after the program end 2026-06-30", ((Outcome.Rejected) late).record().getReason());
        Outcome ok = Fixture.csvRows("f.csv", COHORTS + "C2,t,6,2026-02-01,U1,2026-06-30").stream().map(checked::convert).findFirst().orElseThrow();
        assertInstanceOf(Outcome.Accepted.class, ok);
    }

    @Test
    void extraColumnsAreDroppedFromEventsAndRejections() {
        Outcome.Rejected r = (Outcome.Rejected) fixture.one("cohort_id,person_key,sex,enrolled_on,mother_name\nC1,K1,x,2026-02-01,Amina");
        assertFalse(r.record().getRaw().contains("Amina"), r.record().getRaw());
    }

    @Test
    void cohortBecomesRegisteredEventDatedAtStartOfDayInDhaka() {
        FieldEvent e = ((Outcome.Accepted) fixture.one(COHORTS + "C2,নারী নেতৃত্ব,6,2026-02-10,U5,2026-04-30")).event();
        TrainingCohortRegistered p = (TrainingCohortRegistered) e.getPayload();
        assertEquals("নারী নেতৃত্ব", p.getTopic());
        assertEquals(6, p.getPlannedSessions());
        assertEquals(LocalDate.parse("2026-04-30"), p.getEndDate());
        assertEquals("P1/X/C2", e.getAggregateId());
        assertEquals("U5", e.getOrgUnitId());
        assertEquals(Instant.parse("2026-02-09T18:00:00Z"), e.getOccurredAt());
        assertEquals(Fixture.NOW, e.getReceivedAt());
        assertEquals(1, e.getRevision());
        assertEquals("f.csv:2", e.getSourceRef());
        assertEquals(RecordIds.rootId("P1", "X", "cohorts", "C2"), e.getRootId());
        assertEquals(RecordIds.eventId("X", e.getRootId(), 1, PayloadBytes.of(p)), e.getEventId());
    }

    @Test
    void enrolmentPseudonymisesThePersonAndTakesTheCohortsOrgUnit() {
        FieldEvent e = ((Outcome.Accepted) fixture.one(ENROL + "C1, K-1 ,F,2026-02-01,1999,,Rahima,0171")).event();
        ParticipantEnrolled p = (ParticipantEnrolled) e.getPayload();
        assertEquals(fixture.pseudonymizer.personId("K-1"), p.getPersonId());
        assertEquals(Sex.FEMALE, p.getSex());
        assertEquals(1999, p.getBirthYear());
        assertNull(p.getAge());
        assertEquals("U1", e.getOrgUnitId());
        assertEquals(RecordIds.rootId("P1", "X", "enrolments", RecordIds.joinKey("C1", p.getPersonId())), e.getRootId());
    }

    @Test
    void attendanceIsDatedByItsSessionWhenKnownElseByReceiveTime() {
        FieldEvent known = ((Outcome.Accepted) fixture.one(ATTEND + "C1,1,K1,Present")).event();
        assertEquals(Instant.parse("2026-02-01T18:00:00Z"), known.getOccurredAt());
        assertEquals(AttendanceStatus.PRESENT, ((AttendanceRecorded) known.getPayload()).getStatus());
        FieldEvent unknown = ((Outcome.Accepted) fixture.one(ATTEND + "C1,2,K1,absent")).event();
        assertEquals(Fixture.NOW, unknown.getOccurredAt());
    }

    @Test
    void exitWithoutDateIsDatedByReceiveTime() {
        FieldEvent e = ((Outcome.Accepted) fixture.one(EXITS + "C1,K1,dropped_out,")).event();
        assertEquals(ExitReason.DROPPED_OUT, ((ParticipantExited) e.getPayload()).getReason());
        assertEquals(Fixture.NOW, e.getOccurredAt());
    }

    @Test
    void dialogueAttendeeWithoutPersonKeyHasNoPersonId() {
        FieldEvent e = ((Outcome.Accepted) fixture.one(DATT + "D1,3,upazila officer,m,,")).event();
        DialogueAttended p = (DialogueAttended) e.getPayload();
        assertNull(p.getPersonId());
        assertEquals("upazila officer", p.getRole());
        assertEquals(Instant.parse("2026-01-31T18:00:00Z"), e.getOccurredAt());
    }

    @Test
    void correctionKeepsTheRootAndChangesTheEventId() {
        List<Outcome> outcomes = fixture.convert("f.csv",
                "cohort_id,session_number,held_on,revision,retracted\nC1,2,2026-02-09,,\nC1,2,2026-02-10,2,\nC1,2,,3,1\n");
        FieldEvent first = ((Outcome.Accepted) outcomes.get(0)).event();
        FieldEvent second = ((Outcome.Accepted) outcomes.get(1)).event();
        FieldEvent retraction = ((Outcome.Accepted) outcomes.get(2)).event();
        assertEquals(first.getRootId(), second.getRootId());
        assertEquals(first.getRootId(), retraction.getRootId());
        assertNotEquals(first.getEventId(), second.getEventId());
        assertEquals(2, second.getRevision());
        assertEquals(3, retraction.getRevision());
        assertInstanceOf(RecordRetracted.class, retraction.getPayload());
        assertEquals("P1/X/C1", retraction.getAggregateId());
    }

    @Test
    void aFreeTextValueRepeatingTheRowsPersonalDataIsHiddenInTheRejection() {
        Outcome.Rejected r = (Outcome.Rejected) fixture.one(DATT_NAMED + "D1,4,Rokeya Begum,Begum's deputy,f,PK-9,01711000009");
        String shown = r.record().getRaw() + " " + r.record().getReason() + " " + r.describe();
        for (String personal : List.of("Begum", "Rokeya", "PK-9", "01711000009")) {
            assertFalse(shown.contains(personal), shown);
        }
        assertTrue(r.record().getRaw().contains("\"role\":\"[redacted]\""), r.record().getRaw());
        Outcome.Rejected shifted = (Outcome.Rejected) fixture.one("dialogue_id,attendee_no,name,role,sex,age\nD1,5,Begum, Rokeya,f,30");
        assertFalse(shifted.record().getRaw().contains("Rokeya"), shifted.record().getRaw());
        assertFalse(shifted.record().getRaw().contains("Begum"), shifted.record().getRaw());
    }

    @Test
    void freeTextThatOnlyResemblesTheRowsPersonalDataIsAccepted() {
        for (String row : List.of("D1,4,Rokeya Begum,Begumpur union member,f,PK-1,", "D1,4,Md Ali,md of the committee,m,,",
                "D1,4,Rokeya Begum,chair,f,,")) {
            assertInstanceOf(Outcome.Accepted.class, fixture.one(DATT_NAMED + row), row);
        }
        assertInstanceOf(Outcome.Accepted.class, fixture.one("dialogue_id, attendee_no, name, role, sex, age\n"
                + "D1, 5, Rokeya Begum, chair, f, 30"), "a row spaced after every comma");
        assertInstanceOf(Outcome.Accepted.class, fixture.one("dialogue_id,attendee_no,name,role,sex,age\n"
                + "D1,5,\"Begum, Rokeya\", chair,f,30"), "a quoted name followed by a spaced value");
        assertInstanceOf(Outcome.Accepted.class, fixture.one("dialogue_id,attendee_no,name,sex,role\n"
                + "D1,5,Begum, f,chair"), "a spaced typed value after a name is not refused, only hidden if rejected");
    }

    @Test
    void aRetractionWritesItsKeyNumbersAsTheLayoutDoes() {
        List<Outcome> outcomes = fixture.convert("f.csv",
                "cohort_id,session_number,held_on,retracted\nC1,2,2026-02-09,\nC1,02,,1\n");
        assertEquals(((Outcome.Accepted) outcomes.get(0)).event().getRootId(),
                ((Outcome.Accepted) outcomes.get(1)).event().getRootId());
    }

    @Test
    void sameRowsGiveSameIdsOnEveryIngest() {
        String csv = ENROL + "C1,K1,f,2026-02-01,,,,\nC1,K2,m,2026-02-01,,30,,\n";
        List<String> first = eventIds(new Fixture().convert("f.csv", csv));
        List<String> second = eventIds(new Fixture().convert("f.csv", csv));
        assertEquals(first, second);
        assertEquals(2, first.stream().distinct().count());
    }

    private static List<String> eventIds(List<Outcome> outcomes) {
        return outcomes.stream().map(o -> ((Outcome.Accepted) o).event().getEventId()).toList();
    }
}
