package org.fieldstream.streams;

import java.time.Instant;
import java.time.LocalDate;

import org.fieldstream.events.AttendanceRecorded;
import org.fieldstream.events.AttendanceStatus;
import org.fieldstream.events.DialogueAttended;
import org.fieldstream.events.DialogueHeld;
import org.fieldstream.events.DialogueKind;
import org.fieldstream.events.ExitReason;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.ParticipantEnrolled;
import org.fieldstream.events.ParticipantExited;
import org.fieldstream.events.RecordRetracted;
import org.fieldstream.events.SessionHeld;
import org.fieldstream.events.Sex;
import org.fieldstream.events.TrainingCohortRegistered;

/** Builds field events for tests; root ids name the record, event ids are root id + revision. */
public final class TestEvents {

    final String program;
    final String partner;
    final String orgUnit;
    private long clock = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    TestEvents(String program, String partner, String orgUnit) {
        this.program = program;
        this.partner = partner;
        this.orgUnit = orgUnit;
    }

    FieldEvent event(String aggregate, String rootId, int revision, Object payload) {
        clock += 1000;
        return event(aggregate, rootId, revision, payload, Instant.ofEpochMilli(clock));
    }

    FieldEvent event(String aggregate, String rootId, int revision, Object payload, Instant occurredAt) {
        return FieldEvent.newBuilder().setEventId(rootId + "#" + revision).setRootId(rootId).setRevision(revision)
                .setProgramId(program).setPartnerId(partner).setOrgUnitId(orgUnit).setAggregateId(aggregate)
                .setOccurredAt(occurredAt).setReceivedAt(occurredAt).setSource("test").setSourceRef(rootId)
                .setPayload(payload).build();
    }

    FieldEvent registered(String cohort, int planned, LocalDate start) {
        return event(cohort, cohort + "/reg", 1, TrainingCohortRegistered.newBuilder().setCohortId(cohort).setTopic("t")
                .setPlannedSessions(planned).setStartDate(start).setEndDate(null).setTargetGroup(null).build());
    }

    FieldEvent enrolled(String cohort, String person, Sex sex, Integer age, LocalDate on) {
        return enrolled(cohort, person, sex, age, on, 1);
    }

    FieldEvent enrolled(String cohort, String person, Sex sex, Integer age, LocalDate on, int revision) {
        return event(cohort, enrolmentRoot(cohort, person), revision, ParticipantEnrolled.newBuilder().setCohortId(cohort)
                .setPersonId(person).setSex(sex).setBirthYear(null).setAge(age).setEnrolledOn(on).build());
    }

    static String enrolmentRoot(String cohort, String person) {
        return cohort + "/enrol/" + person;
    }

    FieldEvent held(String cohort, int session, LocalDate on) {
        return held(cohort, session, on, 1);
    }

    FieldEvent held(String cohort, int session, LocalDate on, int revision) {
        return event(cohort, cohort + "/session/" + session, revision, SessionHeld.newBuilder().setCohortId(cohort)
                .setSessionNumber(session).setHeldOn(on).build());
    }

    FieldEvent attended(String cohort, int session, String person, AttendanceStatus status) {
        return attended(cohort, session, person, status, 1);
    }

    FieldEvent attended(String cohort, int session, String person, AttendanceStatus status, int revision) {
        return event(cohort, attendanceRoot(cohort, session, person), revision, AttendanceRecorded.newBuilder()
                .setCohortId(cohort).setSessionNumber(session).setPersonId(person).setStatus(status).build());
    }

    static String attendanceRoot(String cohort, int session, String person) {
        return cohort + "/att/" + session + "/" + person;
    }

    FieldEvent present(String cohort, int session, String person) {
        return attended(cohort, session, person, AttendanceStatus.PRESENT);
    }

    FieldEvent absent(String cohort, int session, String person) {
        return attended(cohort, session, person, AttendanceStatus.ABSENT);
    }

    FieldEvent exited(String cohort, String person, ExitReason reason) {
        return event(cohort, cohort + "/exit/" + person, 1, ParticipantExited.newBuilder().setCohortId(cohort)
                .setPersonId(person).setReason(reason).setExitedOn(null).build());
    }

    FieldEvent dialogueHeld(String dialogue, DialogueKind kind, LocalDate on) {
        return event(dialogue, dialogue + "/held", 1, DialogueHeld.newBuilder().setDialogueId(dialogue).setKind(kind)
                .setTopic("water").setHeldOn(on).build());
    }

    FieldEvent dialogueAttended(String dialogue, String rootSuffix, String person, String role, Sex sex, Integer age) {
        return event(dialogue, dialogue + "/att/" + rootSuffix, 1, DialogueAttended.newBuilder().setDialogueId(dialogue)
                .setPersonId(person).setRole(role).setSex(sex).setAge(age).build());
    }

    FieldEvent retract(String aggregate, String rootId, int revision) {
        return event(aggregate, rootId, revision, RecordRetracted.newBuilder().setReason("test").build());
    }
}
