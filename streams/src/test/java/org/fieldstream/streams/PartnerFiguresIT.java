package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.streams.KafkaStreams;
import org.fieldstream.events.FieldEvent;
import org.junit.jupiter.api.Test;

/**
 * A partner's figures depend only on its own records, on the real broker (3-partition topics,
 * exactly_once_v2): partner mms's records land and every metric row equals the test oracle's
 * recomputation; then partner ndp's records naming mms's persons (the same person ids) with another
 * sex and birth year land, every row again equals the recomputation, and every row of mms in every
 * metric topic is exactly what it was (version and updated_at included: not even rewritten), while
 * the program's pooled cells changed.
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
            kafka.awaitMetrics(ItScenario.recomputed(owner), Duration.ofSeconds(90));
            Map<String, Map<String, SpecificRecordBase>> first = kafka.readMetrics();
            Map<String, SpecificRecordBase> before = TwoPartners.rowsOf(first, TwoPartners.OWNER);
            assertEquals(7, TwoPartners.topicsOf(before).size(), "mms has rows in every metric topic: " + TwoPartners.topicsOf(before));
            String pooled = ItScenario.PROGRAM + "|month|2026-01|program|" + ItScenario.PROGRAM + "|all|all";
            SpecificRecordBase pooledBefore = first.get(kafka.topics.outreach.name()).get(pooled);

            kafka.send(TwoPartners.other(ItScenario.PROGRAM));
            kafka.awaitMetrics(ItScenario.recomputed(both), Duration.ofSeconds(90));
            Map<String, Map<String, SpecificRecordBase>> second = kafka.readMetrics();
            assertEquals(before, TwoPartners.rowsOf(second, TwoPartners.OWNER), "mms's rows, version and updated_at included");
            assertNotEquals(pooledBefore, second.get(kafka.topics.outreach.name()).get(pooled), "the program's cells pool both partners");
            streams.close(Duration.ofSeconds(30));
        }
    }
}
