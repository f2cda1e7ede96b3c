package org.fieldstream.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keyed by {@code program|person}: keeps what each aggregate contributes to the person and the
 * person's {@link Placement}, and sends +1/-1 deltas for the outreach cells entered and left, keyed
 * by cell. Because a person is in a cell at most once, the sum of the deltas of a cell is exactly its
 * distinct count (exactly-once makes every delta count once).
 *
 * <p>Deltas go out on a wall-clock punctuation, summed per cell: the persons of a task share most
 * cells (every person is in the program's month, quarter and to-date cells), so one summed delta per
 * cell replaces thousands of +1s on the repartition topic. The first placement change of a person
 * after a punctuation records the placement the count stage last saw ({@code pending}, a store, so
 * the deltas survive a crash under exactly-once); the punctuation sends the difference between the
 * cells of that placement and of the current one. Most reach changes (a further session in a month
 * already counted) leave the placement as it was and cost one read and one write of the person.
 */
final class PersonReachProcessor implements Processor<String, InternalSerdes.ReachChange, String, InternalSerdes.CellDelta> {

    private final Duration interval;
    private ProcessorContext<String, InternalSerdes.CellDelta> context;
    private KeyValueStore<String, InternalSerdes.PersonState> persons;
    private KeyValueStore<String, InternalSerdes.SentPlacement> pending;
    private ReferenceData reference;

    PersonReachProcessor(Duration interval) {
        this.interval = interval;
    }

    @Override
    public void init(ProcessorContext<String, InternalSerdes.CellDelta> context) {
        this.context = context;
        this.persons = context.getStateStore(OutreachTopology.PERSON_STORE);
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
        InternalSerdes.PersonState before = persons.get(personKey);
        Map<String, Reach> reaches = before == null ? new TreeMap<>() : new TreeMap<>(before.reaches());
        if (change.reach() == null) {
            reaches.remove(change.aggregate());
        } else {
            reaches.put(change.aggregate(), change.reach());
        }
        String program = personKey.substring(0, personKey.indexOf(Keys.SEP));
        Placement placement = Placement.of(program, reaches.values(), reference::districtOf, reference::upazilaOf);
        Placement previous = before == null ? null : before.placement();
        if (reaches.isEmpty()) {
            persons.delete(personKey);
        } else {
            persons.put(personKey, new InternalSerdes.PersonState(reaches, placement));
        }
        if (!java.util.Objects.equals(placement, previous) && pending.get(personKey) == null) {
            pending.put(personKey, new InternalSerdes.SentPlacement(previous));
        }
    }

    void flush(long wallClock) {
        List<KeyValue<String, InternalSerdes.SentPlacement>> changed = new ArrayList<>();
        try (KeyValueIterator<String, InternalSerdes.SentPlacement> it = pending.all()) {
            it.forEachRemaining(changed::add);
        }
        Map<String, InternalSerdes.CellDelta> deltas = new TreeMap<>();
        for (KeyValue<String, InternalSerdes.SentPlacement> person : changed) {
            pending.delete(person.key);
            InternalSerdes.PersonState now = persons.get(person.key);
            addDeltas(deltas, Placement.cells(person.value.placement()),
                    now == null ? Map.of() : Placement.cells(now.placement()), now == null ? 0L : now.asOf());
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
