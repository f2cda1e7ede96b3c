package org.fieldstream.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.fieldstream.metrics.OutreachCount;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed by outreach cell without its group ({@code program|period_kind|period|dimension|dimension_id}),
 * so the deltas of every group of a cell arrive at one task: sums each group's deltas into its cell's
 * distinct counts (and the persons' days in the cell, whose latest is the cell's as_of), adds them
 * to the cell for all groups too (a person is in exactly one group, so all is the sum of the
 * groups), and writes the cells whose row changed on a wall-clock punctuation. A cell whose counts
 * fall to zero is written once more with {@code deleted = true}. Each cell, group or all, is its own
 * value in the store, keyed by the full cell key, with the row last written, so a punctuation reads
 * and writes one small value per dirty cell. After a {@link QuietSpell} the first delta, and the
 * others of the person stage's flush that sent it, run the punctuation's flush at once, so a change
 * into an idle pipeline does not wait for the timer, and ask for a commit, so the rows do not wait
 * for the commit interval either.
 */
final class CellCountProcessor implements Processor<String, InternalSerdes.CellDeltas, String, OutreachCount> {

    private static final Logger LOG = LoggerFactory.getLogger(CellCountProcessor.class);

    static final String COUNTS_STORE = "outreach-counts";
    static final String COUNTS_DIRTY_STORE = "outreach-counts-dirty";
    /** The fingerprint of the outreach row schema this task's rows were last written with ({@link OutputSchemas}). */
    static final String SCHEMAS_STORE = "outreach-output-schemas";
    private static final Set<String> FAMILIES = Set.of(OutputSchemas.OUTREACH);

