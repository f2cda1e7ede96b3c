package org.fieldstream.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

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

/**
 * Keyed by {@code program|person}: keeps what each aggregate contributes to the person and the
 * person's {@link Placement}, and sends deltas for the outreach cells of the person's group (sex x
 * age band; in a partner's cells as that partner recorded it) entered and left: +1/-1 person, +1/-1 newly reached, and the person's day in the cell
 * moved. Because a person is in a cell at most once, the sum of the deltas of a cell is exactly its
 * distinct count (exactly-once makes every delta count once). The cells for all groups are not
 * sent: the count stage sums them from the group cells.
 *
 * <p>Deltas go out on a wall-clock punctuation, summed per cell and keyed by the cell without its
 * group, so the groups of one cell travel in one record to one task: the persons of a task share
 * most cells (every person is in the program's month, quarter and to-date cells), so one summed
 * delta per cell replaces thousands of +1s on the repartition topic. The first placement change of a person
 * after a punctuation records the placement the count stage last saw ({@code pending}, a store, so
 * the deltas survive a crash under exactly-once); the punctuation sends the difference between the
 * cells of that placement and of the current one. Most reach changes (a further session in a month
 * already counted) leave the placement as it was and cost one read and one write of the person.
 * Org-unit roll-ups are memoised between punctuations, and the current placement of each person
 * changed since the last punctuation is kept in memory, so the punctuation does not read the person
 * again (after a restart, when that memory is empty, it reads the store).
 *
 * <p>After a {@link QuietSpell} the first placement change (and the others of the aggregate stage's
 * flush that sent it) runs the punctuation's flush at once, so a new person's reach into an idle
 * pipeline does not wait for this stage's timer, and asks for a commit, so its deltas do not wait
 * for the commit interval either.
 */
final class PersonReachProcessor implements Processor<String, InternalSerdes.ReachChange, String, InternalSerdes.CellDeltas> {

    static final String PERSON_STORE = "outreach-persons";
    static final String PENDING_STORE = "outreach-persons-pending";

    /** Creates the processors and declares their stores: persons are large (RocksDB), pending persons are drained at every punctuation (memory). */
    record Supplier(Duration interval) implements ProcessorSupplier<String, InternalSerdes.ReachChange, String, InternalSerdes.CellDeltas> {
        @Override
        public Processor<String, InternalSerdes.ReachChange, String, InternalSerdes.CellDeltas> get() {
            return new PersonReachProcessor(interval);
        }

