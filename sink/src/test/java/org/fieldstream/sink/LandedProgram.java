package org.fieldstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.events.KafkaAccess;
import org.fieldstream.events.TopicSetup;
import org.fieldstream.events.Topics;
import org.fieldstream.platform.TestServices;
import org.fieldstream.producers.IngestCommand;
import org.fieldstream.reference.ReferenceData;
import org.fieldstream.reference.ReferenceLoader;
import org.fieldstream.seeds.ExpectedMetrics;
import org.fieldstream.seeds.MetricFamily;
import org.fieldstream.seeds.ScenarioGenerator;
import org.fieldstream.seeds.Size;
import org.fieldstream.streams.MetricsTopology;
import org.fieldstream.streams.StreamsSettings;

/**
 * A generated program (duplicates, a file pushed twice, a late upload, corrections, retractions)
 * landed through the real pipeline — producers, streams, sink — in a fresh database of the test
 * ClickHouse (18.16). {@link #land} returns once the streamed tables hold the generator's expected
 * metrics and the stopped sink has written everything it was sent, so the database no longer changes.
 */
final class LandedProgram implements AutoCloseable {

    private static final Duration METRICS_WAIT = Duration.ofSeconds(180);
    private static final Duration SINK_WAIT = Duration.ofSeconds(60);
    private static final int SHOWN = 20;

    final String database;
    final ClickHouseGateway clickHouse;
    /** The generated program; null for files a test wrote. */
    final ScenarioGenerator.Result scenario;

    private LandedProgram(String database, ScenarioGenerator.Result scenario) {
        this.database = database;
        this.scenario = scenario;
        this.clickHouse = new ClickHouseGateway(TestServices.clickHouse().httpUrl(), "default", "");
    }

    static LandedProgram land(long seed, Size size, Path work) throws Exception {
        Path input = work.resolve("input-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10));
        ReferenceData reference = ReferenceData.bundled();
        ScenarioGenerator.Result scenario = new ScenarioGenerator(reference, seed, size).generate(input);
        ExpectedMetrics expected = scenario.expected(reference, Function.identity());
        return land(reference, input, scenario.manifest(), scenario, landed -> expectedDifferences(landed.clickHouse, landed.database, expected),
                "the generator's expected metrics", work);
    }

    /**
     * Partner files written by a test, {@code <partner>/<file>} under {@code input} in the manifest's
     * order, landed like a generated program; returns once {@code awaited} finds no difference.
     */
    static LandedProgram land(Path input, List<String> manifest, Function<LandedProgram, List<String>> awaited, String what, Path work)
            throws Exception {
        return land(ReferenceData.bundled(), input, manifest, null, awaited, what, work);
    }

    /** As {@link #land(Path, List, Function, String, Path)}, under the test's own reference data. */
    static LandedProgram land(ReferenceData reference, Path input, List<String> manifest, Function<LandedProgram, List<String>> awaited,
                              String what, Path work) throws Exception {
        return land(reference, input, manifest, null, awaited, what, work);
    }

    private static LandedProgram land(ReferenceData reference, Path input, List<String> manifest, ScenarioGenerator.Result scenario,
                                      Function<LandedProgram, List<String>> awaited, String what, Path work) throws Exception {
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Map<String, String> config = config(run, work);
        for (var program : reference.programs()) {
            config.put("FIELDSTREAM_SECRET_" + program.getProgramId().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"),
                    "it-secret-" + run);
        }
        LandedProgram landed = new LandedProgram(config.get("FIELDSTREAM_CLICKHOUSE_DATABASE"), scenario);

        Topics topics = new Topics(config.get("FIELDSTREAM_TOPIC_PREFIX"));
        String bootstrap = config.get("FIELDSTREAM_BOOTSTRAP_SERVERS");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicSetup.ensure(admin, topics, 3, (short) 1);
            ReferenceLoader.publish(KafkaAccess.plain(bootstrap), topics, reference);
            StreamsSettings streamsSettings = StreamsSettings.load(null, config);
            SinkSettings sinkSettings = SinkSettings.load(null, config);
            KafkaStreams streams = new KafkaStreams(MetricsTopology.build(streamsSettings), streamsSettings.streamsProperties());
            streams.start();
            try (SinkMain.Running sink = SinkMain.start(sinkSettings)) {
                try {
                    ingest(manifest, input, reference, config);
                    deadLetter(bootstrap, topics);
                    List<String> differences = awaitNoDifferences(() -> awaited.apply(landed));
                    assertEquals(List.of(), first(differences), "streamed tables never reached " + what);
                } finally {
                    streams.close(Duration.ofSeconds(30));
                }
                // the streams write metrics and their dead letters in transactions (a commit marker ends each)
                Set<String> transactional = topics.metrics().stream().map(t -> t.name()).collect(Collectors.toSet());
                transactional.add(topics.deadLetters.name());
                awaitCaughtUp(admin, sinkSettings.groupId(), new HashSet<>(TableMappings.topicNames(topics)), transactional);
            }
        } catch (Exception | AssertionError e) {
            landed.close();
            throw e;
        }
        return landed;
    }

