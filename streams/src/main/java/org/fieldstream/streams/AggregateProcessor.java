package org.fieldstream.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fieldstream.events.DialogueAttended;
import org.fieldstream.events.DialogueHeld;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.ParticipantEnrolled;
import org.fieldstream.events.RecordRetracted;
import org.fieldstream.events.TrainingCohortRegistered;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed by aggregate (cohort or dialogue) id, the events' key. Each event changes a few small
 * values by a delta: its record's {@link RootRecord} (the latest revision wins; a correction or a
 * retraction first takes the old content's contribution back), then either the person's
 * {@link PersonState} (enrolment, attendance, exit, dialogue attendee) or the aggregate's
 * {@link AggregateHeader} (registration, session, DialogueHeld), and marks what changed dirty.
 *
 * <p>On a wall-clock punctuation each dirty person's {@link Derived} figures are recomputed from
 * their state and the header, the header's counters move from the old figures to the new ones, and
 * only rows whose content changed are written: the participant's row, the cohort's totals, the
 * person's group and the survival points their last presence moved; a dialogue's summary and
 * attendance rows; and the person's {@link Reach}, when it changed, to the outreach stage (keyed
 * {@code program|person}). The cost of an event does not depend on the size of its cohort. A change
 * of the cohort's registration or of a session's date moves every participant's expected sessions
 * and recomputes every participant of the cohort: those are rare.
 *
 * <p>Rows go to their sink by child name. Metric rows carry {@code as_of} from {@link EventDays}:
 * a participant row the latest day among the cohort's registration and held sessions and the
 * person's enrolment and dated exits (a presence takes its session's date, so it is covered);
 * a cohort total or group row the same over all its participants; a survival point the cohort
 * total's; a dialogue row the dialogue's held date.
 */
