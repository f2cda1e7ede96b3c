package org.fieldstream.streams;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fieldstream.metrics.OutreachCount;

/**
 * Keyed by outreach cell: sums the deltas into distinct counts and writes the changed cells on a
 * wall-clock punctuation. A cell whose counts fall to zero is written with {@code deleted = true}.
 */
final class CellCountProcessor implements Processor<String, InternalSerdes.CellDelta, String, OutreachCount> {

    private final Duration interval;
    private ProcessorContext<String, OutreachCount> context;
    private KeyValueStore<String, InternalSerdes.CellCount> counts;
    private DirtyAggregates dirty;
    private MetricEmitter<OutreachCount> emitter;
    private ReferenceData reference;

    CellCountProcessor(Duration interval) {
        this.interval = interval;
    }

    @Override
    public void init(ProcessorContext<String, OutreachCount> context) {
        this.context = context;
        this.counts = context.getStateStore(OutreachTopology.COUNTS_STORE);
        this.dirty = new DirtyAggregates(context.getStateStore(OutreachTopology.COUNTS_DIRTY_STORE));
        this.emitter = new MetricEmitter<>("outreach", OutreachCount.class, context.getStateStore(OutreachTopology.COUNTS_EMITTED_STORE));
        this.reference = ReferenceData.from(context);
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, this::flush);
    }

    @Override
    public void process(Record<String, InternalSerdes.CellDelta> record) {
        InternalSerdes.CellDelta delta = record.value();
        if (record.key() == null || delta == null) {
            return;
        }
        InternalSerdes.CellCount old = counts.get(record.key());
        InternalSerdes.CellCount now = old == null
                ? new InternalSerdes.CellCount(delta.reached(), delta.newlyReached(), delta.asOf())
                : new InternalSerdes.CellCount(old.reached() + delta.reached(), old.newlyReached() + delta.newlyReached(),
                        Math.max(old.asOf(), delta.asOf()));
        if (now.reached() == 0 && now.newlyReached() == 0) {
            counts.delete(record.key());
        } else {
            counts.put(record.key(), now);
        }
        dirty.mark(record.key(), delta.asOf());
    }

    void flush(long wallClock) {
        List<String> cells = dirty.drain();
        for (String cell : cells) {
            InternalSerdes.CellCount count = counts.get(cell);
            Map<String, OutreachCount> rows = count == null ? Map.of() : Map.of(cell, row(cell, count));
            emitter.emit(cell, rows, wallClock,
                    (key, value) -> context.forward(new Record<>(key, value, context.currentSystemTimeMs())));
        }
    }

    private OutreachCount row(String cell, InternalSerdes.CellCount count) {
        String[] f = cell.split("\\|", -1);
        return OutreachCount.newBuilder()
                .setProgramId(f[0]).setPeriodKind(f[1]).setPeriod(f[2])
                .setPeriodStart(Periods.start(f[1], f[2], reference.params(f[0]).startDate()))
                .setDimension(f[3]).setDimensionId(f[4]).setSex(f[5]).setAgeBand(f[6])
                .setPeopleReached(count.reached()).setNewPeopleReached(count.newlyReached())
                .setAsOf(Instant.ofEpochMilli(count.asOf())).setUpdatedAt(Instant.EPOCH).setVersion(0L).setDeleted(false)
                .build();
    }
}
