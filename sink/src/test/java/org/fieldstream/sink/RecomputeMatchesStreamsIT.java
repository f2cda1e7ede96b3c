package org.fieldstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.fieldstream.events.TopicSetup;
import org.fieldstream.events.Topics;
import org.fieldstream.platform.TestServices;
import org.fieldstream.producers.IngestCommand;
import org.fieldstream.seeds.ExpectedMetrics;
import org.fieldstream.seeds.MetricFamily;
import org.fieldstream.seeds.ReferenceData;
import org.fieldstream.seeds.ReferenceLoader;
import org.fieldstream.seeds.ScenarioGenerator;
import org.fieldstream.seeds.Size;
import org.fieldstream.streams.MetricsTopology;
import org.fieldstream.streams.StreamsSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 3 on the real broker and the real ClickHouse: a generated program (duplicates, a file
 * pushed twice, a late upload, corrections, retractions) goes through the producers, the streams and
 * the sink; once the streamed tables hold the generator's expected metrics, every SQL recomputation
 * over field_events (V003, V004) equals its streamed view grain by grain and field by field.
 */
class RecomputeMatchesStreamsIT {

    private static final double TOLERANCE = 1e-9;
    private static final int SHOWN = 20;
    private static final Set<String> METADATA = Set.of("as_of", "updated_at", "version", "deleted", "source_topic",
            "source_partition", "source_offset");

    /** A recomputation, the streamed view it must equal, the grain and whether it must cover every streamed field. */
    private record Comparison(String name, String recomputeSql, String streamedView, List<String> key, boolean everyField) {
    }

    @TempDir
    Path work;