    /** Creates the processors and declares their stores: counts are large (RocksDB), dirty marks are drained at every punctuation (memory). */
    record Supplier(Duration interval, OutputSchemas schemas)
            implements ProcessorSupplier<String, InternalSerdes.CellDeltas, String, OutreachCount> {
        @Override
        public Processor<String, InternalSerdes.CellDeltas, String, OutreachCount> get() {
            return new CellCountProcessor(interval, schemas);
        }

        @Override
        public Set<StoreBuilder<?>> stores() {
            return Set.of(
                    Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COUNTS_STORE), Serdes.String(), InternalSerdes.cellState())
                            .withCachingEnabled(),
                    Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(COUNTS_DIRTY_STORE), Serdes.String(), Serdes.Long())
                            .withCachingEnabled(),
                    OutputSchemas.store(SCHEMAS_STORE));
        }
    }

    private final Duration interval;
    private final OutputSchemas schemas;
    private ProcessorContext<String, OutreachCount> context;
    private KeyValueStore<String, CellState> counts;
    private KeyValueStore<String, Long> recordedSchemas;
    private DirtyAggregates dirty;
    private ReferenceData reference;
    private final Map<String, java.time.LocalDate> programStarts = new HashMap<>();
    private boolean schemasChecked;
    private final QuietSpell quiet;

    CellCountProcessor(Duration interval, OutputSchemas schemas) {
        this.interval = interval;
        this.schemas = schemas;
        this.quiet = new QuietSpell(interval);
    }

    @Override
    public void init(ProcessorContext<String, OutreachCount> context) {
        this.context = context;
        this.counts = context.getStateStore(COUNTS_STORE);
        this.dirty = new DirtyAggregates(context.getStateStore(COUNTS_DIRTY_STORE));
        this.recordedSchemas = context.getStateStore(SCHEMAS_STORE);
        this.reference = ReferenceData.from(context);
        this.schemasChecked = false;
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, wallClock -> quiet.timed(() -> flush(wallClock)));
    }

    @Override
    public void process(Record<String, InternalSerdes.CellDeltas> record) {
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
        long wallClock = context.currentSystemTimeMs();
        if (quiet.flushNow(wallClock, record.timestamp())) {
            flush(wallClock);
            context.commit();
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

    /** The first punctuation (or quiet-spell flush) of a task rewrites every live cell when the outreach row schema changed ({@link OutputSchemas}). */
    void flush(long wallClock) {
        if (!schemasChecked) {
            rewriteIfSchemaChanged(wallClock);
            schemasChecked = true;
        }
        writeDirty(wallClock);
    }

    private void rewriteIfSchemaChanged(long wallClock) {
        if (schemas.changed(recordedSchemas, FAMILIES).isEmpty()) {
            return;
        }
        programStarts.clear();
        List<KeyValue<String, CellState>> live = new ArrayList<>();
        long written = 0;
        String from = null;
        do {
            live.clear();
            int read = 0;
            try (KeyValueIterator<String, CellState> it = counts.range(from, null)) {
                while (it.hasNext() && read < REWRITE_BATCH) {
                    KeyValue<String, CellState> cell = it.next();
                    read++;
                    from = cell.key + '\u0000';
                    if (cell.value.live) {
                        live.add(cell);
                    }
                }
                if (!it.hasNext()) {
                    from = null;
                }
            }
            for (KeyValue<String, CellState> cell : live) {
                cell.value.version = Versions.next(cell.value.version, wallClock);
                forward(cell.key, cell.value.emitted, new RowStamp(cell.value.version, wallClock, false));
                counts.put(cell.key, cell.value);
                written++;
            }
        } while (from != null);
        schemas.record(recordedSchemas, FAMILIES);
        if (written > 0) {
            LOG.info("task {}: outreach rows were written with another schema: {} rows written again", context.taskId(), written);
        }
    }

    private static final int REWRITE_BATCH = 256;

    private void writeDirty(long wallClock) {
        List<String> cells = dirty.drain();
        if (cells.isEmpty()) {
            return;
        }
        quiet.flushed(wallClock);
        programStarts.clear();
        for (String cell : cells) {
            CellState state = counts.get(cell);
            if (state == null) {
                continue;
            }
            if (state.reached == 0 && state.newlyReached == 0) {
                if (state.live) {
                    state.version = Versions.next(state.version, wallClock);
                    forward(cell, state.emitted, new RowStamp(state.version, wallClock, true));
                    state.live = false;
                }
                counts.delete(cell);
                continue;
            }
            CellFigures values = new CellFigures(state.reached, state.newlyReached, state.days.max());
            if (!state.live || !values.equals(state.emitted)) {
                state.version = Versions.next(state.version, wallClock);
                forward(cell, values, new RowStamp(state.version, wallClock, false));
                state.live = true;
                state.emitted = values;
            }
            counts.put(cell, state);
        }
    }

    /** The only mapping of a cell's figures to its Avro row; the cell key names program, period, dimension and group. */
    private void forward(String cell, CellFigures figures, RowStamp stamp) {
        String[] f = cell.split("\\|", -1);
        java.time.LocalDate start = programStarts.computeIfAbsent(f[0], p -> reference.params(p).startDate());
        OutreachCount row = OutreachCount.newBuilder()
                .setProgramId(f[0]).setPeriodKind(f[1]).setPeriod(f[2]).setPeriodStart(Periods.start(f[1], f[2], start))
                .setDimension(f[3]).setDimensionId(f[4]).setSex(f[5]).setAgeBand(f[6])
                .setPeopleReached(figures.reached()).setNewPeopleReached(figures.newlyReached())
                .setAsOf(EventDays.instant(figures.asOfDay())).setUpdatedAt(stamp.updatedAt()).setVersion(stamp.version())
                .setDeleted(stamp.deleted())
                .build();
        context.forward(new Record<>(cell, row, stamp.updatedAtMillis()));
    }

    /** The figures of an outreach row: distinct persons reached, newly reached, and the as_of day. */
    record CellFigures(long reached, long newlyReached, int asOfDay) {
    }

    /**
     * One cell: persons counted, newly reached, the persons by their day in the cell, and the row last
     * written (its figures, its version, live or deleted). Its bytes: {@link CellStateSerde}.
     */
    static final class CellState {
        long reached;
        long newlyReached;
        Counts days = new Counts();
        long version;
        boolean live;
        CellFigures emitted = new CellFigures(0, 0, 0);
    }
}
