package org.fieldstream.streams;

import java.time.Duration;
import java.util.Properties;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;
import org.fieldstream.events.AvroSerde;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.Topics;
import org.fieldstream.metrics.CohortRetention;
import org.fieldstream.metrics.DialogueAttendance;
import org.fieldstream.metrics.DialogueSummary;
import org.fieldstream.metrics.ParticipantProgress;
import org.fieldstream.metrics.RetentionCurvePoint;

/**
 * The whole streams application: the event log read once, the reference data as global tables, one
 * {@link AggregateProcessor} keyed by cohort or dialogue id (the events' key, so no repartition) that
 * writes the retention and dialogue metrics, and the {@link OutreachTopology} person and cell stages
 * behind it for the distinct counts of people reached.
 */
public final class MetricsTopology {

    public static final String EVENTS_SOURCE = "events-source";
    public static final String AGGREGATE_PROCESSOR = "aggregates";

    static final String RECORDS_STORE = "aggregate-records";
    static final String DIRTY_STORE = "aggregate-dirty";
    static final String EMITTED_STORE = "aggregate-emitted";
    static final String SENT_STORE = "aggregate-reach-sent";

    private MetricsTopology() {
    }

    public static Topology build(Topics topics, Duration punctuateInterval, Properties streamsProperties) {
        StreamsBuilder builder = new StreamsBuilder();
        ReferenceData.addGlobalTables(builder, topics);
        KStream<String, FieldEvent> events = builder.stream(topics.events.name(),
                Consumed.with(topics.events.keySerde(), topics.events.valueSerde()).withName(EVENTS_SOURCE));
        addAggregateStores(builder);
        KStream<String, Object> out = events.process(() -> new AggregateProcessor(punctuateInterval),
                Named.as(AGGREGATE_PROCESSOR), RECORDS_STORE, DIRTY_STORE, EMITTED_STORE, SENT_STORE);
        Outputs outputs = new Outputs(out, "aggregate");
        outputs.route(CohortRetention.class, r -> CohortCalculator.ALL.equals(r.getSex()) && CohortCalculator.ALL.equals(r.getAgeBand()),
                "cohort-totals", topics.cohortRetention);
        outputs.route(CohortRetention.class, r -> !(CohortCalculator.ALL.equals(r.getSex()) && CohortCalculator.ALL.equals(r.getAgeBand())),
                "cohort-groups", topics.cohortRetentionByGroup);
        outputs.route(ParticipantProgress.class, r -> true, "participants", topics.participantProgress);
        outputs.route(RetentionCurvePoint.class, r -> true, "curve", topics.retentionCurve);
        outputs.route(DialogueSummary.class, r -> true, "dialogues", topics.dialogues);
        outputs.route(DialogueAttendance.class, r -> true, "dialogue-attendance", topics.dialogueAttendance);
        OutreachTopology.addTo(builder, out, topics, punctuateInterval);
        return builder.build(streamsProperties);
    }

    public static Topology build(StreamsSettings settings) {
        return build(settings.topics(), settings.punctuateInterval(), settings.streamsProperties());
    }

    /**
     * Records and the last rows written are large: RocksDB, so memory stays bounded. Dirty marks are
     * drained at every punctuation, so they stay small: in memory (still changelogged, so exactly-once
     * recovery is unchanged).
     */
    private static void addAggregateStores(StreamsBuilder builder) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RECORDS_STORE),
                Serdes.String(), AvroSerde.of(FieldEvent.class)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(DIRTY_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EMITTED_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SENT_STORE),
                Serdes.String(), InternalSerdes.reach()).withCachingEnabled());
    }
}