    @Test
    void everyRecomputedFamilyEqualsItsStreamedView() throws Exception {
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String database = "it_recompute_all_" + run;
        Map<String, String> config = config(run, database);
        ReferenceData reference = ReferenceData.bundled();
        for (var program : reference.programs()) {
            config.put("FIELDSTREAM_SECRET_" + program.getProgramId().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"),
                    "it-secret-" + run);
        }
        Path input = work.resolve("input");
        ScenarioGenerator.Result scenario = new ScenarioGenerator(reference, 11L, Size.TINY).generate(input);
        ExpectedMetrics expected = scenario.expected(reference, Function.identity());

        Topics topics = new Topics(config.get("FIELDSTREAM_TOPIC_PREFIX"));
        String bootstrap = config.get("FIELDSTREAM_BOOTSTRAP_SERVERS");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicSetup.ensure(admin, topics, 3, (short) 1);
        }
        ReferenceLoader.publish(bootstrap, topics, reference);
        StreamsSettings streamsSettings = StreamsSettings.load(null, config);
        KafkaStreams streams = new KafkaStreams(MetricsTopology.build(streamsSettings), streamsSettings.streamsProperties());
        streams.start();
        try (SinkMain.Running sink = SinkMain.start(SinkSettings.load(null, config));
             ClickHouseGateway clickHouse = new ClickHouseGateway(TestServices.clickHouse().httpUrl(), "default", "")) {
            ingest(scenario, input, reference, config);

            List<String> streamedVsExpected = awaitNoDifferences(() -> expectedDifferences(clickHouse, database, expected),
                    Duration.ofSeconds(60));
            assertEquals(List.of(), first(streamedVsExpected), "streamed tables never reached the expected metrics");

            List<String> differences = awaitNoDifferences(() -> recomputeDifferences(clickHouse, database), Duration.ofSeconds(20));
            assertEquals(List.of(), first(differences), differences.size() + " differences between recomputation and streams");
        } finally {
            streams.close(Duration.ofSeconds(30));
            try (ClickHouseGateway clickHouse = new ClickHouseGateway(TestServices.clickHouse().httpUrl(), "default", "")) {
                clickHouse.execute("DROP DATABASE IF EXISTS " + database);
            }
        }
    }

    private Map<String, String> config(String run, String database) {
        Map<String, String> config = new HashMap<>();
        config.put("FIELDSTREAM_BOOTSTRAP_SERVERS", TestServices.kafka().bootstrapServers());
        config.put("FIELDSTREAM_TOPIC_PREFIX", "it-" + run + ".");
        config.put("FIELDSTREAM_CLICKHOUSE_URL", TestServices.clickHouse().httpUrl());
        config.put("FIELDSTREAM_CLICKHOUSE_DATABASE", database);
        config.put("FIELDSTREAM_STREAMS_APPLICATION_ID", "it-recompute-" + run);
        config.put("FIELDSTREAM_STREAMS_STATE_DIR", work.resolve("state").toString());
        config.put("FIELDSTREAM_SINK_GROUP_ID", "it-sink-" + run);
        return config;
    }

    /** The manifest in order, one ingest run per consecutive batch of one partner's files. */
    private static void ingest(ScenarioGenerator.Result scenario, Path input, ReferenceData reference, Map<String, String> config) {
        List<String> manifest = scenario.manifest();
        int i = 0;
        while (i < manifest.size()) {
            String partner = manifest.get(i).substring(0, manifest.get(i).indexOf('/'));
            String program = reference.partner(partner).orElseThrow().getProgramId();
            List<String> args = new ArrayList<>(List.of("--program", program, "--partner", partner, "--base", input.toString()));
            while (i < manifest.size() && manifest.get(i).startsWith(partner + "/")) {
                args.add(input.resolve(manifest.get(i)).toString());
                i++;
            }
            ByteArrayOutputStream summary = new ByteArrayOutputStream();
            int code = IngestCommand.run(args.toArray(String[]::new), config,
                    new PrintStream(summary, true, StandardCharsets.UTF_8), new PrintStream(OutputStream.nullOutputStream()));
            assertEquals(IngestCommand.OK, code, "ingest of " + partner + ": " + summary.toString(StandardCharsets.UTF_8));
        }
    }

    private interface DifferenceSource {
        List<String> get();
    }

    /** Polls until there is no difference or the time is up; returns the last differences found. */
    private static List<String> awaitNoDifferences(DifferenceSource source, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> differences;
        while (true) {
            try {
                differences = source.get();
            } catch (RuntimeException e) {
                differences = List.of("query failed: " + e.getMessage());
            }
            if (differences.isEmpty() || System.nanoTime() > deadline) {
                return differences;
            }
            Thread.sleep(1000);
        }
    }

    private static List<String> first(List<String> differences) {
        return differences.size() <= SHOWN ? differences : differences.subList(0, SHOWN);
    }

    /** The streamed tables against the generator's expectation (person-level rows have other ids: left out). */
    private static List<String> expectedDifferences(ClickHouseGateway clickHouse, String database, ExpectedMetrics expected) {
        List<String> differences = new ArrayList<>();
        for (MetricFamily family : MetricFamily.values()) {
            if (family == MetricFamily.PARTICIPANT_PROGRESS) {
                continue;
            }
            Map<String, Map<String, String>> landed = new HashMap<>();
            for (Map<String, String> row : clickHouse.query("SELECT * FROM " + database + ".v_" + family.familyName())) {
                landed.put(family.key(new HashMap<>(row)), row);
            }
            Map<String, Map<String, Object>> wanted = expected.family(family);
            wanted.forEach((key, fields) -> {
                Map<String, String> row = landed.get(key);
                if (row == null) {
                    differences.add(family.familyName() + " " + key + ": missing");
                } else {
                    fields.forEach((field, value) -> {
                        if (!same(value == null ? null : value.toString(), row.get(field))) {
                            differences.add(family.familyName() + " " + key + " " + field + ": expected " + value + ", landed " + row.get(field));
                        }
                    });
                }
            });
            landed.keySet().stream().filter(k -> !wanted.containsKey(k))
                    .forEach(k -> differences.add(family.familyName() + " " + k + ": not expected"));
        }
        return differences;
    }

    private static List<Comparison> comparisons(String db) {
        return List.of(
                new Comparison("cohort_retention (V003)",
                        "SELECT program_id, cohort_id, sessions_planned, sessions_held, enrolled, active, completed, dropped_out,"
                                + " transferred, present_total, expected_total, ifNull(retention_rate, 0) AS retention_rate,"
                                + " ifNull(dropout_rate, 0) AS dropout_rate, ifNull(completion_rate, 0) AS completion_rate,"
                                + " ifNull(attendance_rate, 0) AS attendance_rate FROM " + db + ".recompute_cohort_retention",
                        "v_cohort_retention", List.of("cohort_id"), false),
                view(db, "cohort_retention_by_group", List.of("cohort_id", "sex", "age_band")),
                view(db, "participant_progress", List.of("cohort_id", "person_id")),
                view(db, "retention_curve", List.of("cohort_id", "session_number")),
                view(db, "outreach", List.of("program_id", "period_kind", "period", "dimension", "dimension_id", "sex", "age_band")),
                view(db, "dialogues", List.of("dialogue_id")),
                view(db, "dialogue_attendance", List.of("dialogue_id", "role", "sex")));
    }

    private static Comparison view(String db, String family, List<String> key) {
        return new Comparison(family, "SELECT * FROM " + db + ".recompute_" + family, "v_" + family, key, true);
    }

    /** Every recomputation against its streamed view: missing and extra grains, differing and absent fields, empty sides. */
    private static List<String> recomputeDifferences(ClickHouseGateway clickHouse, String database) {
        List<String> differences = new ArrayList<>();
        for (Comparison c : comparisons(database)) {
            Map<String, Map<String, String>> recomputed = byKey(clickHouse.query(c.recomputeSql()), c.key());
            Map<String, Map<String, String>> streamed = byKey(clickHouse.query("SELECT * FROM " + database + "." + c.streamedView()), c.key());
            if (recomputed.isEmpty() || streamed.isEmpty()) {
                differences.add(c.name() + ": empty side, recomputed " + recomputed.size() + " grains, streamed " + streamed.size());
                continue;
            }
            if (recomputed.size() != streamed.size()) {
                differences.add(c.name() + ": recomputed " + recomputed.size() + " grains, streamed " + streamed.size());
            }
            if (c.everyField()) {
                Set<String> recomputedColumns = recomputed.values().iterator().next().keySet();
                streamed.values().iterator().next().keySet().stream()
                        .filter(column -> !METADATA.contains(column) && !recomputedColumns.contains(column))
                        .forEach(column -> differences.add(c.name() + ": field " + column + " not recomputed"));
            }
            recomputed.forEach((key, row) -> {
                Map<String, String> other = streamed.get(key);
                if (other == null) {
                    differences.add(c.name() + " " + key + ": recomputed, not streamed " + row);
                    return;
                }
                row.forEach((field, value) -> {
                    if (!other.containsKey(field)) {
                        differences.add(c.name() + ": streamed view has no field " + field);
                    } else if (!same(value, other.get(field))) {
                        differences.add(c.name() + " " + key + " " + field + ": recomputed " + value + ", streamed " + other.get(field));
                    }
                });
            });
            streamed.keySet().stream().filter(k -> !recomputed.containsKey(k))
                    .forEach(k -> differences.add(c.name() + " " + k + ": streamed, not recomputed " + streamed.get(k)));
        }
        return differences;
    }

    private static Map<String, Map<String, String>> byKey(List<Map<String, String>> rows, List<String> key) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (Map<String, String> row : rows) {
            List<String> parts = new ArrayList<>();
            key.forEach(k -> parts.add(row.get(k)));
            Map<String, String> previous = out.put(String.join("|", parts), row);
            assertTrue(previous == null, "two rows for grain " + parts + ": " + previous + " and " + row);
        }
        return out;
    }

    /** Equal text, or numbers within the tolerance. */
    static boolean same(String a, String b) {
        if (Objects.equals(a, b)) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        try {
            return Math.abs(Double.parseDouble(a) - Double.parseDouble(b)) <= TOLERANCE;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
