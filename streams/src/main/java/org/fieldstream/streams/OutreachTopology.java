package org.fieldstream.streams;

import java.time.Duration;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.fieldstream.events.Topics;

/**
 * Outreach: distinct people reached per program, partner, district and upazila by month, quarter and
 * program to date. Behind the {@link AggregateProcessor} (which forwards each person's reach from an
 * aggregate, or its withdrawal, to {@link #REACH_ROUTE}), two keyed stages: repartition by
 * {@code program|person} -> person (cells of the person's group entered/left as +1/-1) -> repartition
 * by cell without its group -> cell count (distinct counts per group, and for all groups as their
 * sum, as upserts). Each stage's stores are declared by its processor supplier.
 */
public final class OutreachTopology {

    /** The aggregate processor's child that takes reach changes to the person stage. */
    public static final String REACH_ROUTE = "outreach-reach-route";
    public static final String PERSON_PROCESSOR = "outreach-persons";
    public static final String COUNT_PROCESSOR = "outreach-cells";
    public static final String PERSONS_REPARTITION = "outreach-by-person";
    public static final String CELLS_REPARTITION = "outreach-by-cell";

    private OutreachTopology() {
    }

    /** Adds the person and cell stages, fed by the reach changes the aggregate processor forwards to {@link #REACH_ROUTE}. */
    static void addTo(KStream<String, AggregateOutput> out, Topics topics, Duration punctuateInterval, OutputSchemas schemas) {
        out.mapValues(InternalSerdes.ReachChange.class::cast, Named.as(REACH_ROUTE))
                .repartition(Repartitioned.with(Serdes.String(), InternalSerdes.reachChange()).withName(PERSONS_REPARTITION))
                .process(new PersonReachProcessor.Supplier(punctuateInterval), Named.as(PERSON_PROCESSOR))
                .repartition(Repartitioned.with(Serdes.String(), InternalSerdes.cellDeltas()).withName(CELLS_REPARTITION))
                .process(new CellCountProcessor.Supplier(punctuateInterval, schemas), Named.as(COUNT_PROCESSOR))
                .to(topics.outreach.name(), Produced.with(topics.outreach.keySerde(), topics.outreach.valueSerde())
                        .withName("outreach-counts-sink"));
    }
}
