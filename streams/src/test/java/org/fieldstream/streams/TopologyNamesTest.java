package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.fieldstream.events.Topics;
import org.junit.jupiter.api.Test;

/** Store, processor and repartition names are part of the deployed state: renaming one loses it. */
class TopologyNamesTest {

    private static TopologyDescription describe() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "names");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return MetricsTopology.build(new Topics(""), Duration.ofMillis(500), props).describe();
    }

    /** The aggregate processor forwards each row type to one of these children by name. */
    @Test
    void aggregateProcessorRoutesToNamedChildren() {
        Set<String> children = new TreeSet<>();
        for (TopologyDescription.Subtopology sub : describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node.name().equals(MetricsTopology.AGGREGATE_PROCESSOR)) {
                    node.successors().forEach(s -> children.add(s.name()));
                }
            }
        }
        assertEquals(Set.of(MetricRow.TOTALS, MetricRow.GROUPS, MetricRow.PARTICIPANTS, MetricRow.CURVE, MetricRow.DIALOGUES,
                MetricRow.ATTENDANCE, OutreachTopology.REACH_ROUTE), children);
    }

    @Test
    void statefulNodesAndInternalTopicsKeepTheirNames() {
        Set<String> stores = new TreeSet<>();
        Set<String> processors = new TreeSet<>();
        Set<String> topics = new TreeSet<>();
        for (TopologyDescription.Subtopology sub : describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Processor p) {
                    if (!p.stores().isEmpty()) {
                        processors.add(p.name());
                    }
                    stores.addAll(p.stores());
                }
                if (node instanceof TopologyDescription.Source s && s.topicSet() != null) {
                    topics.addAll(s.topicSet());
                }
                if (node instanceof TopologyDescription.Sink s && s.topic() != null) {
                    topics.add(s.topic());
                }
            }
        }
        assertEquals(Set.of("aggregates", "outreach-cells", "outreach-persons"), processors);
        assertEquals(Set.of("aggregate-roots", "aggregate-persons", "aggregate-headers", "aggregate-dirty", "aggregate-output-schemas",
                "outreach-counts", "outreach-counts-dirty", "outreach-persons", "outreach-persons-pending", "outreach-output-schemas"), stores);
        assertTrue(topics.contains("outreach-by-person-repartition"), topics.toString());
        assertTrue(topics.contains("outreach-by-cell-repartition"), topics.toString());
        assertTrue(topics.contains("fieldstream.events"));
        assertTrue(topics.containsAll(Set.of("fieldstream.metrics.cohort-retention", "fieldstream.metrics.cohort-retention-by-group",
                "fieldstream.metrics.participant-progress", "fieldstream.metrics.retention-curve", "fieldstream.metrics.outreach",
                "fieldstream.metrics.dialogues", "fieldstream.metrics.dialogue-attendance")), topics.toString());
        Set<String> globals = new TreeSet<>();
        describe().globalStores().forEach(g -> globals.addAll(g.processor().stores()));
        assertEquals(Set.of("reference-org-units", "reference-programs"), globals);
    }
}
