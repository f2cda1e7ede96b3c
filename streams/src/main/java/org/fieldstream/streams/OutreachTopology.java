package org.fieldstream.streams;

import java.time.Duration;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;
import org.fieldstream.events.AvroSerde;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.Topics;
import org.fieldstream.metrics.DialogueAttendance;
import org.fieldstream.metrics.DialogueSummary;
import org.fieldstream.metrics.OutreachCount;

/**
 * Outreach: distinct people reached per program, partner, district and upazila by month, quarter and
 * program to date, and the dialogues with their attendance. Three keyed stages:
 * aggregate (cohort/dialogue id: current records, dialogue rows, per-person reach) ->
 * repartition by {@code program|person} -> person (cells entered/left as +1/-1) ->
 * repartition by cell -> cell count (distinct counts, written as upserts).
 */
public final class OutreachTopology {

    public static final String AGGREGATE_PROCESSOR = "outreach-aggregates";
    public static final String PERSON_PROCESSOR = "outreach-persons";
    public static final String COUNT_PROCESSOR = "outreach-cells";
    public static final String PERSONS_REPARTITION = "outreach-by-person";
    public static final String CELLS_REPARTITION = "outreach-by-cell";

    public static final String RECORDS_STORE = "outreach-records";
    public static final String DIRTY_STORE = "outreach-dirty";
    public static final String EMITTED_STORE = "outreach-emitted";
    public static final String SENT_STORE = "outreach-sent";
    public static final String PERSON_REACH_STORE = "outreach-person-reach";
    public static final String PERSON_CELLS_STORE = "outreach-person-cells";
    public static final String PERSON_PENDING_STORE = "outreach-person-pending";
    public static final String COUNTS_STORE = "outreach-counts";
    public static final String COUNTS_DIRTY_STORE = "outreach-counts-dirty";
    public static final String COUNTS_EMITTED_STORE = "outreach-counts-emitted";

    private OutreachTopology() {
    }

    public static void addTo(StreamsBuilder builder, KStream<String, FieldEvent> events, Topics topics, Duration punctuateInterval) {
        addStores(builder);
        KStream<String, Object> out = events.process(() -> new OutreachAggregateProcessor(punctuateInterval),
                Named.as(AGGREGATE_PROCESSOR), RECORDS_STORE, DIRTY_STORE, EMITTED_STORE, SENT_STORE);
        Outputs outputs = new Outputs(out, "outreach");
        outputs.route(DialogueSummary.class, r -> true, "dialogues", topics.dialogues);
        outputs.route(DialogueAttendance.class, r -> true, "dialogue-attendance", topics.dialogueAttendance);

        out.filter((key, value) -> value instanceof InternalSerdes.ReachChange, Named.as("outreach-reach-filter"))
                .mapValues(value -> (InternalSerdes.ReachChange) value, Named.as("outreach-reach-cast"))
                .repartition(Repartitioned.with(Serdes.String(), InternalSerdes.reachChange()).withName(PERSONS_REPARTITION))
                .process(() -> new PersonReachProcessor(punctuateInterval), Named.as(PERSON_PROCESSOR),
                        PERSON_REACH_STORE, PERSON_CELLS_STORE, PERSON_PENDING_STORE)
                .repartition(Repartitioned.with(Serdes.String(), InternalSerdes.cellDelta()).withName(CELLS_REPARTITION))
                .process(() -> new CellCountProcessor(punctuateInterval), Named.as(COUNT_PROCESSOR),
                        COUNTS_STORE, COUNTS_DIRTY_STORE, COUNTS_EMITTED_STORE)
                .to(topics.outreach.name(), Produced.with(topics.outreach.keySerde(), topics.outreach.valueSerde())
                        .withName("outreach-counts-sink"));
    }

    /**
     * Large state (records, last rows written, reaches, cells, counts) lives in RocksDB so memory stays
     * bounded. Dirty marks and pending deltas are drained at every punctuation, so they stay small:
     * they are in-memory stores (still changelogged, so exactly-once recovery is unchanged), which
     * saves RocksDB writes on the hottest path and keeps the number of RocksDB instances down.
     */
    private static void addStores(StreamsBuilder builder) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RECORDS_STORE),
                Serdes.String(), AvroSerde.of(FieldEvent.class)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(DIRTY_STORE), Serdes.String(), Serdes.Long()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EMITTED_STORE), Serdes.String(), Serdes.ByteArray()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SENT_STORE), Serdes.String(), InternalSerdes.reach()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PERSON_REACH_STORE),
                Serdes.String(), InternalSerdes.reach()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PERSON_CELLS_STORE),
                Serdes.String(), InternalSerdes.cells()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PERSON_PENDING_STORE),
                Serdes.String(), InternalSerdes.cellDelta()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COUNTS_STORE),
                Serdes.String(), InternalSerdes.cellCount()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(COUNTS_DIRTY_STORE), Serdes.String(), Serdes.Long()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COUNTS_EMITTED_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled());
    }
}
