package org.fieldstream.streams;

import java.time.Duration;
import java.util.Properties;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.Topic;
import org.fieldstream.events.Topics;

/**
 * The whole streams application: the event log read once, the reference data as global tables, one
 * {@link AggregateProcessor} keyed by cohort or dialogue id (the events' key, so no repartition) that
 * keeps incremental per-record, per-person and per-aggregate state and writes the retention and
 * dialogue metrics, each type to its own sink by child name, and the {@link OutreachTopology} person
 * and cell stages behind it for the distinct counts of people reached.
 */
public final class MetricsTopology {

    public static final String EVENTS_SOURCE = "events-source";
    public static final String AGGREGATE_PROCESSOR = "aggregates";

    static final String ROOTS_STORE = "aggregate-roots";
    static final String PERSONS_STORE = "aggregate-persons";
    static final String HEADERS_STORE = "aggregate-headers";
    static final String DIRTY_STORE = "aggregate-dirty";

    static final String TOTALS_SINK = "aggregate-cohort-totals-sink";
    static final String GROUPS_SINK = "aggregate-cohort-groups-sink";
    static final String PARTICIPANTS_SINK = "aggregate-participants-sink";
    static final String CURVE_SINK = "aggregate-curve-sink";
    static final String DIALOGUES_SINK = "aggregate-dialogues-sink";
    static final String ATTENDANCE_SINK = "aggregate-dialogue-attendance-sink";

    private MetricsTopology() {
    }

    public static Topology build(Topics topics, Duration punctuateInterval, Properties streamsProperties) {
        StreamsBuilder builder = new StreamsBuilder();
        ReferenceData.addGlobalTables(builder, topics);
        KStream<String, FieldEvent> events = builder.stream(topics.events.name(),
                Consumed.with(topics.events.keySerde(), EventDeserializer.serde(topics.events.valueSerde())).withName(EVENTS_SOURCE));
        addAggregateStores(builder);
        KStream<String, Object> out = events.process(() -> new AggregateProcessor(punctuateInterval),
                Named.as(AGGREGATE_PROCESSOR), ROOTS_STORE, PERSONS_STORE, HEADERS_STORE, DIRTY_STORE);
        sink(out, TOTALS_SINK, topics.cohortRetention);
        sink(out, GROUPS_SINK, topics.cohortRetentionByGroup);
        sink(out, PARTICIPANTS_SINK, topics.participantProgress);
        sink(out, CURVE_SINK, topics.retentionCurve);
        sink(out, DIALOGUES_SINK, topics.dialogues);
        sink(out, ATTENDANCE_SINK, topics.dialogueAttendance);
        OutreachTopology.addTo(builder, out, topics, punctuateInterval);
        return builder.build(streamsProperties);
    }

    public static Topology build(StreamsSettings settings) {
        return build(settings.topics(), settings.punctuateInterval(), settings.streamsProperties());
    }

    /** A metric topic as a direct child of the aggregate processor, which forwards each row type to its sink by name. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> void sink(KStream<String, Object> out, String name, Topic<String, T> topic) {
        ((KStream<String, T>) (KStream) out).to(topic.name(), Produced.with(topic.keySerde(), topic.valueSerde()).withName(name));
    }

    /**
     * Records, persons and headers grow with the data: RocksDB, so memory stays bounded. Dirty marks
     * are drained at every punctuation, so they stay small: in memory (still changelogged, so
     * exactly-once recovery is unchanged). The record store skips the record cache: nearly every event
     * writes a root of its own, so there is nothing to coalesce between commits.
     */
    private static void addAggregateStores(StreamsBuilder builder) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ROOTS_STORE),
                Serdes.String(), InternalSerdes.rootRecord()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PERSONS_STORE),
                Serdes.String(), InternalSerdes.personState()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HEADERS_STORE),
                Serdes.String(), InternalSerdes.header()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(DIRTY_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled());
    }
}
