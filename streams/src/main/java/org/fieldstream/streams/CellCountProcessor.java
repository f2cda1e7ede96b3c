package org.fieldstream.streams;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fieldstream.metrics.OutreachCount;

/**
 * Keyed by outreach cell without its group ({@code program|period_kind|period|dimension|dimension_id}),
 * so the deltas of every group of a cell arrive at one task: sums each group's deltas into its cell's
 * distinct counts (and the persons' days in the cell, whose latest is the cell's as_of), adds them
 * to the cell for all groups too (a person is in exactly one group, so all is the sum of the
 * groups), and writes the cells whose row changed on a wall-clock punctuation. A cell whose counts
 * fall to zero is written once more with {@code deleted = true}. Each cell, group or all, is its own
 * value in the store, keyed by the full cell key, with the row last written, so a punctuation reads
 * and writes one small value per dirty cell.
 */
final class CellCountProcessor implements Processor<String, InternalSerdes.CellDeltas, String, OutreachCount> {

    private final Duration interval;
    private ProcessorContext<String, OutreachCount> context;
    private KeyValueStore<String, CellState> counts;
    private DirtyAggregates dirty;
    private ReferenceData reference;
    private final Map<String, java.time.LocalDate> programStarts = new HashMap<>();

    CellCountProcessor(Duration interval) {
        this.interval = interval;
    }

    @Override
    public void init(ProcessorContext<String, OutreachCount> context) {
        this.context = context;
        this.counts = context.getStateStore(OutreachTopology.COUNTS_STORE);
        this.dirty = new DirtyAggregates(context.getStateStore(OutreachTopology.COUNTS_DIRTY_STORE));
        this.reference = ReferenceData.from(context);
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, this::flush);
    }

    @Override
    public void process(Record<String, InternalSerdes.CellDeltas> record) {
        long cpu = ProcessorCpu.start();
        apply(record);
        ProcessorCpu.stop(cpu);
    }

    private void apply(Record<String, InternalSerdes.CellDeltas> record) {
        InternalSerdes.CellDeltas deltas = record.value();
        if (record.key() == null || deltas == null || deltas.groups().isEmpty()) {
            return;
        }
        String prefix = record.key() + Keys.SEP;
        long reached = 0;
        long newlyReached = 0;
        Counts days = new Counts();
        for (InternalSerdes.CellDelta delta : deltas.groups()) {
            add(prefix + delta.group(), delta.reached(), delta.newlyReached(), delta.days());
            reached += delta.reached();
            newlyReached += delta.newlyReached();
            days.addAllSigned(delta.days());
        }
        if (reached != 0 || newlyReached != 0 || !days.isEmpty()) { // zero when a person only moved between groups
            add(prefix + Placement.ALL_GROUP, reached, newlyReached, days);
        }
    }

    private void add(String cell, long reached, long newlyReached, Counts days) {
        CellState state = counts.get(cell);
        if (state == null) {
            state = new CellState();
        }
        state.reached += reached;
        state.newlyReached += newlyReached;
        state.days.addAll(days);
        counts.put(cell, state);
        dirty.mark(cell);
    }

    void flush(long wallClock) {
        long cpu = ProcessorCpu.start();
        writeDirty(wallClock);
        ProcessorCpu.stop(cpu);
    }

    private void writeDirty(long wallClock) {
        List<String> cells = dirty.drain();
        if (cells.isEmpty()) {
            return;
        }
        programStarts.clear();
        for (String cell : cells) {
            CellState state = counts.get(cell);
            if (state == null) {
                continue;
            }
            if (state.reached == 0 && state.newlyReached == 0) {
                if (state.live) {
                    state.version = Versions.next(state.version, wallClock);
                    forward(cell, state.emitted, state.version, wallClock, true);
                    state.live = false;
                }
                counts.delete(cell);
                continue;
            }
            long[] values = {state.reached, state.newlyReached, state.days.max()};
            if (!state.live || !Arrays.equals(values, state.emitted)) {
                state.version = Versions.next(state.version, wallClock);
                forward(cell, values, state.version, wallClock, false);
                state.live = true;
                state.emitted = values;
            }
            counts.put(cell, state);
        }
    }

    private void forward(String cell, long[] values, long version, long now, boolean deleted) {
        String[] f = cell.split("\\|", -1);
        java.time.LocalDate start = programStarts.computeIfAbsent(f[0], p -> reference.params(p).startDate());
        OutreachCount row = new OutreachCount(f[0], f[1], f[2], Periods.start(f[1], f[2], start), f[3], f[4], f[5], f[6],
                values[0], values[1], EventDays.instant((int) values[2]), Instant.ofEpochMilli(now), version, deleted);
        context.forward(new Record<>(cell, row, now));
    }

    /**
     * One cell: persons counted, newly reached, the persons by their day in the cell, and the row last
     * written ({@code [reached, newly reached, as_of day]}, its version, live or deleted).
     */
    static final class CellState implements Compact.Writable {
        long reached;
        long newlyReached;
        Counts days = new Counts();
        long version;
        boolean live;
        long[] emitted = new long[3];

        @Override
        public void writeTo(Compact.Writer out) {
            out.writeLong(reached);
            out.writeLong(newlyReached);
            days.writeTo(out);
            out.writeLong(version);
            out.writeBoolean(live);
            for (long v : emitted) {
                out.writeLong(v);
            }
        }

        static CellState read(Compact.Reader in) {
            CellState s = new CellState();
            s.reached = in.readLong();
            s.newlyReached = in.readLong();
            s.days = Counts.read(in);
            s.version = in.readLong();
            s.live = in.readBoolean();
            for (int i = 0; i < s.emitted.length; i++) {
                s.emitted[i] = in.readLong();
            }
            return s;
        }
    }
}
