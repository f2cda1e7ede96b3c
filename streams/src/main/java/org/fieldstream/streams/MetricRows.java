package org.fieldstream.streams;

import java.time.Instant;

import org.fieldstream.metrics.CohortRetention;
import org.fieldstream.metrics.DialogueAttendance;
import org.fieldstream.metrics.DialogueSummary;
import org.fieldstream.metrics.ParticipantProgress;
import org.fieldstream.metrics.RetentionCurvePoint;

/**
 * The metric rows of an aggregate, built from its envelope and the figures the header or the
 * person state keeps (layouts in {@link AggregateFacts}). Rates are derived here, per row.
 */
final class MetricRows {

    static final String ALL = "all";

    private MetricRows() {
    }

    static ParticipantProgress participant(AggregateHeader.Envelope env, String person, Derived d, long version, long now,
                                           boolean deleted) {
        return new ParticipantProgress(env.program(), env.partner(), env.orgUnit(), env.id(), person,
                Groups.SEXES.get(d.sex()), Groups.BANDS.get(d.band()), EventDays.date(d.enrolledOn()), d.statusName(),
                d.expected(), d.attended(), ratio(d.attended(), d.expected()),
                d.lastPresent() == Derived.NO_SESSION ? null : d.lastPresent(),
                EventDays.instant(d.asOfDay()), Instant.ofEpochMilli(now), version, deleted);
    }

    static CohortRetention retention(AggregateHeader.Envelope env, String sex, String band, long[] v, long version, long now,
                                     boolean deleted) {
        int enrolled = (int) v[2];
        int active = (int) v[3];
        int completed = (int) v[4];
        int droppedOut = (int) v[5];
        return new CohortRetention(env.program(), env.partner(), env.orgUnit(), env.id(), sex, band, (int) v[0], (int) v[1],
                enrolled, active, completed, droppedOut, (int) v[6], (int) v[7], (int) v[8],
                ratio(active + completed, enrolled), ratio(droppedOut, enrolled), ratio(completed, enrolled),
                ratio((int) v[7], (int) v[8]), EventDays.instant((int) v[9]), Instant.ofEpochMilli(now), version, deleted);
    }

    static RetentionCurvePoint curvePoint(AggregateHeader.Envelope env, int session, String sex, String band, long[] v,
                                          long version, long now, boolean deleted) {
        return new RetentionCurvePoint(env.program(), env.partner(), env.id(), sex, band, session, EventDays.date((int) v[0]),
                (int) v[1], (int) v[2], ratio((int) v[2], (int) v[1]), EventDays.instant((int) v[3]), Instant.ofEpochMilli(now),
                version, deleted);
    }

    static DialogueSummary dialogue(AggregateHeader.Envelope env, long[] v, long version, long now, boolean deleted) {
        return new DialogueSummary(env.program(), env.partner(), env.orgUnit(), env.id(), env.kind(), env.topic(),
                EventDays.date((int) v[0]), (int) v[1], (int) v[2], (int) v[3], (int) v[4], (int) v[5], (int) v[6],
                EventDays.instant((int) v[7]), Instant.ofEpochMilli(now), version, deleted);
    }

    /** {@code roleSex} is {@code role|sex}; the role may itself contain the separator, the sex never does. */
    static DialogueAttendance attendance(AggregateHeader.Envelope env, String roleSex, long[] v, long version, long now,
                                         boolean deleted) {
        int split = roleSex.lastIndexOf(Keys.SEP);
        return new DialogueAttendance(env.program(), env.partner(), env.id(), env.kind(), EventDays.date((int) v[1]),
                roleSex.substring(0, split), roleSex.substring(split + 1), (int) v[0], EventDays.instant((int) v[2]),
                Instant.ofEpochMilli(now), version, deleted);
    }

    static double ratio(int numerator, int denominator) {
        return denominator == 0 ? 0.0 : (double) numerator / denominator;
    }
}
