package org.fieldstream.streams;

import java.util.Arrays;
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

    /** Sends a row to the processor's child of that name. */
    interface Forward {
        void forward(String child, String key, Object value);
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

    private void forward(String child, String key, Object value) {
        out.forward(child, key, value);
    }

    void cohortRows(String aggregate, AggregateHeader header, AggregateFacts facts) {
        AggregateHeader.Envelope envelope = facts.cohortEnvelope();
        AggregateHeader.Envelope previous = header.cohortEnvelope;
        boolean moved = !Objects.equals(envelope, previous);
        long[] total = envelope == null ? null : facts.totals();
        header.totals = emit(header.totals, total, moved, (values, version, deleted) -> forward(MetricsTopology.TOTALS_SINK,
                Keys.join(aggregate, MetricRows.ALL, MetricRows.ALL),
                MetricRows.retention(deleted ? previous : envelope, MetricRows.ALL, MetricRows.ALL, values, version, now, deleted)));
        curveRows(aggregate, header.curve, total == null ? Map.of() : facts.curve(total, header.lastPresent),
                MetricRows.ALL, MetricRows.ALL, envelope, previous, moved);
        for (int g = 0; g < Groups.COUNT; g++) {
            int group = g;
            String sex = Groups.sexOf(g);
            String band = Groups.bandOf(g);
            long[] values = envelope == null || header.groups[g] == null ? null : facts.group(g);
            header.groupRows[g] = emit(header.groupRows[g], values, moved, (v, version, deleted) -> forward(MetricsTopology.GROUPS_SINK,
                    Keys.join(aggregate, sex, band),
                    MetricRows.retention(deleted ? previous : envelope, sex, band, v, version, now, deleted)));
            curveRows(aggregate, header.groupCurves.get(group), values == null ? Map.of() : facts.curve(values, header.groupLastPresent[g]),
                    sex, band, envelope, previous, moved);
        }
    }

    /** The survival points of one grain (sex x age band, or all x all for the total), keyed aggregate|session|sex|age_band. */
    private void curveRows(String aggregate, Map<Integer, AggregateHeader.Emitted> written, Map<Integer, long[]> points, String sex,
                           String band, AggregateHeader.Envelope envelope, AggregateHeader.Envelope previous, boolean moved) {
        for (Integer k : union(written.keySet(), points.keySet())) {
            AggregateHeader.Emitted e = emit(written.get(k), points.get(k), moved, (v, version, deleted) -> forward(
                    MetricsTopology.CURVE_SINK, Keys.join(aggregate, Integer.toString(k), sex, band),
                    MetricRows.curvePoint(deleted ? previous : envelope, k, sex, band, v, version, now, deleted)));
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
        header.summary = emit(header.summary, envelope == null ? null : facts.summary(), moved, (v, version, deleted) ->
                forward(MetricsTopology.DIALOGUES_SINK, aggregate,
                        MetricRows.dialogue(deleted ? previous : envelope, v, version, now, deleted)));
        Map<String, long[]> rows = envelope == null ? Map.of() : facts.attendance();
        for (String roleSex : union(header.attendance.keySet(), rows.keySet())) {
            AggregateHeader.Emitted e = emit(header.attendance.get(roleSex), rows.get(roleSex), moved, (v, version, deleted) ->
                    forward(MetricsTopology.ATTENDANCE_SINK, Keys.join(aggregate, roleSex),
                            MetricRows.attendance(deleted ? previous : envelope, roleSex, v, version, now, deleted)));
            if (e != null) {
                header.attendance.put(roleSex, e);
            }
        }
    }

    private interface RowWriter {
        void write(long[] values, long version, boolean deleted);
    }

    /**
     * Writes a grain's row when its figures (or the aggregate's envelope) changed, or once more with
     * {@code deleted = true} (and the figures last written) when the grain is gone ({@code values == null}).
     */
    private AggregateHeader.Emitted emit(AggregateHeader.Emitted last, long[] values, boolean envelopeMoved, RowWriter writer) {
        if (values == null) {
            if (last != null && last.live) {
                last.version = Versions.next(last.version, now);
                writer.write(last.values, last.version, true);
                last.live = false;
            }
            return last;
        }
        if (last != null && last.live && !envelopeMoved && Arrays.equals(last.values, values)) {
            return last;
        }
        long version = Versions.next(last == null ? 0L : last.version, now);
        writer.write(values, version, false);
        return new AggregateHeader.Emitted(version, true, values);
    }

    private static <T extends Comparable<T>> SortedSet<T> union(Set<T> a, Set<T> b) {
        TreeSet<T> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