    /**
     * One event the streams cannot decode, so {@code dead_letters} and its view have a row (they are
     * compared like every other table); returns once the streams have dead-lettered it.
     */
    private static void deadLetter(String bootstrap, Topics topics) throws Exception {
        Map<String, Object> p = Map.of(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> producer = new org.apache.kafka.clients.producer.KafkaProducer<>(
                p, new org.apache.kafka.common.serialization.ByteArraySerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topics.events.name(),
                    "undecodable".getBytes(StandardCharsets.UTF_8), "not an event".getBytes(StandardCharsets.UTF_8))).get();
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            org.apache.kafka.common.TopicPartition dlq = new org.apache.kafka.common.TopicPartition(topics.deadLetters.name(), 0);
            Awaitility.await("the streams dead-letter an undecodable event").atMost(SINK_WAIT).pollInterval(Duration.ofMillis(200))
                    .until(() -> admin.listOffsets(Map.of(dlq, org.apache.kafka.clients.admin.OffsetSpec.latest())).all().get().get(dlq).offset() >= 1);
        }
    }

    private static Map<String, String> config(String run, Path work) {
        Map<String, String> config = new HashMap<>();
        config.put("FIELDSTREAM_BOOTSTRAP_SERVERS", TestServices.kafka().bootstrapServers());
        config.put("FIELDSTREAM_TOPIC_PREFIX", "it-" + run + ".");
        config.put("FIELDSTREAM_CLICKHOUSE_URL", TestServices.clickHouse().httpUrl());
        config.put("FIELDSTREAM_CLICKHOUSE_DATABASE", "it_program_" + run);
        config.put("FIELDSTREAM_STREAMS_APPLICATION_ID", "it-program-" + run);
        config.put("FIELDSTREAM_STREAMS_STATE_DIR", work.resolve("state-" + run).toString());
        config.put("FIELDSTREAM_SINK_GROUP_ID", "it-sink-" + run);
        return config;
    }

    /** The manifest in order, one ingest run per consecutive batch of one partner's files. */
    private static void ingest(List<String> manifest, Path input, ReferenceData reference, Map<String, String> config) {
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
    private static List<String> awaitNoDifferences(DifferenceSource source) {
        Supplier<List<String>> read = () -> {
            try {
                return source.get();
            } catch (RuntimeException e) {
                return List.of("query failed: " + e.getMessage());
            }
        };
        try {
            return Awaitility.await().atMost(METRICS_WAIT).pollInterval(Duration.ofSeconds(1)).until(read::get, List::isEmpty);
        } catch (ConditionTimeoutException e) {
            return read.get();
        }
    }

    static List<String> first(List<String> differences) {
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
                    // every field of the family's Avro schema, whether or not the expectation names it
                    Set<String> compared = new LinkedHashSet<>(family.fields());
                    compared.addAll(fields.keySet());
                    for (String field : compared) {
                        Object value = fields.get(field);
                        if (!fields.containsKey(field)) {
                            differences.add(family.familyName() + " " + key + " " + field + ": not in the expectation");
                        } else if (!row.containsKey(field)) {
                            differences.add(family.familyName() + " " + key + " " + field + ": no such column in v_" + family.familyName());
                        } else if (!RecomputeComparison.same(value == null ? null : value.toString(), row.get(field))) {
                            differences.add(family.familyName() + " " + key + " " + field + ": expected " + value + ", landed " + row.get(field));
                        }
                    }
                }
            });
            landed.keySet().stream().filter(k -> !wanted.containsKey(k))
                    .forEach(k -> differences.add(family.familyName() + " " + k + ": not expected"));
        }
        return differences;
    }

    /**
     * Waits until the sink group has committed the end offset of every partition of its topics; the
     * streams write their topics in transactions, which end in a commit marker no consumer returns.
     */
    private static void awaitCaughtUp(Admin admin, String group, Set<String> topicNames, Set<String> transactional) {
        Awaitility.await("sink group " + group + " caught up").atMost(SINK_WAIT).pollInterval(Duration.ofMillis(250))
                .until(() -> caughtUp(admin, group, topicNames, transactional));
    }

    private static boolean caughtUp(Admin admin, String group, Set<String> topicNames, Set<String> transactional) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        admin.describeTopics(topicNames).allTopicNames().get(10, TimeUnit.SECONDS).forEach((name, description) ->
                description.partitions().forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(request).all().get(10, TimeUnit.SECONDS);
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end : ends.entrySet()) {
            OffsetAndMetadata done = committed.get(end.getKey());
            long target = end.getValue().offset() - (transactional.contains(end.getKey().topic()) ? 1 : 0);
            if (target > 0 && (done == null || done.offset() < target)) {
                return false;
            }
        }
        return true;
    }

    /** Drops the database; cleanup only (its name is unique to the run), so a slow server does not fail the test. */
    @Override
    public void close() {
        try {
            clickHouse.execute("DROP DATABASE IF EXISTS " + database);
        } catch (ClickHouseGateway.ClickHouseFailure e) {
            System.err.println("could not drop " + database + ": " + e.getMessage());
        } finally {
            clickHouse.close();
        }
    }
}
