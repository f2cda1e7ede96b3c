package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.Sex;
import org.fieldstream.events.Topics;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's timing is a processor wrapper the Kafka Streams properties name: with it, the
 * three metrics processors count CPU time in {@code process} and punctuations; the topology's nodes
 * stay the same.
 */
class ProcessorCpuTest {

    @Test
    void theWrapperTimesTheMetricsProcessorsWhenTheBenchmarkAsksForIt() {
        Topics topics = new Topics("cpu.");
        Properties plain = properties();
        Properties timed = properties();
        timed.put(StreamsConfig.PROCESSOR_WRAPPER_CLASS_CONFIG, ProcessorCpu.class);
        assertEquals(nodes(MetricsTopology.build(topics, Duration.ofMillis(500), plain).describe()),
                nodes(MetricsTopology.build(topics, Duration.ofMillis(500), timed).describe()));

        ProcessorCpu.enable();
        long before = ProcessorCpu.nanos();
        try (TopologyTestDriver driver = new TopologyTestDriver(MetricsTopology.build(topics, Duration.ofMillis(500), timed), timed)) {
            TestEvents ev = new TestEvents("p1", "ngo", "upz-1");
            String cohort = "p1/ngo/c1";
            var events = driver.createInputTopic(topics.events.name(), topics.events.keySerde().serializer(),
                    topics.events.valueSerde().serializer());
            for (FieldEvent e : java.util.List.of(ev.registered(cohort, 3, LocalDate.of(2026, 3, 2)),
                    ev.held(cohort, 1, LocalDate.of(2026, 3, 2)), ev.enrolled(cohort, "a", Sex.FEMALE, 20, LocalDate.of(2026, 3, 1)),
                    ev.present(cohort, 1, "a"))) {
                events.pipeInput(e.getAggregateId(), e);
            }
            for (int i = 0; i < 3; i++) {
                driver.advanceWallClockTime(Duration.ofMillis(500));
            }
        }
        assertTrue(ProcessorCpu.nanos() > before, "CPU time counted in the wrapped processors");
    }

    private static Properties properties() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "cpu");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return p;
    }

    private static Set<String> nodes(TopologyDescription description) {
        Set<String> nodes = new TreeSet<>();
        description.subtopologies().forEach(s -> s.nodes().forEach(n -> nodes.add(n.name())));
        return nodes;
    }
}
