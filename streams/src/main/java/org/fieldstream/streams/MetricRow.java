package org.fieldstream.streams;

import org.apache.avro.specific.SpecificRecordBase;
import org.fieldstream.metrics.CohortRetention;
import org.fieldstream.metrics.DialogueAttendance;
import org.fieldstream.metrics.DialogueSummary;
import org.fieldstream.metrics.ParticipantProgress;
import org.fieldstream.metrics.RetentionCurvePoint;

/**
 * A metric row of an aggregate as the aggregate processor writes it: the aggregate's envelope, the
 * grain, its figures and its {@link RowStamp}; one record per output family, each with the only
 * mapping of its figures to the family's Avro row ({@link #avro()}) and the name of the child that
 * takes it to its topic.
 */
sealed interface MetricRow<A extends SpecificRecordBase> extends AggregateOutput {

    /** Sex and age band of a total: every group. */
    String ALL = "all";

    String TOTALS = "aggregate-cohort-totals";
    String GROUPS = "aggregate-cohort-groups";
    String PARTICIPANTS = "aggregate-participants";
    String CURVE = "aggregate-curve";
    String DIALOGUES = "aggregate-dialogues";
    String ATTENDANCE = "aggregate-dialogue-attendance";

    A avro();

    /** A cohort's retention row: its total (sex and age band {@link #ALL}) or one sex x age band group. */
    record Retention(AggregateHeader.Envelope envelope, String sex, String ageBand, RetentionFigures figures, RowStamp stamp)
            implements MetricRow<CohortRetention> {

        @Override
        public String child() {
            return ALL.equals(sex) && ALL.equals(ageBand) ? TOTALS : GROUPS;
        }

        @Override
        public CohortRetention avro() {
            RetentionFigures f = figures;
            return CohortRetention.newBuilder()
                    .setProgramId(envelope.program()).setPartnerId(envelope.partner()).setOrgUnitId(envelope.orgUnit())
                    .setCohortId(envelope.id()).setSex(sex).setAgeBand(ageBand)
                    .setSessionsPlanned(f.planned()).setSessionsHeld(f.held()).setEnrolled(f.enrolled()).setActive(f.active())
                    .setCompleted(f.completed()).setDroppedOut(f.droppedOut()).setTransferred(f.transferred())
                    .setPresentTotal(f.present()).setExpectedTotal(f.expected())
                    .setRetentionRate(f.retentionRate()).setDropoutRate(f.dropoutRate()).setCompletionRate(f.completionRate())
                    .setAttendanceRate(f.attendanceRate())
                    .setAsOf(EventDays.instant(f.asOfDay())).setUpdatedAt(stamp.updatedAt()).setVersion(stamp.version())
                    .setDeleted(stamp.deleted())
                    .build();
        }
    }

    /** A survival point of a grain (the cohort's total or a group) at one held session. */
    record CurvePoint(AggregateHeader.Envelope envelope, int session, String sex, String ageBand, CurveFigures figures, RowStamp stamp)
            implements MetricRow<RetentionCurvePoint> {

        @Override
        public String child() {
            return CURVE;
        }

        @Override
        public RetentionCurvePoint avro() {
            return RetentionCurvePoint.newBuilder()
                    .setProgramId(envelope.program()).setPartnerId(envelope.partner()).setCohortId(envelope.id())
                    .setSex(sex).setAgeBand(ageBand).setSessionNumber(session).setHeldOn(EventDays.date(figures.heldOnDay()))
                    .setEnrolled(figures.enrolled()).setSurviving(figures.surviving()).setSurvivalRate(figures.survivalRate())
                    .setAsOf(EventDays.instant(figures.asOfDay())).setUpdatedAt(stamp.updatedAt()).setVersion(stamp.version())
                    .setDeleted(stamp.deleted())
                    .build();
        }
    }

    /** A participant's row: the person's {@link Derived} figures in their cohort. */
    record Participant(AggregateHeader.Envelope envelope, String person, Derived figures, RowStamp stamp)
            implements MetricRow<ParticipantProgress> {

        @Override
        public String child() {
            return PARTICIPANTS;
        }

        @Override
        public ParticipantProgress avro() {
            Derived d = figures;
            return ParticipantProgress.newBuilder()
                    .setProgramId(envelope.program()).setPartnerId(envelope.partner()).setOrgUnitId(envelope.orgUnit())
                    .setCohortId(envelope.id()).setPersonId(person)
                    .setSex(Groups.SEXES.get(d.sex())).setAgeBand(Groups.BANDS.get(d.band()))
                    .setEnrolledOn(EventDays.date(d.enrolledOn())).setStatus(d.statusName())
                    .setSessionsExpected(d.expected()).setSessionsAttended(d.attended())
                    .setAttendanceRate(Rates.ratio(d.attended(), d.expected()))
                    .setLastSessionPresent(d.lastPresent() == Derived.NO_SESSION ? null : d.lastPresent())
                    .setAsOf(EventDays.instant(d.asOfDay())).setUpdatedAt(stamp.updatedAt()).setVersion(stamp.version())
                    .setDeleted(stamp.deleted())
                    .build();
        }
    }

    /** A dialogue's summary row. */
    record Dialogue(AggregateHeader.Envelope envelope, DialogueFigures figures, RowStamp stamp) implements MetricRow<DialogueSummary> {

        @Override
        public String child() {
            return DIALOGUES;
        }

        @Override
        public DialogueSummary avro() {
            DialogueFigures f = figures;
            return DialogueSummary.newBuilder()
                    .setProgramId(envelope.program()).setPartnerId(envelope.partner()).setOrgUnitId(envelope.orgUnit())
                    .setDialogueId(envelope.id()).setKind(envelope.kind()).setTopic(envelope.topic())
                    .setHeldOn(EventDays.date(f.heldOnDay())).setAttendees(f.attendees()).setAttendeesFemale(f.female())
                    .setAttendeesMale(f.male()).setAttendeesOther(f.other()).setAttendeesUnknown(f.unknown())
                    .setIdentifiedPersons(f.identified())
                    .setAsOf(EventDays.instant(f.asOfDay())).setUpdatedAt(stamp.updatedAt()).setVersion(stamp.version())
                    .setDeleted(stamp.deleted())
                    .build();
        }
    }

    /** A dialogue's attendance row of one role and sex ({@code roleSex} is {@code role|sex}: the role may contain the separator, the sex never does). */
    record Attendance(AggregateHeader.Envelope envelope, String roleSex, AttendanceFigures figures, RowStamp stamp)
            implements MetricRow<DialogueAttendance> {

        @Override
        public String child() {
            return ATTENDANCE;
        }

        @Override
        public DialogueAttendance avro() {
            int split = roleSex.lastIndexOf(Keys.SEP);
            return DialogueAttendance.newBuilder()
                    .setProgramId(envelope.program()).setPartnerId(envelope.partner()).setDialogueId(envelope.id())
                    .setKind(envelope.kind()).setHeldOn(EventDays.date(figures.heldOnDay()))
                    .setRole(roleSex.substring(0, split)).setSex(roleSex.substring(split + 1)).setAttendees(figures.attendees())
                    .setAsOf(EventDays.instant(figures.asOfDay())).setUpdatedAt(stamp.updatedAt()).setVersion(stamp.version())
                    .setDeleted(stamp.deleted())
                    .build();
        }
    }
}
