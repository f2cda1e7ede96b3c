package org.fieldstream.streams;

import java.time.Duration;
import java.util.Properties;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.Topics;

/**
 * The whole streams application: the event log read once, the reference data as global tables, and
 * the {@link RetentionTopology} and {@link OutreachTopology} side by side on the same source (one
 * sub-topology per input partition, so both see every event of a cohort in order).
 */
public final class MetricsTopology {

    public static final String EVENTS_SOURCE = "events-source";

    private MetricsTopology() {
    }

    public static Topology build(Topics topics, Duration punctuateInterval, Properties streamsProperties) {
        StreamsBuilder builder = new StreamsBuilder();
        ReferenceData.addGlobalTables(builder, topics);
        KStream<String, FieldEvent> events = builder.stream(topics.events.name(),
                Consumed.with(topics.events.keySerde(), topics.events.valueSerde()).withName(EVENTS_SOURCE));
        RetentionTopology.addTo(builder, events, topics, punctuateInterval);
        OutreachTopology.addTo(builder, events, topics, punctuateInterval);
        return builder.build(streamsProperties);
    }

    public static Topology build(StreamsSettings settings) {
        return build(settings.topics(), settings.punctuateInterval(), settings.streamsProperties());
    }
}
