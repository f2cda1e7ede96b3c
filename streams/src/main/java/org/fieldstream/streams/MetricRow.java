package org.fieldstream.streams;

import org.apache.avro.specific.SpecificRecordBase;
import org.fieldstream.metrics.CohortRetention;
import org.fieldstream.metrics.DialogueAttendance;
import org.fieldstream.metrics.DialogueSummary;
import org.fieldstream.metrics.ParticipantProgress;
import org.fieldstream.metrics.RetentionCurvePoint;

/**
 * A metric row of an aggregate as the aggregate processor writes it: the aggregate's envelope, the
 * grain, its figures and its {@link RowStamp}; one record per output family, each with the name of
 * the child that takes it to its topic. Its Avro row ({@link #avro()}) is filled by field name
 * ({@link AvroRow}): from the row record's own accessors (the grain, and a figure shown otherwise
 * than the figures record holds it), then from its envelope, its figures and its stamp. A figure
 * added to a family's Avro schema needs only an accessor of that name on the family's figures record.
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

        private static final AvroRow<CohortRetention> AVRO = AvroRow.of(CohortRetention.class, Retention.class);

        @Override
        public String child() {
            return ALL.equals(sex) && ALL.equals(ageBand) ? TOTALS : GROUPS;
        }

        String cohortId() {
            return envelope.id();
        }

        @Override
        public CohortRetention avro() {
            return AVRO.row(this);
        }
    }

    /** A survival point of a grain (the cohort's total or a group) at one held session. */
    record CurvePoint(AggregateHeader.Envelope envelope, int sessionNumber, String sex, String ageBand, CurveFigures figures, RowStamp stamp)
            implements MetricRow<RetentionCurvePoint> {

        private static final AvroRow<RetentionCurvePoint> AVRO = AvroRow.of(RetentionCurvePoint.class, CurvePoint.class);

        @Override
        public String child() {
            return CURVE;
        }

        String cohortId() {
            return envelope.id();
        }

        @Override
        public RetentionCurvePoint avro() {
            return AVRO.row(this);
        }
    }

    /** A participant's row: the person's {@link Derived} figures in their cohort, named and typed as the row shows them. */
    record Participant(AggregateHeader.Envelope envelope, String personId, Derived figures, RowStamp stamp)
            implements MetricRow<ParticipantProgress> {

        private static final AvroRow<ParticipantProgress> AVRO = AvroRow.of(ParticipantProgress.class, Participant.class);

        @Override
        public String child() {
            return PARTICIPANTS;
        }

        String cohortId() {
            return envelope.id();
        }

        String sex() {
            return Groups.SEXES.get(figures.sex());
        }

        String ageBand() {
            return Groups.BANDS.get(figures.band());
        }

        String status() {
            return figures.statusName();
        }

        int sessionsExpected() {
            return figures.expected();
        }

        int sessionsAttended() {
            return figures.attended();
        }

        double attendanceRate() {
            return Rates.ratio(figures.attended(), figures.expected());
        }

        Integer lastSessionPresent() {
            return figures.lastPresent() == Derived.NO_SESSION ? null : figures.lastPresent();
        }

        @Override
        public ParticipantProgress avro() {
            return AVRO.row(this);
        }
    }

    /** A dialogue's summary row. */
    record Dialogue(AggregateHeader.Envelope envelope, DialogueFigures figures, RowStamp stamp) implements MetricRow<DialogueSummary> {

        private static final AvroRow<DialogueSummary> AVRO = AvroRow.of(DialogueSummary.class, Dialogue.class);

        @Override
        public String child() {
            return DIALOGUES;
        }

        String dialogueId() {
            return envelope.id();
        }

        @Override
        public DialogueSummary avro() {
            return AVRO.row(this);
        }
    }

    /** A dialogue's attendance row of one role and sex ({@code roleSex} is {@code role|sex}: the role may contain the separator, the sex never does). */
    record Attendance(AggregateHeader.Envelope envelope, String roleSex, AttendanceFigures figures, RowStamp stamp)
            implements MetricRow<DialogueAttendance> {

        private static final AvroRow<DialogueAttendance> AVRO = AvroRow.of(DialogueAttendance.class, Attendance.class);

        @Override
        public String child() {
            return ATTENDANCE;
        }

        String dialogueId() {
            return envelope.id();
        }

        String role() {
            return roleSex.substring(0, roleSex.lastIndexOf(Keys.SEP));
        }

        String sex() {
            return roleSex.substring(roleSex.lastIndexOf(Keys.SEP) + 1);
        }

        @Override
        public DialogueAttendance avro() {
            return AVRO.row(this);
        }
    }
}