final class AggregateProcessor implements Processor<String, FieldEvent, String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(AggregateProcessor.class);

    /** Dirty marks: the aggregate's rows, or every person of the aggregate (registration or session dates changed). */
    static final byte MARK_PERSON = 0;
    static final byte MARK_ROWS = 1;
    static final byte MARK_ALL = 2;
    private static final byte[][] MARKS = {{MARK_PERSON}, {MARK_ROWS}, {MARK_ALL}};

    private final Duration interval;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, RootRecord> roots;
    private KeyValueStore<String, PersonState> persons;
    private KeyValueStore<String, AggregateHeader> headers;
    private KeyValueStore<String, byte[]> dirty;
    private ReferenceData reference;
    private final Map<String, ProgramParams> params = new HashMap<>();
    private final Map<Integer, String> months = new HashMap<>();
    private long now;

    AggregateProcessor(Duration interval) {
        this.interval = interval;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.roots = context.getStateStore(MetricsTopology.ROOTS_STORE);
        this.persons = context.getStateStore(MetricsTopology.PERSONS_STORE);
        this.headers = context.getStateStore(MetricsTopology.HEADERS_STORE);
        this.dirty = context.getStateStore(MetricsTopology.DIRTY_STORE);
        this.reference = ReferenceData.from(context);
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, this::flush);
    }

    @Override
    public void process(Record<String, FieldEvent> record) {
        long cpu = ProcessorCpu.start();
        apply(record.value());
        ProcessorCpu.stop(cpu);
    }

    private void apply(FieldEvent event) {
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
        Change change = new Change(aggregate);
        if (current != null && !current.retracted()) {
            change.apply(current, null, -1);
        }
        if (!retraction) {
            change.apply(next, event, 1);
        }
        change.save();
    }

    /** The state one event touches, loaded on first use and written once at the end. */
    private final class Change {
        private final String aggregate;
        private AggregateHeader header;
        private boolean headerChanged;
        private final Map<String, PersonState> changed = new LinkedHashMap<>(2);
        private byte aggregateMark = -1;

        Change(String aggregate) {
            this.aggregate = aggregate;
        }

        private AggregateHeader header() {
            if (header == null) {
                header = headers.get(aggregate);
                if (header == null) {
                    header = new AggregateHeader();
                }
            }
            headerChanged = true;
            return header;
        }

        private PersonState person(String personId) {
            return changed.computeIfAbsent(personId, p -> {
                PersonState s = persons.get(Keys.join(aggregate, p));
                return s == null ? new PersonState() : s;
            });
        }

        private void markAggregate(byte mark) {
            aggregateMark = (byte) Math.max(aggregateMark, mark);
        }

        /** Adds ({@code sign} 1, with its event) or takes back (-1) a live record's contribution. */
        void apply(RootRecord r, FieldEvent event, int sign) {
            switch (r.kind()) {
                case RootRecord.REGISTRATION -> {
                    AggregateHeader h = header();
                    AggregateHeader.Registration before = h.registration();
                    if (sign > 0) {
                        h.registrations.add(registration(event));
                    } else {
                        h.registrations.removeIf(x -> x.eventId().equals(r.eventId()));
                    }
                    if (!Objects.equals(before, h.registration())) {
                        markAggregate(MARK_ALL);
                    }
                }
                case RootRecord.SESSION -> {
                    if (header().countSession(r.session(), r.day(), sign)) {
                        markAggregate(MARK_ALL);
                    }
                }
                case RootRecord.ENROLMENT -> {
                    PersonState p = person(r.person());
                    if (sign > 0) {
                        ParticipantEnrolled e = (ParticipantEnrolled) event.getPayload();
                        p.enrolments.add(new PersonState.Enrolment(r.eventId(), EventDays.of(e.getEnrolledOn()),
                                Groups.sexIndex(e.getSex()),
                                Groups.bandIndex(AgeBand.atEnrolment(e.getAge(), e.getBirthYear(), e.getEnrolledOn()))));
                    } else {
                        p.removeEnrolment(r.eventId());
                    }
                }
                case RootRecord.ATTENDANCE -> {
                    if (r.code() == RootRecord.PRESENT) {
                        person(r.person()).present.add(r.session(), sign);
                    }
                }
                case RootRecord.EXIT -> person(r.person()).addExit(r.code(), r.day(), sign);
                case RootRecord.DIALOGUE_HELD -> {
                    AggregateHeader h = header();
                    AggregateHeader.Held before = h.held();
                    if (sign > 0) {
                        h.helds.add(held(event));
                    } else {
                        h.helds.removeIf(x -> x.eventId().equals(r.eventId()));
                    }
                    if (!Objects.equals(before, h.held())) {
                        markAggregate(MARK_ALL);
                    }
                }
                case RootRecord.DIALOGUE_ATTENDED -> {
                    AggregateHeader h = header();
                    h.countAttendee(r.role(), r.code(), sign);
                    markAggregate(MARK_ROWS);
                    if (r.person() != null) {
                        PersonState p = person(r.person());
                        boolean had = !p.attendees.isEmpty();
                        if (sign > 0) {
                            DialogueAttended a = (DialogueAttended) event.getPayload();
                            p.attendees.add(new PersonState.Attendee(r.eventId(), r.code(), Groups.bandIndex(AgeBand.of(a.getAge()))));
                        } else {
                            p.removeAttendee(r.eventId());
                        }
                        h.identified += (p.attendees.isEmpty() ? 0 : 1) - (had ? 1 : 0);
                    }
                }
                default -> throw new IllegalStateException("no content to apply for record kind " + r.kind());
            }
        }

        void save() {
            if (headerChanged) {
                if (header.isEmpty()) {
                    headers.delete(aggregate);
                } else {
                    headers.put(aggregate, header);
                }
            }
            for (Map.Entry<String, PersonState> p : changed.entrySet()) {
                String key = Keys.join(aggregate, p.getKey());
                if (p.getValue().isEmpty()) {
                    persons.delete(key);
                } else {
                    persons.put(key, p.getValue());
                }
                dirty.put(key, MARKS[MARK_PERSON]);
            }
            if (aggregateMark >= 0) {
                String key = aggregate + Keys.SEP;
                byte[] previous = dirty.get(key);
                if (previous == null || previous[0] < aggregateMark) {
                    dirty.put(key, MARKS[aggregateMark]);
                }
            }
        }
    }

    private static AggregateHeader.Registration registration(FieldEvent event) {
        TrainingCohortRegistered r = (TrainingCohortRegistered) event.getPayload();
        return new AggregateHeader.Registration(event.getEventId(), event.getOccurredAt().toEpochMilli(), event.getProgramId(),
                event.getPartnerId(), event.getOrgUnitId(), r.getCohortId(), r.getPlannedSessions(), EventDays.of(r.getStartDate()));
    }

    private static AggregateHeader.Held held(FieldEvent event) {
        DialogueHeld d = (DialogueHeld) event.getPayload();
        return new AggregateHeader.Held(event.getEventId(), event.getOccurredAt().toEpochMilli(), event.getProgramId(),
                event.getPartnerId(), event.getOrgUnitId(), d.getDialogueId(), d.getKind().name().toLowerCase(java.util.Locale.ROOT),
                d.getTopic(), EventDays.of(d.getHeldOn()));
    }

    /** Recomputes every dirty person and aggregate; reference lookups are memoised for the punctuation. */
    void flush(long wallClock) {
        long cpu = ProcessorCpu.start();
        recomputeDirty(wallClock);
        ProcessorCpu.stop(cpu);
    }

    private void recomputeDirty(long wallClock) {
        List<KeyValue<String, byte[]>> marks = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = dirty.all()) {
            it.forEachRemaining(marks::add);
        }
        if (marks.isEmpty()) {
            return;
        }
        marks.forEach(m -> dirty.delete(m.key));
        now = wallClock;
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
                    all |= marks.get(i).value[0] == MARK_ALL;
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
        cohortRows(aggregate, header, facts);
        dialogueRows(aggregate, header, facts);
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
            forward(MetricsTopology.PARTICIPANTS_SINK, Keys.join(aggregate, person),
                    MetricRows.participant(previous, person, old, state.rowVersion, this.now, true));
            state.rowLive = false;
        } else if (envelope != null && now != null && (!state.rowLive || !envelope.equals(previous) || !now.equals(old))) {
            state.rowVersion = Versions.next(state.rowVersion, this.now);
            forward(MetricsTopology.PARTICIPANTS_SINK, Keys.join(aggregate, person),
                    MetricRows.participant(envelope, person, now, state.rowVersion, this.now, false));
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
                forward(OutreachTopology.REACH_ROUTE, Keys.join(sent, person), new InternalSerdes.ReachChange(aggregate, null));
            }
            if (reach != null) {
                forward(OutreachTopology.REACH_ROUTE, Keys.join(reach.program(), person), new InternalSerdes.ReachChange(aggregate, reach));
            }
            state.sentProgram = reach == null ? null : reach.program();
            state.sentFingerprint = fingerprint;
        }
    }

    /**
     * A presence at a held session is a reach (enrolled or not), in the month of the session's date,
     * placed at the cohort's partner and org unit; a live enrolment offers the person's attributes,
     * reached here or not. Before its registration a cohort's reach is in the program and partner its
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
                e.day(), Reach.Attributes.ENROLMENT, aggregate);
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
                Reach.Attributes.DIALOGUE, aggregate);
        return new Reach(held.program(), attributes, List.of(new Reach.Place(month(held.day()), held.partner(), held.orgUnit(), held.day())));
    }

    private void cohortRows(String aggregate, AggregateHeader header, AggregateFacts facts) {
        AggregateHeader.Envelope envelope = facts.cohortEnvelope();
        AggregateHeader.Envelope previous = header.cohortEnvelope;
        boolean moved = !Objects.equals(envelope, previous);
        long[] total = envelope == null ? null : facts.totals();
        header.totals = emit(header.totals, total, moved, (values, version, deleted) -> forward(MetricsTopology.TOTALS_SINK,
                Keys.join(aggregate, MetricRows.ALL, MetricRows.ALL),
                MetricRows.retention(deleted ? previous : envelope, MetricRows.ALL, MetricRows.ALL, values, version, now, deleted)));
        for (int g = 0; g < Groups.COUNT; g++) {
            int group = g;
            long[] values = envelope == null || header.groups[g] == null ? null : facts.group(g);
            header.groupRows[g] = emit(header.groupRows[g], values, moved, (v, version, deleted) -> forward(MetricsTopology.GROUPS_SINK,
                    Keys.join(aggregate, Groups.sexOf(group), Groups.bandOf(group)),
                    MetricRows.retention(deleted ? previous : envelope, Groups.sexOf(group), Groups.bandOf(group), v, version, now, deleted)));
        }
        Map<Integer, long[]> points = envelope == null ? Map.of() : facts.curve(total);
        for (Integer k : union(header.curve.keySet(), points.keySet())) {
            AggregateHeader.Emitted e = emit(header.curve.get(k), points.get(k), moved, (v, version, deleted) -> forward(
                    MetricsTopology.CURVE_SINK, Keys.join(aggregate, Integer.toString(k)),
                    MetricRows.curvePoint(deleted ? previous : envelope, k, v, version, now, deleted)));
            if (e != null) {
                header.curve.put(k, e);
            }
        }
    }

    private void dialogueRows(String aggregate, AggregateHeader header, AggregateFacts facts) {
        AggregateHeader.Envelope envelope = facts.dialogueEnvelope();
        AggregateHeader.Envelope previous = header.dialogueEnvelope;
        if (envelope == null && previous == null) {
            return;
        }
        boolean moved = !Objects.equals(envelope, previous);
        header.summary = emit(header.summary, envelope == null ? null : facts.summary(), moved, (v, version, deleted) ->
                forward(MetricsTopology.DIALOGUES_SINK, aggregate,
                        MetricRows.dialogue(deleted ? previous : envelope, v, version, now, deleted)));
        Map<String, long[]> rows = envelope == null ? Map.of() : facts.attendance();
        for (String roleSex : union(header.attendance.keySet(), rows.keySet())) {
            AggregateHeader.Emitted e = emit(header.attendance.get(roleSex), rows.get(roleSex), moved, (v, version, deleted) ->
                    forward(MetricsTopology.ATTENDANCE_SINK, Keys.join(aggregate, roleSex),
                            MetricRows.attendance(deleted ? previous : envelope, roleSex, v, version, now, deleted)));
            if (e != null) {
                header.attendance.put(roleSex, e);
            }
        }
    }

    private interface RowWriter {
        void write(long[] values, long version, boolean deleted);
    }

    /**
     * Writes a grain's row when its figures (or the aggregate's envelope) changed, or once more with
     * {@code deleted = true} (and the figures last written) when the grain is gone ({@code values == null}).
     */
    private AggregateHeader.Emitted emit(AggregateHeader.Emitted last, long[] values, boolean envelopeMoved, RowWriter writer) {
        if (values == null) {
            if (last != null && last.live) {
                last.version = Versions.next(last.version, now);
                writer.write(last.values, last.version, true);
                last.live = false;
            }
            return last;
        }
        if (last != null && last.live && !envelopeMoved && java.util.Arrays.equals(last.values, values)) {
            return last;
        }
        long version = Versions.next(last == null ? 0L : last.version, now);
        writer.write(values, version, false);
        return new AggregateHeader.Emitted(version, true, values);
    }

    private static <T extends Comparable<T>> java.util.SortedSet<T> union(java.util.Set<T> a, java.util.Set<T> b) {
        java.util.TreeSet<T> all = new java.util.TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private ProgramParams params(String program) {
        return params.computeIfAbsent(program, reference::params);
    }

    private String month(int day) {
        return months.computeIfAbsent(day, d -> Periods.month(EventDays.date(d)));
    }

    private void forward(String child, String key, Object value) {
        context.forward(new Record<>(key, value, now), child);
    }
}
