package org.fieldstream.streams;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fieldstream.metrics.OutreachCount;

/**
 * Keyed by outreach cell without its group ({@code program|period_kind|period|dimension|dimension_id}):
 * sums the deltas of each group's cell into distinct counts (and the persons' days in the cell, whose
 * latest is the cell's as_of), adds every group's delta to the cell for all groups as well (a person
 * is in exactly one group, so all is the sum of the groups), and writes the cells whose row changed
 * on a wall-clock punctuation. A cell whose counts fall to zero is written once more with
 * {@code deleted = true}. The row last written is kept in the cell's own state, so a punctuation
 * reads and writes one value per dirty base cell.
 */
final class CellCountProcessor implements Processor<String, InternalSerdes.CellDeltas, String, OutreachCount> {

    private final Duration interval;
    private ProcessorContext<String, OutreachCount> context;
    private KeyValueStore<String, BaseCells> counts;
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
        if (record.key() == null || deltas == null) {
            return;
        }
        BaseCells state = counts.get(record.key());
        if (state == null) {
            state = new BaseCells(new TreeMap<>());
        }
        for (InternalSerdes.CellDelta delta : deltas.groups()) {
            state.cell(delta.group()).add(delta);
            state.cell(Placement.ALL_GROUP).add(delta);
        }
        counts.put(record.key(), state);
        dirty.mark(record.key());
    }

    void flush(long wallClock) {
        long cpu = ProcessorCpu.start();
        writeDirty(wallClock);
        ProcessorCpu.stop(cpu);
    }

    private void writeDirty(long wallClock) {
        List<String> bases = dirty.drain();
        if (bases.isEmpty()) {
            return;
        }
        programStarts.clear();
        for (String base : bases) {
            BaseCells state = counts.get(base);
            if (state == null) {
                continue;
            }
            Iterator<Map.Entry<String, CellState>> cells = state.groups().entrySet().iterator();
            while (cells.hasNext()) {
                Map.Entry<String, CellState> entry = cells.next();
                if (write(base + Keys.SEP + entry.getKey(), entry.getValue(), wallClock)) {
                    cells.remove();
                }
            }
            if (state.groups().isEmpty()) {
                counts.delete(base);
            } else {
                counts.put(base, state);
            }
        }
    }

    /** Writes the cell's row if it changed; true when the cell is empty (written deleted if it was live) and can be dropped. */
    private boolean write(String cell, CellState state, long wallClock) {
        if (state.reached == 0 && state.newlyReached == 0) {
            if (state.live) {
                state.version = Versions.next(state.version, wallClock);
                forward(cell, state.emitted, state.version, wallClock, true);
                state.live = false;
            }
            return true;
        }
        long[] values = {state.reached, state.newlyReached, state.days.max()};
        if (!state.live || !Arrays.equals(values, state.emitted)) {
            state.version = Versions.next(state.version, wallClock);
            forward(cell, values, state.version, wallClock, false);
            state.live = true;
            state.emitted = values;
        }
        return false;
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

        void add(InternalSerdes.CellDelta delta) {
            reached += delta.reached();
            newlyReached += delta.newlyReached();
            days.addAll(delta.days());
        }

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

    /** The cells of one base cell by group ({@code sex|age_band}, and {@code all|all}). */
    record BaseCells(TreeMap<String, CellState> groups) implements Compact.Writable {
        CellState cell(String group) {
            return groups.computeIfAbsent(group, g -> new CellState());
        }

        @Override
        public void writeTo(Compact.Writer out) {
            out.writeInt(groups.size());
            groups.forEach((group, state) -> {
                out.writeString(group);
                state.writeTo(out);
            });
        }

        static BaseCells read(Compact.Reader in) {
            int n = in.readInt();
            TreeMap<String, CellState> groups = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                groups.put(in.readString(), CellState.read(in));
            }
            return new BaseCells(groups);
        }
    }
}
