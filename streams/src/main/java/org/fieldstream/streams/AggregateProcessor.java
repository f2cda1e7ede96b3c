package org.fieldstream.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.metrics.CohortRetention;
import org.fieldstream.metrics.DialogueAttendance;
import org.fieldstream.metrics.DialogueSummary;
import org.fieldstream.metrics.ParticipantProgress;
import org.fieldstream.metrics.RetentionCurvePoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed by aggregate (cohort or dialogue) id, the events' key: keeps each aggregate's current records
 * once, marks the aggregate dirty when they change, and on a wall-clock punctuation recomputes each
 * dirty aggregate from one snapshot: the retention rows of a cohort, the summary and attendance of a
 * dialogue, and each person's {@link Reach} from the aggregate, of which only changes are sent (keyed
 * {@code program|person}) to the person stage. A burst of events into one aggregate costs one
 * recomputation, not one per event.
 */
final class AggregateProcessor implements Processor<String, FieldEvent, String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(AggregateProcessor.class);

    private final Duration interval;
    private ProcessorContext<String, Object> context;
    private CurrentRecords records;
    private DirtyAggregates dirty;
    private ReferenceData reference;
    private KeyValueStore<String, Reach> sent;
    private MetricEmitter<CohortRetention> totals;
    private MetricEmitter<CohortRetention> groups;
    private MetricEmitter<ParticipantProgress> participants;
    private MetricEmitter<RetentionCurvePoint> curve;
    private MetricEmitter<DialogueSummary> summaries;
    private MetricEmitter<DialogueAttendance> attendance;

    AggregateProcessor(Duration interval) {
        this.interval = interval;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.records = new CurrentRecords(context.getStateStore(MetricsTopology.RECORDS_STORE));
        this.dirty = new DirtyAggregates(context.getStateStore(MetricsTopology.DIRTY_STORE));
        this.sent = context.getStateStore(MetricsTopology.SENT_STORE);
        this.reference = ReferenceData.from(context);
        KeyValueStore<String, byte[]> emitted = context.getStateStore(MetricsTopology.EMITTED_STORE);
        this.totals = new MetricEmitter<>("total", CohortRetention.class, emitted);
        this.groups = new MetricEmitter<>("group", CohortRetention.class, emitted);
        this.participants = new MetricEmitter<>("participant", ParticipantProgress.class, emitted);
        this.curve = new MetricEmitter<>("curve", RetentionCurvePoint.class, emitted);
        this.summaries = new MetricEmitter<>("dialogue", DialogueSummary.class, emitted);
        this.attendance = new MetricEmitter<>("attendance", DialogueAttendance.class, emitted);
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, this::flush);
    }

    @Override
    public void process(Record<String, FieldEvent> record) {
        FieldEvent event = record.value();
        if (event != null && records.apply(event)) {
            dirty.mark(event.getAggregateId(), event.getOccurredAt().toEpochMilli());
        }
    }

    void flush(long wallClock) {
        List<String> aggregates = dirty.drain();
        aggregates.forEach(id -> recompute(id, wallClock));
        if (!aggregates.isEmpty()) {
            LOG.debug("recomputed {} aggregates", aggregates.size());
        }
    }

    private void recompute(String aggregateId, long now) {
        CurrentRecords.Snapshot snapshot = records.snapshot(aggregateId);
        ReachCalculator.Result reach;
        if (ReachCalculator.isDialogue(snapshot)) {
            reach = ReachCalculator.dialogue(aggregateId, snapshot);
        } else {
            // a cohort, or an aggregate whose live records are all gone and whose rows must be withdrawn
            CohortView view = CohortView.of(aggregateId, snapshot);
            retention(view, now);
            reach = ReachCalculator.cohort(view, snapshot.reachAsOf());
        }
        summaries.emit(aggregateId, keyed(reach.summaries(), r -> aggregateId), now, this::forward);
        attendance.emit(aggregateId, keyed(reach.attendance(), r -> Keys.join(aggregateId, r.getRole(), r.getSex())),
                now, this::forward);
        sendReach(aggregateId, reach.reachByPerson());
    }

    private void retention(CohortView view, long now) {
        String aggregateId = view.aggregateId;
        String programId = view.envelope() == null ? null : view.envelope().getProgramId();
        ProgramParams params = programId == null ? ProgramParams.DEFAULTS : reference.params(programId);
        CohortCalculator.Result result = CohortCalculator.compute(view, params);
        totals.emit(aggregateId, keyed(result.totals(), r -> Keys.join(aggregateId, r.getSex(), r.getAgeBand())), now, this::forward);
        groups.emit(aggregateId, keyed(result.groups(), r -> Keys.join(aggregateId, r.getSex(), r.getAgeBand())), now, this::forward);
        participants.emit(aggregateId, keyed(result.participants(), r -> Keys.join(aggregateId, r.getPersonId())), now, this::forward);
        curve.emit(aggregateId, keyed(result.curve(), r -> Keys.join(aggregateId, Integer.toString(r.getSessionNumber()))),
                now, this::forward);
    }

    private void sendReach(String aggregateId, Map<String, Reach> current) {
        String prefix = Keys.prefix(aggregateId);
        List<KeyValue<String, Reach>> previous = new ArrayList<>();
        try (KeyValueIterator<String, Reach> it = sent.prefixScan(prefix, Serdes.String().serializer())) {
            it.forEachRemaining(previous::add);
        }
        for (KeyValue<String, Reach> old : previous) {
            String person = old.key.substring(prefix.length());
            Reach now = current.get(person);
            if (now == null || !now.program().equals(old.value.program())) {
                sent.delete(old.key);
                forward(Keys.join(old.value.program(), person), new InternalSerdes.ReachChange(aggregateId, null));
            }
        }
        for (Map.Entry<String, Reach> e : current.entrySet()) {
            String key = prefix + e.getKey();
            Reach old = sent.get(key);
            if (!e.getValue().sameAs(old)) {
                sent.put(key, e.getValue());
                forward(Keys.join(e.getValue().program(), e.getKey()), new InternalSerdes.ReachChange(aggregateId, e.getValue()));
            }
        }
    }

    private void forward(String key, Object value) {
        context.forward(new Record<>(key, value, context.currentSystemTimeMs()));
    }

    static <T> Map<String, T> keyed(List<T> rows, Function<T, String> key) {
        Map<String, T> map = new LinkedHashMap<>();
        rows.forEach(r -> map.put(key.apply(r), r));
        return map;
    }
}
