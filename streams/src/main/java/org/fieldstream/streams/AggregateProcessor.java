package org.fieldstream.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.RecordRetracted;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed by aggregate (cohort or dialogue) id, the events' key. Each event changes a few small
 * values by a delta ({@link RecordDelta}): its record's {@link RootRecord} (the latest revision
 * wins; a correction or a retraction first takes the old content's contribution back), then either
 * the person's {@link PersonState} (enrolment, attendance, exit, dialogue attendee) or the
 * aggregate's {@link AggregateHeader} (registration, session, DialogueHeld), and marks what changed.
 *
 * <p>On a wall-clock punctuation each dirty person's {@link Derived} figures are recomputed from
 * their state and the header, the header's counters move from the old figures to the new ones, and
 * only rows whose content changed are written: the participant's row, the cohort's totals, the
 * person's group and the survival points (total and the group's) their last presence moved; a dialogue's summary and
 * attendance rows; and the person's {@link Reach}, when it changed, to the outreach stage (keyed
 * {@code program|person}). The cost of an event does not depend on the size of its cohort. A change
 * of the cohort's registration or of a session's date moves every participant's expected sessions
 * and recomputes every participant of the cohort: those are rare.
 *
 * <p>Rows are {@link MetricRow}s, each forwarded to the child its family names; the aggregate-level
 * ones through {@link AggregateRows}. The processor's stores are declared by its {@link Supplier}. Metric rows carry {@code as_of} from {@link EventDays}:
 * a participant row the latest day among the cohort's registration and held sessions and the
 * person's enrolment and dated exits (a presence takes its session's date, so it is covered);
 * a cohort total or group row the same over all its participants; a survival point that of its
 * grain's row (the cohort total's, or its group's); a dialogue row the dialogue's held date.
 *
 * <p>After a {@link QuietSpell} the first event that marks something runs the punctuation's flush at
 * once, so an event into an idle pipeline does not wait for the timer, and asks for a commit, so its
 * rows do not wait for the commit interval either (the stream thread commits a requested task at
 * the end of the loop turn that processed it).
 */
final class AggregateProcessor implements Processor<String, FieldEvent, String, AggregateOutput> {

    private static final Logger LOG = LoggerFactory.getLogger(AggregateProcessor.class);

    static final String ROOTS_STORE = "aggregate-roots";
    static final String PERSONS_STORE = "aggregate-persons";
    static final String HEADERS_STORE = "aggregate-headers";
    static final String DIRTY_STORE = "aggregate-dirty";
    /** The fingerprints of the row schemas this task's rows were last written with ({@link OutputSchemas}). */
    static final String SCHEMAS_STORE = "aggregate-output-schemas";
    /** The row families this processor writes, by Avro schema. */
    static final Set<String> FAMILIES = Set.of(OutputSchemas.RETENTION, OutputSchemas.CURVE, OutputSchemas.PARTICIPANTS,
            OutputSchemas.DIALOGUES, OutputSchemas.ATTENDANCE);

    /**
     * Creates the processors and declares the stores they use. Records, persons and headers grow with
     * the data: RocksDB, so memory stays bounded. Dirty marks are drained at every punctuation, so they
     * stay small: in memory (still changelogged, so exactly-once recovery is unchanged). The record
     * store skips the record cache: nearly every event writes a root of its own, so there is nothing to
     * coalesce between commits.
     */
    record Supplier(Duration interval, OutputSchemas schemas) implements ProcessorSupplier<String, FieldEvent, String, AggregateOutput> {
        @Override
        public Processor<String, FieldEvent, String, AggregateOutput> get() {
            return new AggregateProcessor(interval, schemas);
        }

