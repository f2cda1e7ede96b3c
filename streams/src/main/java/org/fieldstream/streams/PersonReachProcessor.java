package org.fieldstream.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

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

    private static final int REACHED = 0;
    private static final int NEWLY = 1;
    private static final int AS_OF = 2;

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
        if (!Objects.equals(placement, previous) && pending.get(personKey) == null) {
            pending.put(personKey, new InternalSerdes.SentPlacement(previous));
        }
    }

    void flush(long wallClock) {
        List<KeyValue<String, InternalSerdes.SentPlacement>> changed = new ArrayList<>();
        try (KeyValueIterator<String, InternalSerdes.SentPlacement> it = pending.all()) {
            it.forEachRemaining(changed::add);
        }
        Map<String, long[]> deltas = new HashMap<>();
        for (KeyValue<String, InternalSerdes.SentPlacement> person : changed) {
            pending.delete(person.key);
            InternalSerdes.PersonState now = persons.get(person.key);
            Placement current = now == null ? null : now.placement();
            if (!Objects.equals(person.value.placement(), current)) {
                addDeltas(deltas, Placement.cells(person.value.placement()), Placement.cells(current), now == null ? 0L : now.asOf());
            }
        }
        new TreeMap<>(deltas).forEach((cell, d) -> {
            if (d[REACHED] != 0 || d[NEWLY] != 0) {
                context.forward(new Record<>(cell, new InternalSerdes.CellDelta((int) d[REACHED], (int) d[NEWLY], d[AS_OF]), wallClock));
            }
        });
    }

    /** Adds +1/-1 per cell entered/left (and newly reached or not) to {@code deltas}: cell -> {reached, newly, asOf}. */
    private static void addDeltas(Map<String, long[]> deltas, Map<String, Boolean> before, Map<String, Boolean> now, long asOf) {
        for (Map.Entry<String, Boolean> cell : now.entrySet()) {
            Boolean was = before.get(cell.getKey());
            add(deltas, cell.getKey(), was == null ? 1 : 0, (cell.getValue() ? 1 : 0) - (Boolean.TRUE.equals(was) ? 1 : 0), asOf);
        }
        for (Map.Entry<String, Boolean> cell : before.entrySet()) {
            if (!now.containsKey(cell.getKey())) {
                add(deltas, cell.getKey(), -1, cell.getValue() ? -1 : 0, asOf);
            }
        }
    }

    private static void add(Map<String, long[]> deltas, String cell, int reached, int newly, long asOf) {
        if (reached == 0 && newly == 0) {
            return;
        }
        long[] d = deltas.computeIfAbsent(cell, c -> new long[3]);
        d[REACHED] += reached;
        d[NEWLY] += newly;
        d[AS_OF] = Math.max(d[AS_OF], asOf);
    }
}
