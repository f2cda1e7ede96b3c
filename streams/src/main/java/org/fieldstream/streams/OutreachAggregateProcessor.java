package org.fieldstream.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.ParticipantExited;
import org.fieldstream.metrics.DialogueAttendance;
import org.fieldstream.metrics.DialogueSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed by aggregate (cohort or dialogue) id: keeps the aggregate's current records and, on a
 * wall-clock punctuation for the aggregates that changed, writes dialogue summaries and attendance
 * and sends each person's changed {@link Reach} from this aggregate (or its withdrawal), keyed
 * {@code program|person}, to the person stage. The last reach sent per {@code aggregate|person} is
 * kept so that only changes travel.
 */
final class OutreachAggregateProcessor implements Processor<String, FieldEvent, String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(OutreachAggregateProcessor.class);

    private final Duration interval;
    private ProcessorContext<String, Object> context;
    private CurrentRecords records;
    private DirtyAggregates dirty;
    private KeyValueStore<String, Reach> sent;
    private MetricEmitter<DialogueSummary> summaries;
    private MetricEmitter<DialogueAttendance> attendance;

    OutreachAggregateProcessor(Duration interval) {
        this.interval = interval;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.records = new CurrentRecords(context.getStateStore(OutreachTopology.RECORDS_STORE));
        this.dirty = new DirtyAggregates(context.getStateStore(OutreachTopology.DIRTY_STORE));
        this.sent = context.getStateStore(OutreachTopology.SENT_STORE);
        KeyValueStore<String, byte[]> emitted = context.getStateStore(OutreachTopology.EMITTED_STORE);
        this.summaries = new MetricEmitter<>("dialogue", DialogueSummary.class, emitted);
        this.attendance = new MetricEmitter<>("attendance", DialogueAttendance.class, emitted);
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, this::flush);
    }

    @Override
    public void process(Record<String, FieldEvent> record) {
        FieldEvent event = record.value();
        if (event == null || event.getPayload() instanceof ParticipantExited) {
            return; // exits change no outreach figure
        }
        if (records.apply(event)) {
            dirty.mark(event.getAggregateId(), event.getOccurredAt().toEpochMilli());
        }
    }

    void flush(long wallClock) {
        List<String> aggregates = dirty.drain();
        aggregates.forEach(id -> recompute(id, wallClock));
        if (!aggregates.isEmpty()) {
            LOG.debug("recomputed outreach of {} aggregates", aggregates.size());
        }
    }

    private void recompute(String aggregateId, long now) {
        ReachCalculator.Result result = ReachCalculator.compute(aggregateId, records.snapshot(aggregateId));
        summaries.emit(aggregateId, RetentionProcessor.keyed(result.summaries(), DialogueSummary::getDialogueId), now, this::forward);
        attendance.emit(aggregateId, RetentionProcessor.keyed(result.attendance(),
                r -> Keys.join(r.getDialogueId(), r.getRole(), r.getSex())), now, this::forward);
        sendReach(aggregateId, result.reachByPerson());
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
                send(old.value.program(), person, new InternalSerdes.ReachChange(aggregateId, null));
            }
        }
        for (Map.Entry<String, Reach> e : current.entrySet()) {
            String key = prefix + e.getKey();
            Reach old = sent.get(key);
            if (!e.getValue().sameAs(old)) {
                sent.put(key, e.getValue());
                send(e.getValue().program(), e.getKey(), new InternalSerdes.ReachChange(aggregateId, e.getValue()));
            }
        }
    }

    private void send(String program, String person, InternalSerdes.ReachChange change) {
        context.forward(new Record<>(Keys.join(program, person), change, context.currentSystemTimeMs()));
    }

    private void forward(String key, Object value) {
        context.forward(new Record<>(key, value, context.currentSystemTimeMs()));
    }
}
