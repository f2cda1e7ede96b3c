package org.fieldstream.streams;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.fieldstream.events.AttendanceRecorded;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.ParticipantEnrolled;
import org.fieldstream.events.ParticipantExited;
import org.fieldstream.events.RecordRetracted;
import org.fieldstream.events.SessionHeld;
import org.fieldstream.events.TrainingCohortRegistered;
import org.fieldstream.metrics.CohortRetention;
import org.fieldstream.metrics.ParticipantProgress;
import org.fieldstream.metrics.RetentionCurvePoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed by cohort id: keeps each cohort's current records, marks the cohort dirty when they change
 * and recomputes dirty cohorts on a wall-clock punctuation, so a burst of events into one cohort
 * costs one recomputation rather than one per event.
 */
final class RetentionProcessor implements Processor<String, FieldEvent, String, SpecificRecordBase> {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionProcessor.class);

    private final Duration interval;
    private ProcessorContext<String, SpecificRecordBase> context;
    private CurrentRecords records;
    private DirtyAggregates dirty;
    private ReferenceData reference;
    private MetricEmitter<CohortRetention> totals;
    private MetricEmitter<CohortRetention> groups;
    private MetricEmitter<ParticipantProgress> participants;
    private MetricEmitter<RetentionCurvePoint> curve;

    RetentionProcessor(Duration interval) {
        this.interval = interval;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecordBase> context) {
        this.context = context;
        this.records = new CurrentRecords(context.getStateStore(RetentionTopology.RECORDS_STORE));
        this.dirty = new DirtyAggregates(context.getStateStore(RetentionTopology.DIRTY_STORE));
        this.reference = ReferenceData.from(context);
        var emitted = context.<org.apache.kafka.streams.state.KeyValueStore<String, byte[]>>getStateStore(RetentionTopology.EMITTED_STORE);
        this.totals = new MetricEmitter<>("total", CohortRetention.class, emitted);
        this.groups = new MetricEmitter<>("group", CohortRetention.class, emitted);
        this.participants = new MetricEmitter<>("participant", ParticipantProgress.class, emitted);
        this.curve = new MetricEmitter<>("curve", RetentionCurvePoint.class, emitted);
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, this::flush);
    }

    @Override
    public void process(Record<String, FieldEvent> record) {
        FieldEvent event = record.value();
        if (event == null || !concernsCohorts(event)) {
            return;
        }
        if (records.apply(event)) {
            dirty.mark(event.getAggregateId(), event.getOccurredAt().toEpochMilli());
        }
    }

    static boolean concernsCohorts(FieldEvent event) {
        Object p = event.getPayload();
        return p instanceof TrainingCohortRegistered || p instanceof ParticipantEnrolled || p instanceof SessionHeld
                || p instanceof AttendanceRecorded || p instanceof ParticipantExited || p instanceof RecordRetracted;
    }

    void flush(long wallClock) {
        List<String> cohorts = dirty.drain();
        for (String cohortId : cohorts) {
            recompute(cohortId, wallClock);
        }
        if (!cohorts.isEmpty()) {
            LOG.debug("recomputed {} cohorts", cohorts.size());
        }
    }

    private void recompute(String cohortId, long now) {
        CohortView view = CohortView.of(cohortId, records.snapshot(cohortId));
        String programId = view.envelope() == null ? null : view.envelope().getProgramId();
        ProgramParams params = programId == null ? ProgramParams.DEFAULTS : reference.params(programId);
        CohortCalculator.Result result = CohortCalculator.compute(view, params);
        totals.emit(cohortId, keyed(result.totals(), r -> Keys.join(r.getCohortId(), r.getSex(), r.getAgeBand())), now, this::forward);
        groups.emit(cohortId, keyed(result.groups(), r -> Keys.join(r.getCohortId(), r.getSex(), r.getAgeBand())), now, this::forward);
        participants.emit(cohortId, keyed(result.participants(), r -> Keys.join(r.getCohortId(), r.getPersonId())), now, this::forward);
        curve.emit(cohortId, keyed(result.curve(), r -> Keys.join(r.getCohortId(), Integer.toString(r.getSessionNumber()))), now, this::forward);
    }

    private void forward(String key, SpecificRecordBase value) {
        context.forward(new Record<>(key, value, context.currentSystemTimeMs()));
    }

    static <T> Map<String, T> keyed(List<T> rows, Function<T, String> key) {
        Map<String, T> map = new LinkedHashMap<>();
        rows.forEach(r -> map.put(key.apply(r), r));
        return map;
    }
}
