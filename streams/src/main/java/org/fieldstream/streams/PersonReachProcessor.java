package org.fieldstream.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keyed by {@code program|person}: keeps what each aggregate contributes to the person and the
 * person's {@link PersonCells}, and sends +1/-1 deltas for the cells entered and left, keyed by cell.
 * Because a person is in a cell at most once, the sum of the deltas of a cell is exactly its
 * distinct count (exactly-once makes every delta count once).
 *
 * <p>Deltas go out on a wall-clock punctuation, summed per cell: the persons of a task share most
 * cells (every person is in the program's month, quarter and to-date cells), so one summed delta per
 * cell replaces thousands of +1s on the repartition topic. Between punctuations the first change of a
 * person records the cells the count stage last saw for them ({@code pending}, a store, so the deltas
 * survive a crash under exactly-once); the punctuation sends the difference to the current cells.
 * One store write per changed person instead of one per changed cell.
 */
final class PersonReachProcessor implements Processor<String, InternalSerdes.ReachChange, String, InternalSerdes.CellDelta> {

    private final Duration interval;
    private ProcessorContext<String, InternalSerdes.CellDelta> context;
    private KeyValueStore<String, Reach> reaches;
    private KeyValueStore<String, Map<String, Boolean>> cells;
    private KeyValueStore<String, InternalSerdes.SentCells> pending;
    private ReferenceData reference;

    PersonReachProcessor(Duration interval) {
        this.interval = interval;
    }

    @Override
    public void init(ProcessorContext<String, InternalSerdes.CellDelta> context) {
        this.context = context;
        this.reaches = context.getStateStore(OutreachTopology.PERSON_REACH_STORE);
        this.cells = context.getStateStore(OutreachTopology.PERSON_CELLS_STORE);
        this.pending = context.getStateStore(OutreachTopology.PERSON_PENDING_STORE);
        this.reference = ReferenceData.from(context);
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, this::flush);
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
        if (now.equals(before)) {
            return;
        }
        InternalSerdes.SentCells sent = pending.get(personKey);
        pending.put(personKey, new InternalSerdes.SentCells(sent == null ? before : sent.cells(), asOf));
        if (now.isEmpty()) {
            cells.delete(personKey);
        } else {
            cells.put(personKey, now);
        }
    }

    void flush(long wallClock) {
        List<KeyValue<String, InternalSerdes.SentCells>> changed = new ArrayList<>();
        try (KeyValueIterator<String, InternalSerdes.SentCells> it = pending.all()) {
            it.forEachRemaining(changed::add);
        }
        Map<String, InternalSerdes.CellDelta> deltas = new TreeMap<>();
        for (KeyValue<String, InternalSerdes.SentCells> person : changed) {
            pending.delete(person.key);
            Map<String, Boolean> now = cells.get(person.key);
            addDeltas(deltas, person.value.cells(), now == null ? Map.of() : now, person.value.asOf());
        }
        deltas.forEach((cell, delta) -> {
            if (delta.reached() != 0 || delta.newlyReached() != 0) {
                context.forward(new Record<>(cell, delta, wallClock));
            }
        });
    }

    private static void addDeltas(Map<String, InternalSerdes.CellDelta> deltas, Map<String, Boolean> before,
                                  Map<String, Boolean> now, long asOf) {
        TreeSet<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(now.keySet());
        for (String cell : keys) {
            Boolean was = before.get(cell);
            Boolean is = now.get(cell);
            int reached = (is != null ? 1 : 0) - (was != null ? 1 : 0);
            int newly = (Boolean.TRUE.equals(is) ? 1 : 0) - (Boolean.TRUE.equals(was) ? 1 : 0);
            if (reached != 0 || newly != 0) {
                deltas.merge(cell, new InternalSerdes.CellDelta(reached, newly, asOf), (a, b) ->
                        new InternalSerdes.CellDelta(a.reached() + b.reached(), a.newlyReached() + b.newlyReached(),
                                Math.max(a.asOf(), b.asOf())));
            }
        }
    }
}
