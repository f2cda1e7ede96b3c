package org.fieldstream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.platform.ClickHouseService;
import org.fieldstream.platform.KafkaService;
import org.fieldstream.platform.TestServices;
import org.fieldstream.reference.ReferenceData;
import org.fieldstream.seeds.ExpectedMetrics;
import org.fieldstream.seeds.ScenarioGenerator;
import org.fieldstream.seeds.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton end to end on the real broker and the real ClickHouse: partner files of a
 * generated program → producers → events topic → streams (exactly_once_v2) → metric topics → sink
 * → ClickHouse views, read back and compared grain by grain with the generator's own expectation.
 */
class PipelineIT {

    @TempDir
    Path work;

    @Test
    void generatedProgramLandsInClickHouseWithTheExpectedMetrics() throws Exception {
        KafkaService kafka = TestServices.kafka();
        ClickHouseService clickHouseServer = TestServices.clickHouse();
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String database = "it_pipeline_" + run;
        Map<String, String> settings = Map.of(
                "FIELDSTREAM_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "FIELDSTREAM_TOPIC_PREFIX", "it-" + run + ".",
                "FIELDSTREAM_CLICKHOUSE_URL", clickHouseServer.httpUrl(),
                "FIELDSTREAM_CLICKHOUSE_DATABASE", database,
                "FIELDSTREAM_STREAMS_APPLICATION_ID", "it-pipeline-" + run,
                "FIELDSTREAM_STREAMS_STATE_DIR", work.resolve("state").toString(),
                "FIELDSTREAM_SINK_GROUP_ID", "it-sink-" + run);
        ReferenceData reference = ReferenceData.bundled();
        ScenarioGenerator.Result scenario = new ScenarioGenerator(reference, 7L, Size.TINY).generate(work.resolve("input"));
        ExpectedMetrics expected = scenario.expected(reference, Function.identity());

        try (Pipeline pipeline = Pipeline.start(settings, reference);
             ClickHouseGateway clickHouse = new ClickHouseGateway(clickHouseServer.httpUrl(), "default", "")) {
            List<String> rejections = pipeline.ingest(scenario, work.resolve("input"), reference);
            // every planted malformed row is reported once per push of its file, with its file and line
            long plantedPushes = scenario.rejected().stream()
                    .mapToLong(r -> scenario.manifest().stream().filter(r.file()::equals).count()).sum();
            assertEquals(plantedPushes, rejections.size(), "reported: " + rejections);
            for (ScenarioGenerator.PlantedRejection planted : scenario.rejected()) {
                String ref = planted.file() + ":" + planted.line() + " " + planted.field() + ":";
                assertTrue(rejections.stream().anyMatch(r -> r.startsWith(ref)), "not reported: " + ref + " in " + rejections);
            }

            boolean matched = MetricsCheck.awaitMatch(clickHouse, database, expected, Duration.ofSeconds(120), System.out);
            assertTrue(matched, "landed metrics differ from the expectation (printed above)");
            assertEquals(List.of(), MetricsCheck.differences(clickHouse, database, expected));
            long cohorts = expected.family("cohort_retention").size();
            assertEquals(String.valueOf(cohorts), clickHouse.queryValue("SELECT count() FROM " + database + ".v_cohort_retention"));
            // the survival curve by sex x age band is part of what was compared, not an empty family
            long curveByGroup = expected.family("retention_curve").values().stream()
                    .filter(r -> !"all".equals(r.get("sex")) || !"all".equals(r.get("age_band"))).count();
            assertTrue(curveByGroup > 0, "the expectation has survival points by sex x age band");
            assertEquals(String.valueOf(curveByGroup), clickHouse.queryValue("SELECT count() FROM " + database
                    + ".v_retention_curve WHERE NOT (sex = 'all' AND age_band = 'all')"));
        }
    }
}
