package org.fieldstream.streams;

import java.time.Duration;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;
import org.fieldstream.events.AvroSerde;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.Topics;
import org.fieldstream.metrics.CohortRetention;
import org.fieldstream.metrics.ParticipantProgress;
import org.fieldstream.metrics.RetentionCurvePoint;

/**
 * Retention metrics: per cohort, per cohort x sex x age band, per participant, and the survival
 * curve. One stateful processor keyed by cohort id (the events' key, so no repartition); its output
 * is split by type into the four compacted metric topics.
 */
public final class RetentionTopology {

    public static final String PROCESSOR = "retention-cohorts";
    public static final String RECORDS_STORE = "retention-records";
    public static final String DIRTY_STORE = "retention-dirty";
    public static final String EMITTED_STORE = "retention-emitted";

    private RetentionTopology() {
    }

    /** Adds the retention topology to {@code builder}, reading {@code events} (keyed by aggregate id). */
    public static void addTo(StreamsBuilder builder, KStream<String, FieldEvent> events, Topics topics, Duration punctuateInterval) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RECORDS_STORE),
                Serdes.String(), AvroSerde.of(FieldEvent.class)).withCachingEnabled());
        // Dirty marks are drained at every punctuation: small, so in memory (changelogged) rather than RocksDB.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(DIRTY_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EMITTED_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled());
        KStream<String, SpecificRecordBase> metrics = events.process(() -> new RetentionProcessor(punctuateInterval),
                Named.as(PROCESSOR), RECORDS_STORE, DIRTY_STORE, EMITTED_STORE);
        Outputs outputs = new Outputs(metrics, "retention");
        outputs.route(CohortRetention.class, r -> CohortCalculator.ALL.equals(r.getSex()) && CohortCalculator.ALL.equals(r.getAgeBand()),
                "cohort-totals", topics.cohortRetention);
        outputs.route(CohortRetention.class, r -> !(CohortCalculator.ALL.equals(r.getSex()) && CohortCalculator.ALL.equals(r.getAgeBand())),
                "cohort-groups", topics.cohortRetentionByGroup);
        outputs.route(ParticipantProgress.class, r -> true, "participants", topics.participantProgress);
        outputs.route(RetentionCurvePoint.class, r -> true, "curve", topics.retentionCurve);
    }
}
