package org.fieldstream.sink;

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
import org.fieldstream.metrics.CohortRetention;
import org.fieldstream.metrics.DialogueAttendance;
import org.fieldstream.metrics.DialogueSummary;
import org.fieldstream.metrics.OutreachCount;
import org.fieldstream.metrics.ParticipantProgress;
import org.fieldstream.metrics.RetentionCurvePoint;
import org.fieldstream.reference.OrgUnit;
import org.fieldstream.reference.Partner;
import org.fieldstream.reference.Program;
import org.fieldstream.reference.Target;

/** Hand-made events, metrics and reference records for tests. */
final class Samples {

    static final Instant T0 = Instant.parse("2026-03-02T08:15:30.250Z");
    static final LocalDate D0 = LocalDate.of(2026, 3, 2);

    private Samples() {
    }

    static FieldEvent event(String eventId, String rootId, int revision, String cohort, Object payload) {
        return FieldEvent.newBuilder()
                .setEventId(eventId).setRootId(rootId).setRevision(revision)
                .setProgramId("P1").setPartnerId("PN1").setOrgUnitId(null).setAggregateId(cohort)
                .setOccurredAt(T0).setReceivedAt(T0.plusSeconds(60))
                .setSource("csv").setSourceRef("file.csv:2")
                .setPayload(payload).build();
    }

    static TrainingCohortRegistered cohort(String cohort) {
        return TrainingCohortRegistered.newBuilder().setCohortId(cohort).setTopic("লিঙ্গ সমতা — gender equality")
                .setPlannedSessions(8).setStartDate(D0).setEndDate(null).setTargetGroup("youth").build();
    }

    static ParticipantEnrolled enrolled(String cohort, String person) {
        return ParticipantEnrolled.newBuilder().setCohortId(cohort).setPersonId(person).setSex(Sex.FEMALE)
                .setBirthYear(2004).setAge(null).setEnrolledOn(D0).build();
    }

    static SessionHeld session(String cohort, int number) {
        return SessionHeld.newBuilder().setCohortId(cohort).setSessionNumber(number).setHeldOn(D0.plusDays(7L * number)).build();
    }

    static AttendanceRecorded attendance(String cohort, int session, String person) {
        return AttendanceRecorded.newBuilder().setCohortId(cohort).setSessionNumber(session).setPersonId(person)
                .setStatus(AttendanceStatus.PRESENT).build();
    }

    static ParticipantExited exited(String cohort, String person) {
        return ParticipantExited.newBuilder().setCohortId(cohort).setPersonId(person).setReason(ExitReason.DROPPED_OUT)
                .setExitedOn(D0.plusDays(30)).build();
    }

    static DialogueHeld dialogue(String dialogue) {
        return DialogueHeld.newBuilder().setDialogueId(dialogue).setKind(DialogueKind.VILLAGE_GRADING)
                .setTopic("water").setHeldOn(D0).build();
    }

    static DialogueAttended dialogueAttended(String dialogue, String person) {
        return DialogueAttended.newBuilder().setDialogueId(dialogue).setPersonId(person).setRole("official")
                .setSex(Sex.UNKNOWN).setAge(null).build();
    }

    static RecordRetracted retracted(String reason) {
        return RecordRetracted.newBuilder().setReason(reason).build();
    }

    static CohortRetention retention(String cohort, long version, int enrolled) {
        return CohortRetention.newBuilder().setProgramId("P1").setPartnerId("PN1").setOrgUnitId("U1").setCohortId(cohort)
                .setSex("all").setAgeBand("all").setSessionsPlanned(8).setSessionsHeld(3).setEnrolled(enrolled)
                .setActive(enrolled - 1).setCompleted(0).setDroppedOut(1).setTransferred(0).setPresentTotal(7)
                .setExpectedTotal(9).setRetentionRate(enrolled == 0 ? Double.NaN : (enrolled - 1.0) / enrolled)
                .setDropoutRate(0.25).setCompletionRate(0).setAttendanceRate(7 / 9.0)
                .setAsOf(T0).setUpdatedAt(T0.plusSeconds(1)).setVersion(version).setDeleted(false).build();
    }

    static ParticipantProgress progress(String cohort, String person, long version) {
        return ParticipantProgress.newBuilder().setProgramId("P1").setPartnerId("PN1").setOrgUnitId(null).setCohortId(cohort)
                .setPersonId(person).setSex("female").setAgeBand("youth_15_29").setEnrolledOn(D0).setStatus("active")
                .setSessionsExpected(3).setSessionsAttended(2).setAttendanceRate(2 / 3.0).setLastSessionPresent(null)
                .setAsOf(T0).setUpdatedAt(T0).setVersion(version).setDeleted(false).build();
    }

    static RetentionCurvePoint curve(String cohort, int session, long version) {
        return RetentionCurvePoint.newBuilder().setProgramId("P1").setPartnerId("PN1").setCohortId(cohort)
                .setSessionNumber(session).setHeldOn(D0).setEnrolled(4).setSurviving(3).setSurvivalRate(0.75)
                .setAsOf(T0).setUpdatedAt(T0).setVersion(version).setDeleted(false).build();
    }

    static OutreachCount outreach(String period, long reached, long version) {
        return OutreachCount.newBuilder().setProgramId("P1").setPeriodKind("month").setPeriod(period)
                .setPeriodStart(LocalDate.parse(period + "-01")).setDimension("program").setDimensionId("P1")
                .setSex("all").setAgeBand("all").setPeopleReached(reached).setNewPeopleReached(reached)
                .setAsOf(T0).setUpdatedAt(T0).setVersion(version).setDeleted(false).build();
    }

    static DialogueSummary dialogueSummary(String dialogue, long version) {
        return DialogueSummary.newBuilder().setProgramId("P1").setPartnerId("PN1").setOrgUnitId("U1").setDialogueId(dialogue)
                .setKind("village_grading").setTopic("water").setHeldOn(D0).setAttendees(5).setAttendeesFemale(2)
                .setAttendeesMale(2).setAttendeesOther(0).setAttendeesUnknown(1).setIdentifiedPersons(4)
                .setAsOf(T0).setUpdatedAt(T0).setVersion(version).setDeleted(false).build();
    }

    static DialogueAttendance dialogueAttendance(String dialogue, String role, long version) {
        return DialogueAttendance.newBuilder().setProgramId("P1").setPartnerId("PN1").setDialogueId(dialogue)
                .setKind("village_grading").setHeldOn(D0).setRole(role).setSex("female").setAttendees(2)
                .setAsOf(T0).setUpdatedAt(T0).setVersion(version).setDeleted(false).build();
    }

    static Program program(String id) {
        return Program.newBuilder().setProgramId(id).setName("Youth skills").setStartDate(D0).setEndDate(null)
                .setDropoutMissedSessions(3).setCompletionAttendance(0.8).build();
    }

    static Partner partner(String id) {
        return Partner.newBuilder().setPartnerId(id).setProgramId("P1").setName("Partner " + id).setOrgUnitId("U1").build();
    }

    static OrgUnit orgUnit(String id, String level, String districtId) {
        return OrgUnit.newBuilder().setOrgUnitId(id).setName("Unit " + id).setNameBn("ঢাকা").setLevel(level)
                .setParentId(null).setDivisionId("DV").setDistrictId(districtId).setUpazilaId(null).setUnionId(null).build();
    }

    static Target target(String indicator, double value) {
        return Target.newBuilder().setProgramId("P1").setIndicator(indicator).setPeriod("all").setDimension("program")
                .setDimensionId("P1").setTarget(value).build();
    }
}
