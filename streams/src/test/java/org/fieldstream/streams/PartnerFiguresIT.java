package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.fieldstream.events.FieldEvent;
import org.junit.jupiter.api.Test;

/**
 * A partner's figures depend only on its own records, on the real broker (3-partition topics,
 * exactly_once_v2): partner mms's records land and every metric row equals the test oracle's
 * recomputation; then partner ndp's records naming mms's persons (the same person ids) with another
 * sex and birth year land: once ndp's retention and dialogue rows and the program, district and
 * upazila cells equal the recomputation (ndp's records are processed), every row of mms in every
 * metric topic is exactly what it was (version and updated_at included: not even rewritten), the
 * program's pooled cells changed, and all rows equal the recomputation.
 */
class PartnerFiguresIT {

    @Test
    void anotherPartnersRecordsOfThePartnersPersonsChangeNoneOfItsRows() throws Exception {
        ItKafka kafka = new ItKafka();
        kafka.reference(ItScenario.PROGRAM, ItScenario.PROGRAM_START, ItScenario.ORG_UNITS);
        List<FieldEvent> owner = TwoPartners.owner(ItScenario.PROGRAM);
        List<FieldEvent> both = new ArrayList<>(owner);
        both.addAll(TwoPartners.other(ItScenario.PROGRAM));

        StreamsSettings settings = StreamsSettings.load(null, Map.of(
                "FIELDSTREAM_BOOTSTRAP_SERVERS", kafka.bootstrap,
                "FIELDSTREAM_STREAMS_APPLICATION_ID", kafka.id,
                "FIELDSTREAM_TOPIC_PREFIX", kafka.topics.prefix(),
                "FIELDSTREAM_STREAMS_STATE_DIR", Path.of("target", "it-state", kafka.id).toString(),
                "FIELDSTREAM_STREAMS_COMMIT_INTERVAL_MS", "100",
                "FIELDSTREAM_STREAMS_PUNCTUATE_INTERVAL_MS", "200"));
        try (KafkaStreams streams = new KafkaStreams(MetricsTopology.build(settings), settings.streamsProperties())) {
            streams.start();
            kafka.send(owner);
            awaitEqual(kafka, "every row equal to the recomputation", ItScenario.recomputed(owner), row -> true);
            Map<String, Map<String, SpecificRecordBase>> first = kafka.readMetrics();
            Map<String, SpecificRecordBase> before = TwoPartners.rowsOf(first, TwoPartners.OWNER);
            assertEquals(7, TwoPartners.topicsOf(before).size(), "mms has rows in every metric topic: " + TwoPartners.topicsOf(before));
            String pooled = ItScenario.PROGRAM + "|month|2026-01|program|" + ItScenario.PROGRAM + "|all|all";
            SpecificRecordBase pooledBefore = first.get(kafka.topics.outreach.name()).get(pooled);

            kafka.send(TwoPartners.other(ItScenario.PROGRAM));
            awaitEqual(kafka, "ndp's rows and the pooled cells equal to the recomputation", ItScenario.recomputed(both),
                    row -> !TwoPartners.renderedOfPartner(row, TwoPartners.OWNER) && !row.contains(" dimension=partner "));
            Map<String, Map<String, SpecificRecordBase>> second = kafka.readMetrics();
            assertEquals(before, TwoPartners.rowsOf(second, TwoPartners.OWNER), "mms's rows, version and updated_at included");
            assertNotEquals(pooledBefore, second.get(kafka.topics.outreach.name()).get(pooled), "the program's cells pool both partners");
            awaitEqual(kafka, "every row equal to the recomputation", ItScenario.recomputed(both), row -> true);
            assertEquals(before, TwoPartners.rowsOf(kafka.readMetrics(), TwoPartners.OWNER), "and mms's rows stay as they were");
            streams.close(Duration.ofSeconds(30));
        }
    }

    /**
     * Waits until the live rows the filter keeps (rendered by {@link TopologyHarness#render}) equal the
     * expected ones it keeps; a failure names the first differing rows.
     */
    private static void awaitEqual(ItKafka kafka, String alias, Map<String, String> expected, Predicate<String> keep) {
        Map<String, String> wanted = kept(expected, keep);
        Awaitility.await(alias).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Map<String, String> actual = kept(kafka.comparable(kafka.readMetrics()), keep);
            assertTrue(wanted.equals(actual), TopologyHarness.differences(wanted, actual, 3));
        });
    }

    private static Map<String, String> kept(Map<String, String> rendered, Predicate<String> keep) {
        Map<String, String> out = new TreeMap<>();
        rendered.forEach((key, row) -> {
            if (keep.test(row)) {
                out.put(key, row);
            }
        });
        return out;
    }
}
