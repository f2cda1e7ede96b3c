package org.fieldstream.streams;

import java.time.Duration;
import java.util.Properties;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.Topic;
import org.fieldstream.events.Topics;

/**
 * The whole streams application: the event log read once, the reference data as global tables, one
 * {@link AggregateProcessor} keyed by cohort or dialogue id (the events' key, so no repartition) that
 * keeps incremental per-record, per-person and per-aggregate state and writes the retention and
 * dialogue metrics as {@link MetricRow}s, each family to the child its rows name, which maps it to its
 * Avro row and topic, and the {@link OutreachTopology} person and cell stages behind it for the
 * distinct counts of people reached. Stores are declared by the processor suppliers that use them.
 *
 * <p>The topology is built with the given Kafka Streams properties, so a
 * {@code processor.wrapper.class} there (the benchmark's {@link ProcessorCpu}) wraps its processors.
 */
public final class MetricsTopology {

    public static final String EVENTS_SOURCE = "events-source";
    public static final String AGGREGATE_PROCESSOR = "aggregates";

    private MetricsTopology() {
    }

    public static Topology build(Topics topics, Duration punctuateInterval, Properties streamsProperties) {
        return build(topics, punctuateInterval, streamsProperties, OutputSchemas.current());
    }

    /** As {@link #build(Topics, Duration, Properties)}, writing rows as if their schemas had {@code schemas}' fingerprints. */
    static Topology build(Topics topics, Duration punctuateInterval, Properties streamsProperties, OutputSchemas schemas) {
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(streamsProperties)));
        ReferenceData.addGlobalTables(builder, topics);
        KStream<String, FieldEvent> events = builder.stream(topics.events.name(),
                Consumed.with(topics.events.keySerde(), EventDeserializer.serde(topics.events.valueSerde())).withName(EVENTS_SOURCE));
        KStream<String, AggregateOutput> out = events.process(new AggregateProcessor.Supplier(punctuateInterval, schemas),
                Named.as(AGGREGATE_PROCESSOR));
        route(out, MetricRow.TOTALS, MetricRow.Retention.class, topics.cohortRetention);
        route(out, MetricRow.GROUPS, MetricRow.Retention.class, topics.cohortRetentionByGroup);
        route(out, MetricRow.PARTICIPANTS, MetricRow.Participant.class, topics.participantProgress);
        route(out, MetricRow.CURVE, MetricRow.CurvePoint.class, topics.retentionCurve);
        route(out, MetricRow.DIALOGUES, MetricRow.Dialogue.class, topics.dialogues);
        route(out, MetricRow.ATTENDANCE, MetricRow.Attendance.class, topics.dialogueAttendance);
        OutreachTopology.addTo(out, topics, punctuateInterval, schemas);
        return builder.build(streamsProperties);
    }

    public static Topology build(StreamsSettings settings) {
        return build(settings.topics(), settings.punctuateInterval(), settings.streamsProperties());
    }

    /**
     * A child of the aggregate processor that takes the rows of one family ({@code child}, the name
     * the rows give) to their Avro form and their topic. The processor forwards a row only to the
     * child it names, so the cast never fails; if it did, it would say so.
     */
    private static <A extends SpecificRecordBase, R extends MetricRow<A>> void route(KStream<String, AggregateOutput> out, String child,
                                                                                   Class<R> rows, Topic<String, A> topic) {
        out.mapValues(row -> rows.cast(row).avro(), Named.as(child))
                .to(topic.name(), Produced.with(topic.keySerde(), topic.valueSerde()).withName(child + "-sink"));
    }
}