        @Override
        public Set<StoreBuilder<?>> stores() {
            return Set.of(
                    Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ROOTS_STORE), Serdes.String(), InternalSerdes.rootRecord()),
                    Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PERSONS_STORE), Serdes.String(), InternalSerdes.personState())
                            .withCachingEnabled(),
                    Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HEADERS_STORE), Serdes.String(), InternalSerdes.header())
                            .withCachingEnabled(),
                    Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(DIRTY_STORE), Serdes.String(), Serdes.ByteArray())
                            .withCachingEnabled(),
                    OutputSchemas.store(SCHEMAS_STORE));
        }
    }

    private final Duration interval;
    private final OutputSchemas schemas;
    private ProcessorContext<String, AggregateOutput> context;
    private KeyValueStore<String, RootRecord> roots;
    private KeyValueStore<String, PersonState> persons;
    private KeyValueStore<String, AggregateHeader> headers;
    private KeyValueStore<String, Long> recordedSchemas;
    private AggregateMarks marks;
    private ReferenceData reference;
    private final AggregateRows rows = new AggregateRows(this::forward);
    private final Map<String, ProgramParams> params = new HashMap<>();
    private final Map<Integer, String> months = new HashMap<>();
    private boolean schemasChecked;
    private long now;
    private final QuietSpell quiet;

    AggregateProcessor(Duration interval, OutputSchemas schemas) {
        this.interval = interval;
        this.schemas = schemas;
        this.quiet = new QuietSpell(interval);
    }

    @Override
    public void init(ProcessorContext<String, AggregateOutput> context) {
        this.context = context;
        this.roots = context.getStateStore(ROOTS_STORE);
        this.persons = context.getStateStore(PERSONS_STORE);
        this.headers = context.getStateStore(HEADERS_STORE);
        this.recordedSchemas = context.getStateStore(SCHEMAS_STORE);
        this.marks = new AggregateMarks(context.getStateStore(DIRTY_STORE));
        this.reference = ReferenceData.from(context);
        this.schemasChecked = false;
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, wallClock -> quiet.timed(() -> flush(wallClock)));
    }

    @Override
    public void process(Record<String, FieldEvent> record) {
        FieldEvent event = record.value();
        if (event == null) {
            return;
        }
        String aggregate = event.getAggregateId();
        String rootKey = aggregate + Keys.SEP + event.getRootId();
        RootRecord current = roots.get(rootKey);
        boolean retraction = event.getPayload() instanceof RecordRetracted;
        if (current != null && !RootRecord.wins(event.getRevision(), event.getEventId(), retraction, current)) {
            return; // an older revision or a duplicate
        }
        RootRecord next = RootRecord.of(event);
        roots.put(rootKey, next);
        RecordDelta change = new RecordDelta(aggregate, persons, headers, marks);
        if (current != null && !current.retracted()) {
            change.apply(current, null, -1);
        }
        if (!retraction) {
            change.apply(next, event, 1);
        }
        change.save();
        long wallClock = context.currentSystemTimeMs();
        if (!marks.isEmpty() && quiet.begins(wallClock)) {
            flush(wallClock);
            context.commit();
        }
    }

    /**
     * The first punctuation (or quiet-spell flush) of a task rewrites the rows of every family whose
     * schema changed since they were written ({@link OutputSchemas}); every punctuation then
     * recomputes every dirty person and aggregate, with reference lookups memoised for the punctuation.
     */
    void flush(long wallClock) {
        if (!schemasChecked) {
            rewriteChangedFamilies(wallClock);
            schemasChecked = true;
        }
        recomputeDirty(wallClock);
    }

    private void rewriteChangedFamilies(long wallClock) {
        Set<String> changed = schemas.changed(recordedSchemas, FAMILIES);
        if (!changed.isEmpty()) {
            now = wallClock;
            long written = new StoredRows(persons, headers, this::forward, wallClock).rewrite(changed);
            schemas.record(recordedSchemas, changed);
            if (written > 0) {
                LOG.info("task {}: rows of {} were written with another schema: {} rows written again", context.taskId(), changed, written);
            }
        }
    }

    private void recomputeDirty(long wallClock) {
        List<KeyValue<String, byte[]>> marks = this.marks.drain();
        if (marks.isEmpty()) {
            return;
        }
        quiet.flushed(wallClock);
        now = wallClock;
        rows.at(wallClock);
        params.clear();
        months.clear();
        int aggregates = 0;
        int i = 0;
        while (i < marks.size()) {
            String key = marks.get(i).key;
            String aggregate = key.substring(0, key.indexOf(Keys.SEP));
            String prefix = aggregate + Keys.SEP;
            boolean all = false;
            List<String> dirtyPersons = new ArrayList<>();
            for (; i < marks.size() && marks.get(i).key.startsWith(prefix); i++) {
                String person = marks.get(i).key.substring(prefix.length());
                if (person.isEmpty()) {
                    all |= marks.get(i).value[0] == AggregateMarks.ALL;
                } else {
                    dirtyPersons.add(person);
                }
            }
            recompute(aggregate, all, dirtyPersons);
            aggregates++;
        }
        LOG.debug("recomputed {} aggregates from {} marks", aggregates, marks.size());
    }

    private void recompute(String aggregate, boolean all, List<String> dirtyPersons) {
        AggregateHeader header = headers.get(aggregate);
        if (header == null) {
            header = new AggregateHeader();
        }
        AggregateFacts facts = AggregateFacts.of(aggregate, header, this::params);
        List<KeyValue<String, PersonState>> states = new ArrayList<>();
        if (all) {
            try (KeyValueIterator<String, PersonState> it = persons.prefixScan(aggregate + Keys.SEP, Serdes.String().serializer())) {
                it.forEachRemaining(states::add);
            }
        } else {
            for (String person : dirtyPersons) {
                String key = Keys.join(aggregate, person);
                PersonState state = persons.get(key);
                states.add(KeyValue.pair(key, state == null ? new PersonState() : state));
            }
        }
        int personStart = aggregate.length() + 1;
        for (KeyValue<String, PersonState> s : states) {
            update(aggregate, s.key.substring(personStart), s.value, header, facts);
            if (s.value.isEmpty()) {
                persons.delete(s.key);
            } else {
                persons.put(s.key, s.value);
            }
        }
        rows.cohortRows(aggregate, header, facts);
        rows.dialogueRows(aggregate, header, facts);
        header.cohortEnvelope = facts.cohortEnvelope();
        header.dialogueEnvelope = facts.dialogueEnvelope();
        if (header.isEmpty()) {
            headers.delete(aggregate);
        } else {
            headers.put(aggregate, header);
        }
    }

    /** One person: figures into the header, the participant row and the reach, each only when changed. */
    private void update(String aggregate, String person, PersonState state, AggregateHeader header, AggregateFacts facts) {
        Derived old = state.derived;
        Derived now = facts.derive(state);
        AggregateHeader.Envelope envelope = facts.cohortEnvelope();
        AggregateHeader.Envelope previous = header.cohortEnvelope;
        if (state.rowLive && (envelope == null || now == null)) {
            state.rowVersion = Versions.next(state.rowVersion, this.now);
            forward(Keys.join(aggregate, person),
                    new MetricRow.Participant(previous, person, old, new RowStamp(state.rowVersion, this.now, true)));
            state.rowLive = false;
        } else if (envelope != null && now != null && (!state.rowLive || !envelope.equals(previous) || !now.equals(old))) {
            state.rowVersion = Versions.next(state.rowVersion, this.now);
            forward(Keys.join(aggregate, person),
                    new MetricRow.Participant(envelope, person, now, new RowStamp(state.rowVersion, this.now, false)));
            state.rowLive = true;
        }
        if (!Objects.equals(old, now)) {
            if (old != null) {
                header.count(old, -1);
            }
            if (now != null) {
                header.count(now, 1);
            }
            state.derived = now;
        }
        Reach reach = facts.dialogue() ? dialogueReach(aggregate, state, facts) : cohortReach(aggregate, state, facts);
        long fingerprint = reach == null ? 0L : reach.fingerprint();
        if (fingerprint != state.sentFingerprint || (reach != null && !reach.program().equals(state.sentProgram))) {
            String sent = state.sentProgram;
            if (sent != null && (reach == null || !reach.program().equals(sent))) {
                forward(Keys.join(sent, person), new InternalSerdes.ReachChange(aggregate, null));
            }
            if (reach != null) {
                forward(Keys.join(reach.program(), person), new InternalSerdes.ReachChange(aggregate, reach));
            }
            state.sentProgram = reach == null ? null : reach.program();
            state.sentFingerprint = fingerprint;
        }
    }

    /**
     * A presence at a held session is a reach (enrolled or not), in the month of the session's date,
     * placed at the cohort's partner and org unit; a live enrolment offers the person's attributes (as
     * the cohort's partner recorded them), reached here or not. Before its registration a cohort's reach is in the program and partner its
     * aggregate id names.
     */
    private Reach cohortReach(String aggregate, PersonState state, AggregateFacts facts) {
        if (facts.reachProgram() == null) {
            return null;
        }
        PersonState.Enrolment e = state.enrolment();
        List<Reach.Place> places = new ArrayList<>(2);
        for (int i = 0; i < state.present.size(); i++) {
            int day = facts.header().sessionDay(state.present.keyAt(i));
            if (day != EventDays.NONE) {
                places.add(new Reach.Place(month(day), facts.reachPartner(), facts.reachOrgUnit(), day));
            }
        }
        if (e == null && places.isEmpty()) {
            return null;
        }
        Reach.Attributes attributes = e == null ? null : new Reach.Attributes(Groups.SEXES.get(e.sex()), Groups.BANDS.get(e.band()),
                e.day(), Reach.Attributes.ENROLMENT, aggregate, facts.reachPartner());
        return Reach.sorted(facts.reachProgram(), attributes, places);
    }

    /** An identified attendee of a held dialogue is reached in the dialogue's month; the least event id gives sex and age band. */
    private Reach dialogueReach(String aggregate, PersonState state, AggregateFacts facts) {
        AggregateHeader.Held held = facts.held();
        PersonState.Attendee a = state.attendee();
        if (held == null || a == null) {
            return null;
        }
        Reach.Attributes attributes = new Reach.Attributes(Groups.SEXES.get(a.sex()), Groups.BANDS.get(a.band()), held.day(),
                Reach.Attributes.DIALOGUE, aggregate, held.partner());
        return new Reach(held.program(), attributes, List.of(new Reach.Place(month(held.day()), held.partner(), held.orgUnit(), held.day())));
    }

    private ProgramParams params(String program) {
        return params.computeIfAbsent(program, reference::params);
    }

    private String month(int day) {
        return months.computeIfAbsent(day, d -> Periods.month(EventDays.date(d)));
    }

    private void forward(String key, AggregateOutput value) {
        context.forward(new Record<>(key, value, now), value.child());
    }
}