        @Override
        public Set<StoreBuilder<?>> stores() {
            return Set.of(
                    Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PERSON_STORE), Serdes.String(), InternalSerdes.personReaches())
                            .withCachingEnabled(),
                    Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PENDING_STORE), Serdes.String(), InternalSerdes.sentPlacement())
                            .withCachingEnabled());
        }
    }

    private final Duration interval;
    private ProcessorContext<String, InternalSerdes.CellDeltas> context;
    private KeyValueStore<String, InternalSerdes.PersonReaches> persons;
    private KeyValueStore<String, InternalSerdes.SentPlacement> pending;
    private ReferenceData reference;
    private final Map<String, String> districts = new HashMap<>();
    private final Map<String, String> upazilas = new HashMap<>();
    /** Persons whose placement changed since the last punctuation, with their current placement (null: none). */
    private final Map<String, Placement> changedSinceFlush = new HashMap<>();
    private final QuietSpell quiet;

    PersonReachProcessor(Duration interval) {
        this.interval = interval;
        this.quiet = new QuietSpell(interval);
    }

    @Override
    public void init(ProcessorContext<String, InternalSerdes.CellDeltas> context) {
        this.context = context;
        this.persons = context.getStateStore(PERSON_STORE);
        this.pending = context.getStateStore(PENDING_STORE);
        this.reference = ReferenceData.from(context);
        changedSinceFlush.clear(); // a task revived after corruption starts from the restored stores
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, wallClock -> quiet.timed(() -> flush(wallClock)));
    }

    @Override
    public void process(Record<String, InternalSerdes.ReachChange> record) {
        String personKey = record.key();
        InternalSerdes.ReachChange change = record.value();
        if (personKey == null || change == null) {
            return;
        }
        InternalSerdes.PersonReaches before = persons.get(personKey);
        Map<String, Reach> reaches = before == null ? new TreeMap<>() : new TreeMap<>(before.reaches());
        if (change.reach() == null) {
            reaches.remove(change.aggregate());
        } else {
            reaches.put(change.aggregate(), change.reach());
        }
        String program = personKey.substring(0, personKey.indexOf(Keys.SEP));
        Placement placement = Placement.of(program, reaches.values(), this::districtOf, this::upazilaOf);
        Placement previous = before == null ? null : before.placement();
        if (reaches.isEmpty()) {
            persons.delete(personKey);
        } else {
            persons.put(personKey, new InternalSerdes.PersonReaches(reaches, placement));
        }
        if (changedSinceFlush.containsKey(personKey)) {
            changedSinceFlush.put(personKey, placement);
        } else if (!Objects.equals(placement, previous)) {
            if (pending.get(personKey) == null) {
                pending.put(personKey, new InternalSerdes.SentPlacement(previous));
            }
            changedSinceFlush.put(personKey, placement);
        }
        long wallClock = context.currentSystemTimeMs();
        if (!changedSinceFlush.isEmpty() && quiet.flushNow(wallClock, record.timestamp())) {
            flush(wallClock);
            context.commit();
        }
    }

    private String districtOf(String orgUnit) {
        return orgUnit == null ? null : districts.computeIfAbsent(orgUnit, reference::districtOf);
    }

    private String upazilaOf(String orgUnit) {
        return orgUnit == null ? null : upazilas.computeIfAbsent(orgUnit, reference::upazilaOf);
    }

    void flush(long wallClock) {
        districts.clear();
        upazilas.clear();
        List<KeyValue<String, InternalSerdes.SentPlacement>> changed = new ArrayList<>();
        try (KeyValueIterator<String, InternalSerdes.SentPlacement> it = pending.all()) {
            it.forEachRemaining(changed::add);
        }
        Map<Placement.CellKey, Delta> deltas = new HashMap<>();
        if (!changed.isEmpty()) {
            quiet.flushed(wallClock);
        }
        for (KeyValue<String, InternalSerdes.SentPlacement> person : changed) {
            pending.delete(person.key);
            Placement current;
            if (changedSinceFlush.containsKey(person.key)) {
                current = changedSinceFlush.get(person.key);
            } else {
                InternalSerdes.PersonReaches now = persons.get(person.key);
                current = now == null ? null : now.placement();
            }
            if (!Objects.equals(person.value.placement(), current)) {
                addDeltas(deltas, Placement.changes(person.value.placement(), current));
            }
        }
        changedSinceFlush.clear();
        TreeMap<String, List<InternalSerdes.CellDelta>> byBase = new TreeMap<>();
        deltas.forEach((cell, d) -> {
            if (!d.isZero()) {
                byBase.computeIfAbsent(cell.baseText(), b -> new ArrayList<>())
                        .add(new InternalSerdes.CellDelta(cell.group(), d.reached, d.newly, d.days));
            }
        });
        byBase.forEach((base, groups) -> context.forward(new Record<>(base, new InternalSerdes.CellDeltas(groups), wallClock)));
    }

    /** Summed change of one cell while it is being collected. */
    private static final class Delta {
        int reached;
        int newly;
        final Counts days = new Counts();

        boolean isZero() {
            return reached == 0 && newly == 0 && days.isEmpty();
        }
    }

    /** Adds the moves of one person between the cells of two placements ({@code [before, after]} per cell) to {@code deltas}. */
    private static void addDeltas(Map<Placement.CellKey, Delta> deltas, Map<Placement.CellKey, Placement.Cell[]> changes) {
        changes.forEach((cell, change) -> {
            Placement.Cell was = change[0];
            Placement.Cell is = change[1];
            Delta d = deltas.computeIfAbsent(cell, c -> new Delta());
            d.reached += (is == null ? 0 : 1) - (was == null ? 0 : 1);
            d.newly += (is != null && is.isNew() ? 1 : 0) - (was != null && was.isNew() ? 1 : 0);
            if (is != null) {
                d.days.addSigned(is.day(), 1);
            }
            if (was != null) {
                d.days.addSigned(was.day(), -1);
            }
        });
    }
}
