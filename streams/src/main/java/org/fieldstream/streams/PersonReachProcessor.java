package org.fieldstream.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keyed by {@code program|person}: keeps what each aggregate contributes to the person, recomputes
 * the person's {@link PersonCells} on every change and sends +1/-1 deltas for the cells entered and
 * left, keyed by cell. Because a person is in a cell at most once, the sum of the deltas of a cell is
 * exactly its distinct count (exactly-once makes every delta count once).
 *
 * <p>Deltas are summed per cell in a store and sent on a wall-clock punctuation: the persons of a
 * task share most cells (every person is in the program's month, quarter and to-date cells), so one
 * summed delta per cell replaces thousands of +1s on the repartition topic.
 */
final class PersonReachProcessor implements Processor<String, InternalSerdes.ReachChange, String, InternalSerdes.CellDelta> {

    private ProcessorContext<String, InternalSerdes.CellDelta> context;
    private KeyValueStore<String, Reach> reaches;
    private KeyValueStore<String, Map<String, Boolean>> cells;
    private ReferenceData reference;
    private KeyValueStore<String, InternalSerdes.CellDelta> pending;
    private final java.time.Duration interval;

    PersonReachProcessor(java.time.Duration interval) {
        this.interval = interval;
    }

    @Override
    public void init(ProcessorContext<String, InternalSerdes.CellDelta> context) {
        this.context = context;
        this.reaches = context.getStateStore(OutreachTopology.PERSON_REACH_STORE);
        this.cells = context.getStateStore(OutreachTopology.PERSON_CELLS_STORE);
        this.reference = ReferenceData.from(context);
        this.pending = context.getStateStore(OutreachTopology.PERSON_PENDING_STORE);
        context.schedule(interval, org.apache.kafka.streams.processor.PunctuationType.WALL_CLOCK_TIME, this::flush);
    }

    void flush(long wallClock) {
        List<org.apache.kafka.streams.KeyValue<String, InternalSerdes.CellDelta>> all = new ArrayList<>();
        try (KeyValueIterator<String, InternalSerdes.CellDelta> it = pending.all()) {
            it.forEachRemaining(all::add);
        }
        for (var entry : all) {
            pending.delete(entry.key);
            InternalSerdes.CellDelta d = entry.value;
            if (d.reached() != 0 || d.newlyReached() != 0) {
                context.forward(new Record<>(entry.key, d, wallClock));
            }
        }
    }

    @Override
    public void process(Record<String, InternalSerdes.ReachChange> record) {
        String personKey = record.key();
        InternalSerdes.ReachChange change = record.value();
        if (personKey == null || change == null) {
            return;
        }
        String key = Keys.join(personKey, change.aggregate());
        if (change.reach() == null) {
            reaches.delete(key);
        } else {
            reaches.put(key, change.reach());
        }
        List<Reach> all = new ArrayList<>();
        long asOf = change.reach() == null ? 0 : change.reach().asOf();
        try (KeyValueIterator<String, Reach> it = reaches.prefixScan(Keys.prefix(personKey), Serdes.String().serializer())) {
            while (it.hasNext()) {
                Reach r = it.next().value;
                all.add(r);
                asOf = Math.max(asOf, r.asOf());
            }
        }
        String program = personKey.substring(0, personKey.indexOf(Keys.SEP));
        Map<String, Boolean> now = PersonCells.compute(program, all, reference::districtOf, reference::upazilaOf);
        Map<String, Boolean> before = cells.get(personKey);
        before = before == null ? Map.of() : before;
        sendDeltas(before, now, asOf);
        if (now.isEmpty()) {
            cells.delete(personKey);
        } else if (!now.equals(before)) {
            cells.put(personKey, now);
        }
    }

    private void sendDeltas(Map<String, Boolean> before, Map<String, Boolean> now, long asOf) {
        TreeSet<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(now.keySet());
        for (String cell : keys) {
            Boolean was = before.get(cell);
            Boolean is = now.get(cell);
            int reached = (is != null ? 1 : 0) - (was != null ? 1 : 0);
            int newly = (Boolean.TRUE.equals(is) ? 1 : 0) - (Boolean.TRUE.equals(was) ? 1 : 0);
            if (reached != 0 || newly != 0) {
                InternalSerdes.CellDelta old = pending.get(cell);
                pending.put(cell, old == null ? new InternalSerdes.CellDelta(reached, newly, asOf)
                        : new InternalSerdes.CellDelta(old.reached() + reached, old.newlyReached() + newly, Math.max(old.asOf(), asOf)));
            }
        }
    }
}
