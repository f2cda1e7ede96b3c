package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.fieldstream.events.FieldEvent;
import org.junit.jupiter.api.Test;

/**
 * Against a real broker: an application that has written its rows starts again as a version whose
 * cohort retention schema differs, and writes every live row of the two cohort retention topics once
 * more (same content, higher version) and nothing else, without replaying the log; it records the
 * new fingerprint in a changelogged store, so a further start, even with its local state directory
 * deleted (the store restored from its changelog), writes nothing again.
 */
class OutputSchemaRewriteIT {

    private static final String MARKER_PARTNER = "partner-marker";

    @Test
    void aChangedRowSchemaRewritesItsRowsOnceAndTheRecordSurvivesTheLossOfLocalState() throws Exception {
        ItKafka kafka = new ItKafka();
        kafka.reference(ItScenario.PROGRAM, ItScenario.PROGRAM_START, ItScenario.ORG_UNITS);
        List<FieldEvent> events = ItScenario.generated(12, 8, 31);
        Map<String, String> expected = ItScenario.recomputed(events);
        Path state = Path.of("target", "it-state", kafka.id).toAbsolutePath();
        StreamsSettings settings = StreamsSettings.load(null, Map.of(
                "FIELDSTREAM_BOOTSTRAP_SERVERS", kafka.bootstrap,
                "FIELDSTREAM_STREAMS_APPLICATION_ID", kafka.id,
                "FIELDSTREAM_TOPIC_PREFIX", kafka.topics.prefix(),
                "FIELDSTREAM_STREAMS_STATE_DIR", state.toString(),
                "FIELDSTREAM_STREAMS_COMMIT_INTERVAL_MS", "100",
                "FIELDSTREAM_STREAMS_PUNCTUATE_INTERVAL_MS", "200"));
        kafka.send(events);
        try (KafkaStreams streams = start(settings, OutputSchemas.current())) {
            Awaitility.await("metric topics equal to the recomputation").atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> expected.equals(kafka.comparable(kafka.readMetrics())));
            streams.close(Duration.ofSeconds(30));
        }
        Map<String, Map<String, SpecificRecordBase>> rows = kafka.readMetrics();
        Map<String, Map<String, Integer>> before = kafka.recordsPerKey();
        Set<String> retention = Set.of(kafka.topics.cohortRetention.name(), kafka.topics.cohortRetentionByGroup.name());

        OutputSchemas changed = OutputSchemas.current().with(OutputSchemas.RETENTION, 1L);
        try (KafkaStreams streams = start(settings, changed)) {
            awaitMarker(kafka, "m1");
            streams.close(Duration.ofSeconds(30));
        }
        Map<String, Map<String, Integer>> rewritten = withoutMarkers(added(before, kafka.recordsPerKey()));
        assertEquals(retention, rewritten.keySet(), "only the two cohort retention topics get rows again");
        Map<String, Map<String, SpecificRecordBase>> after = kafka.readMetrics();
        int total = 0;
        for (String topic : retention) {
            Map<String, Integer> live = new TreeMap<>();
            rows.get(topic).forEach((key, row) -> {
                if (!(Boolean) row.get("deleted")) {
                    live.put(key, 1);
                }
            });
            assertEquals(live, rewritten.get(topic), topic + ": every live row once, no deleted one");
            for (String key : live.keySet()) {
                assertEquals(TopologyHarness.render(rows.get(topic).get(key)), TopologyHarness.render(after.get(topic).get(key)), key);
                assertTrue((Long) after.get(topic).get(key).get("version") > (Long) rows.get(topic).get(key).get("version"), key);
            }
            total += live.size();
        }
        assertTrue(total > 20, "rows rewritten: " + total);
        Map<String, String> comparable = kafka.comparable(after);
        comparable.keySet().removeIf(key -> key.contains("/" + MARKER_PARTNER + "/"));
        assertEquals(expected, comparable, "the metrics are as they were");

        deleteRecursively(state); // the recorded fingerprint comes back from the store's changelog
        Map<String, Map<String, Integer>> beforeThird = kafka.recordsPerKey();
        try (KafkaStreams streams = start(settings, changed)) {
            awaitMarker(kafka, "m2");
            streams.close(Duration.ofSeconds(30));
        }
        assertEquals(Map.of(), withoutMarkers(added(beforeThird, kafka.recordsPerKey())), "recorded: nothing is written again");
    }

    /**
     * Registers a cohort of its own and waits for its total row: the application has restored its state
     * and punctuated, and the first punctuation writes the rows of a changed schema before anything else.
     */
    private static void awaitMarker(ItKafka kafka, String name) {
        String aggregate = ItScenario.PROGRAM + "/" + MARKER_PARTNER + "/" + name;
        kafka.send(List.of(new TestEvents(ItScenario.PROGRAM, MARKER_PARTNER, "upz-1").registered(aggregate, 3, ItScenario.PROGRAM_START)));
        String key = AggregateRows.totalKey(aggregate);
        Awaitility.await("the row of " + aggregate).atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(1))
                .until(() -> kafka.readMetrics().get(kafka.topics.cohortRetention.name()).containsKey(key));
    }

    private static Map<String, Map<String, Integer>> withoutMarkers(Map<String, Map<String, Integer>> added) {
        Map<String, Map<String, Integer>> out = new TreeMap<>();
        added.forEach((topic, counts) -> counts.forEach((key, n) -> {
            if (!key.startsWith(ItScenario.PROGRAM + "/" + MARKER_PARTNER + "/")) {
                out.computeIfAbsent(topic, t -> new TreeMap<>()).put(key, n);
            }
        }));
        return out;
    }

    private static KafkaStreams start(StreamsSettings settings, OutputSchemas schemas) {
        KafkaStreams streams = new KafkaStreams(MetricsTopology.build(settings.topics(), settings.punctuateInterval(),
                settings.streamsProperties(), schemas), settings.streamsProperties());
        streams.start();
        return streams;
    }

    /** Records per key that {@code now} has beyond {@code before}, per topic; topics and keys without any left out. */
    private static Map<String, Map<String, Integer>> added(Map<String, Map<String, Integer>> before, Map<String, Map<String, Integer>> now) {
        Map<String, Map<String, Integer>> out = new TreeMap<>();
        now.forEach((topic, counts) -> counts.forEach((key, n) -> {
            int more = n - before.getOrDefault(topic, Map.of()).getOrDefault(key, 0);
            if (more != 0) {
                out.computeIfAbsent(topic, t -> new TreeMap<>()).put(key, more);
            }
        }));
        return out;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
