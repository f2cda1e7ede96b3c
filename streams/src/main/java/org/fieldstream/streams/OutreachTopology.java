package org.fieldstream.streams;

import java.time.Duration;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;
import org.fieldstream.events.Topics;

/**
 * Outreach: distinct people reached per program, partner, district and upazila by month, quarter and
 * program to date. Behind the {@link AggregateProcessor} (which forwards each person's reach from an
 * aggregate, or its withdrawal, to {@link #REACH_ROUTE}), two keyed stages: repartition by
 * {@code program|person} -> person (cells of the person's group entered/left as +1/-1) -> repartition
 * by cell without its group -> cell count (distinct counts per group, and for all groups as their
 * sum, as upserts).
 */
public final class OutreachTopology {

    /** The aggregate processor's child that takes reach changes to the person stage. */
    public static final String REACH_ROUTE = "outreach-reach-route";
    public static final String PERSON_PROCESSOR = "outreach-persons";
    public static final String COUNT_PROCESSOR = "outreach-cells";
    public static final String PERSONS_REPARTITION = "outreach-by-person";
    public static final String CELLS_REPARTITION = "outreach-by-cell";

    public static final String PERSON_STORE = "outreach-persons";
    public static final String PERSON_PENDING_STORE = "outreach-persons-pending";
    public static final String COUNTS_STORE = "outreach-counts";
    public static final String COUNTS_DIRTY_STORE = "outreach-counts-dirty";

    private OutreachTopology() {
    }

    /** Adds the person and cell stages, fed by the reach changes the aggregate processor forwards to {@link #REACH_ROUTE}. */
    static void addTo(StreamsBuilder builder, KStream<String, Object> out, Topics topics, Duration punctuateInterval) {
        addStores(builder);
        out.mapValues(value -> (InternalSerdes.ReachChange) value, Named.as(REACH_ROUTE))
                .repartition(Repartitioned.with(Serdes.String(), InternalSerdes.reachChange()).withName(PERSONS_REPARTITION))
                .process(() -> new PersonReachProcessor(punctuateInterval), Named.as(PERSON_PROCESSOR),
                        PERSON_STORE, PERSON_PENDING_STORE)
                .repartition(Repartitioned.with(Serdes.String(), InternalSerdes.cellDeltas()).withName(CELLS_REPARTITION))
                .process(() -> new CellCountProcessor(punctuateInterval), Named.as(COUNT_PROCESSOR),
                        COUNTS_STORE, COUNTS_DIRTY_STORE)
                .to(topics.outreach.name(), Produced.with(topics.outreach.keySerde(), topics.outreach.valueSerde())
                        .withName("outreach-counts-sink"));
    }

    /** Persons and counts are large (RocksDB); pending persons and dirty marks are drained at every punctuation (memory). */
    private static void addStores(StreamsBuilder builder) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PERSON_STORE),
                Serdes.String(), InternalSerdes.personReaches()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PERSON_PENDING_STORE),
                Serdes.String(), InternalSerdes.sentPlacement()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COUNTS_STORE),
                Serdes.String(), InternalSerdes.cellState()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(COUNTS_DIRTY_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled());
    }
}
