package org.fieldstream.streams;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The grain rows of one aggregate that live in its header: a cohort's totals, its groups and its
 * survival points, a dialogue's summary and its attendance by role and sex. Each grain writes only
 * when its figures (or the aggregate's envelope) changed, and once more with {@code deleted = true}
 * and its last figures when it is gone; the header keeps what was written.
 */
final class AggregateRows {

    /** Sends a row, keyed, to the processor's child the row names. */
    interface Forward {
        void forward(String key, AggregateOutput row);
    }

    private final Forward out;
    private long now;

    AggregateRows(Forward out) {
        this.out = out;
    }

    /** The wall-clock time of the punctuation: updated_at and the floor of versions. */
    void at(long wallClock) {
        now = wallClock;
    }

    void cohortRows(String aggregate, AggregateHeader header, AggregateFacts facts) {
        AggregateHeader.Envelope envelope = facts.cohortEnvelope();
        AggregateHeader.Envelope previous = header.cohortEnvelope;
        boolean moved = !Objects.equals(envelope, previous);
        RetentionFigures total = envelope == null ? null : facts.totals();
        header.totals = emit(header.totals, total, moved, (figures, stamp) -> out.forward(totalKey(aggregate),
                new MetricRow.Retention(stamp.deleted() ? previous : envelope, MetricRow.ALL, MetricRow.ALL, figures, stamp)));
        curveRows(aggregate, header.curve, total == null ? Map.of() : facts.curve(total, header.lastPresent),
                MetricRow.ALL, MetricRow.ALL, envelope, previous, moved);
        for (int g = 0; g < Groups.COUNT; g++) {
            String sex = Groups.sexOf(g);
            String band = Groups.bandOf(g);
            RetentionFigures figures = envelope == null || header.groups[g] == null ? null : facts.group(g);
            header.groupRows.set(g, emit(header.groupRows.get(g), figures, moved, (f, stamp) -> out.forward(Keys.join(aggregate, sex, band),
                    new MetricRow.Retention(stamp.deleted() ? previous : envelope, sex, band, f, stamp))));
            curveRows(aggregate, header.groupCurves.get(g), figures == null ? Map.of() : facts.curve(figures, header.groupLastPresent[g]),
                    sex, band, envelope, previous, moved);
        }
    }

    static String totalKey(String aggregate) {
        return Keys.join(aggregate, MetricRow.ALL, MetricRow.ALL);
    }

    static String curveKey(String aggregate, int session, String sex, String band) {
        return Keys.join(aggregate, Integer.toString(session), sex, band);
    }

    /** The survival points of one grain (sex x age band, or all x all for the total), keyed aggregate|session|sex|age_band. */
    private void curveRows(String aggregate, Map<Integer, AggregateHeader.Emitted<CurveFigures>> written, Map<Integer, CurveFigures> points,
                           String sex, String band, AggregateHeader.Envelope envelope, AggregateHeader.Envelope previous, boolean moved) {
        for (Integer k : union(written.keySet(), points.keySet())) {
            AggregateHeader.Emitted<CurveFigures> e = emit(written.get(k), points.get(k), moved, (f, stamp) -> out.forward(
                    curveKey(aggregate, k, sex, band), new MetricRow.CurvePoint(stamp.deleted() ? previous : envelope, k, sex, band, f, stamp)));
            if (e != null) {
                written.put(k, e);
            }
        }
    }

    void dialogueRows(String aggregate, AggregateHeader header, AggregateFacts facts) {
        AggregateHeader.Envelope envelope = facts.dialogueEnvelope();
        AggregateHeader.Envelope previous = header.dialogueEnvelope;
        if (envelope == null && previous == null) {
            return;
        }
        boolean moved = !Objects.equals(envelope, previous);
        header.summary = emit(header.summary, envelope == null ? null : facts.summary(), moved, (f, stamp) ->
                out.forward(aggregate, new MetricRow.Dialogue(stamp.deleted() ? previous : envelope, f, stamp)));
        Map<String, AttendanceFigures> rows = envelope == null ? Map.of() : facts.attendance();
        for (String roleSex : union(header.attendance.keySet(), rows.keySet())) {
            AggregateHeader.Emitted<AttendanceFigures> e = emit(header.attendance.get(roleSex), rows.get(roleSex), moved, (f, stamp) ->
                    out.forward(Keys.join(aggregate, roleSex), new MetricRow.Attendance(stamp.deleted() ? previous : envelope, roleSex, f, stamp)));
            if (e != null) {
                header.attendance.put(roleSex, e);
            }
        }
    }

    private interface RowWriter<F> {
        void write(F figures, RowStamp stamp);
    }

    /**
     * Writes a grain's row when its figures (or the aggregate's envelope) changed, or once more with
     * {@code deleted = true} (and the figures last written) when the grain is gone ({@code figures == null}).
     */
    private <F> AggregateHeader.Emitted<F> emit(AggregateHeader.Emitted<F> last, F figures, boolean envelopeMoved, RowWriter<F> writer) {
        if (figures == null) {
            if (last != null && last.live) {
                last.version = Versions.next(last.version, now);
                writer.write(last.figures, new RowStamp(last.version, now, true));
                last.live = false;
            }
            return last;
        }
        if (last != null && last.live && !envelopeMoved && last.figures.equals(figures)) {
            return last;
        }
        long version = Versions.next(last == null ? 0L : last.version, now);
        writer.write(figures, new RowStamp(version, now, false));
        return new AggregateHeader.Emitted<>(version, true, figures);
    }

    private static <T extends Comparable<T>> SortedSet<T> union(Set<T> a, Set<T> b) {
        TreeSet<T> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
