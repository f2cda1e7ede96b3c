package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.LogRetention;
import org.fieldstream.events.Topic;
import org.fieldstream.events.TopicSetup;
import org.fieldstream.events.Topics;
import org.fieldstream.platform.LocalKafka;
import org.fieldstream.platform.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The event log keeps every record on a broker whose own defaults would delete them (a week, 64 KiB
 * per partition) and that checks retention every second on segments of 30 days: five years of events stay
 * readable from offset 0, a topic created with a week of retention is set to keep everything at
 * stage start, a cluster that refuses the change stops the stage with what to set, and a second
 * streams application id replays the whole log into the same metrics as the first.
 */
class EventLogRetentionIT {

    private static final Duration RETENTION_CHECKS = Duration.ofSeconds(5);
    private static final String WEEK_MS = Long.toString(Duration.ofDays(7).toMillis());

    private static LocalKafka broker;

    @BeforeAll
    static void startBroker() {
        broker = LocalKafka.start(TestServices.workDir().resolve("kafka-retention-" + UUID.randomUUID().toString().substring(0, 8)), Map.of(
                "log.retention.check.interval.ms", "1000",
                "log.initial.task.delay.ms", "0",
                // a segment rolls when a batch's records are 30 days younger than its first (segment bytes
                // cannot go below 1 MiB): five years of records fill several closed segments per partition
                "log.roll.ms", Long.toString(Duration.ofDays(30).toMillis()),
                "log.segment.bytes", Long.toString(1024 * 1024),
                "log.retention.ms", WEEK_MS,
                "log.retention.bytes", Long.toString(64 * 1024),
                "alter.config.policy.class.name", RefuseRetentionChanges.class.getName()));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void fiveYearsOfEventsOutliveTheBrokersRetentionAndReplayIntoTheSameMetrics() throws Exception {
        ItKafka kafka = new ItKafka(broker.bootstrapServers(), 3);
        kafka.reference(ItScenario.PROGRAM, ItScenario.PROGRAM_START, ItScenario.ORG_UNITS);
        List<FieldEvent> events = ItScenario.generated(20, 8, 23);
        Map<String, String> expected = ItScenario.recomputed(events);
        Instant now = Instant.now();
        Instant fiveYearsAgo = now.minus(5 * 365, ChronoUnit.DAYS);
        sendSpread(kafka, events, fiveYearsAgo, now);

        Thread.sleep(RETENTION_CHECKS.toMillis());

        String topic = kafka.topics.events.name();
        try (Admin admin = kafka.admin()) {
            LogRetention.logStartOffsets(admin, topic).forEach((tp, start) -> assertEquals(0L, start, "log start offset of " + tp));
            assertTrue(LogRetention.lostRecords(admin, topic).isEmpty());
        }
        for (int p = 0; p < 3; p++) {
            assertTrue(segments(topic, p) >= 3, "partition " + p + " rolled closed segments the broker could delete: " + segments(topic, p));
        }
        List<Long> timestamps = timestamps(topic);
        assertEquals(events.size(), timestamps.size(), "every record is still readable");
        assertTrue(timestamps.stream().mapToLong(Long::longValue).min().getAsLong() <= fiveYearsAgo.plus(1, ChronoUnit.DAYS).toEpochMilli(),
                "the oldest record is five years old");

        Map<String, String> first = runUntil(kafka, "replay-a", expected, Map.of());
        Map<TopicPartition, Long> before = metricEndOffsets(kafka);
        Map<String, String> second = runUntil(kafka, "replay-b", expected, before);
        assertEquals(first, second, "a new application id rebuilds the same metrics from the log");
    }

    @Test
    void aLogTopicWithAWeekOfRetentionIsSetToKeepEverythingAtStageStart() throws Exception {
        Topics topics = new Topics("it-ret-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        try (Admin admin = admin()) {
            admin.createTopics(List.of(
                    new NewTopic(topics.events.name(), 3, (short) 1).configs(Map.of("retention.ms", WEEK_MS)),
                    new NewTopic(topics.rejected.name(), 3, (short) 1).configs(Map.of("retention.bytes", "1048576"))))
                    .all().get();
            // the dead-letter topic is created by the stage: it keeps everything although the broker's defaults delete
            TopicSetup.ensureAll(admin, topics, Map.of());

            // the broker applies a change to its metadata a moment after the controller accepted it
            Awaitility.await("retention of the log topics").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> {
                        for (String name : LogRetention.logTopics(topics)) {
                            Config config = config(admin, name);
                            assertEquals("-1", config.get("retention.ms").value(), name + " retention.ms");
                            assertEquals("-1", config.get("retention.bytes").value(), name + " retention.bytes");
                        }
                    });
            for (Topic<String, ?> metric : topics.metrics()) {
                assertEquals("compact", config(admin, metric.name()).get("cleanup.policy").value(), metric.name());
            }
        }
    }

    @Test
    void warnLeavesAFiniteRetentionAsItIs() throws Exception {
        Topics topics = new Topics("it-warn-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topics.events.name(), 3, (short) 1).configs(Map.of("retention.ms", WEEK_MS)))).all().get();
            TopicSetup.ensureAll(admin, topics, Map.of(LogRetention.CHECK, "warn"));
            assertEquals(WEEK_MS, config(admin, topics.events.name()).get("retention.ms").value());
        }
    }

    @Test
    void whereTheClusterRefusesTheStageDoesNotStartAndSaysWhatToSet() throws Exception {
        // RefuseRetentionChanges, this broker's alter-config policy, refuses retention changes on these topics
        Topics topics = new Topics(RefuseRetentionChanges.PREFIX + UUID.randomUUID().toString().substring(0, 8) + ".");
        String events = topics.events.name();
        try (Admin admin = admin()) {
            // the policy refuses retention settings at creation too: the stage creates its topics with the
            // broker's week, then refuses to start

            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> TopicSetup.ensureAll(admin, topics, Map.of()));
            String message = refused.getMessage();
            assertTrue(message.contains("set retention.ms=-1 retention.bytes=-1 on topic " + events), message);
            assertTrue(message.contains("retention.ms=" + WEEK_MS), "names the old value: " + message);
            assertTrue(message.contains("topic.retention.check=warn"), "names the override: " + message);
            assertEquals(WEEK_MS, config(admin, events).get("retention.ms").value());

            TopicSetup.ensureAll(admin, topics, Map.of(LogRetention.CHECK, "warn"));
            assertEquals(WEEK_MS, config(admin, topics.deadLetters.name()).get("retention.ms").value());
        }
    }

    /** Sends {@code events} in order with record timestamps evenly spread from {@code from} to {@code to}. */
    private static void sendSpread(ItKafka kafka, List<FieldEvent> events, Instant from, Instant to) {
        long step = (to.toEpochMilli() - from.toEpochMilli()) / Math.max(1, events.size() - 1);
        try (KafkaProducer<String, FieldEvent> producer = kafka.eventProducer()) {
            for (int i = 0; i < events.size(); i++) {
                FieldEvent e = events.get(i);
                producer.send(new ProducerRecord<>(kafka.topics.events.name(), null, from.toEpochMilli() + i * step, e.getAggregateId(), e));
            }
            producer.flush();
        }
    }

    private static long segments(String topic, int partition) throws IOException {
        Path dir = broker.workDir().resolve("kraft-logs").resolve(topic + "-" + partition);
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).count();
        }
    }

    /** The timestamp of every record of {@code topic}, read from the beginning to its end. */
    private static List<Long> timestamps(String topic) {
        List<Long> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            for (int polls = 0; polls < 300 && !reached(consumer, end); polls++) {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> out.add(r.timestamp()));
            }
        }
        return out;
    }

    /**
     * Runs a streams application {@code <kafka.id>-<name>} through the stage's start checks until its
     * own output (metric records after {@code from}) equals {@code expected}; returns that output.
     */
    private static Map<String, String> runUntil(ItKafka kafka, String name, Map<String, String> expected,
                                                Map<TopicPartition, Long> from) throws Exception {
        StreamsSettings settings = StreamsSettings.load(null, Map.of(
                "FIELDSTREAM_BOOTSTRAP_SERVERS", kafka.bootstrap,
                "FIELDSTREAM_STREAMS_APPLICATION_ID", kafka.id + "-" + name,
                "FIELDSTREAM_TOPIC_PREFIX", kafka.topics.prefix(),
                "FIELDSTREAM_STREAMS_STATE_DIR", Path.of("target", "it-state", kafka.id + "-" + name).toString(),
                "FIELDSTREAM_STREAMS_COMMIT_INTERVAL_MS", "100",
                "FIELDSTREAM_STREAMS_PUNCTUATE_INTERVAL_MS", "200"));
        TopicSetup.Layout layout = StreamsMain.prepare(settings);
        try (KafkaStreams streams = new KafkaStreams(MetricsTopology.build(settings), settings.streamsProperties(layout))) {
            streams.start();
            AtomicReference<Map<String, String>> got = new AtomicReference<>();
            Awaitility.await(name + " writes the expected metrics").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> {
                        got.set(ItKafka.comparable(metricsAfter(kafka, from), kafka.topics));
                        if (!expected.equals(got.get())) {
                            throw new AssertionError(TopologyHarness.differences(expected, got.get(), 3));
                        }
                    });
            streams.close(Duration.ofSeconds(30));
            return got.get();
        }
    }

    private static Map<TopicPartition, Long> metricEndOffsets(ItKafka kafka) {
        Map<TopicPartition, Long> out = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            for (Topic<String, ?> topic : kafka.topics.metrics()) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                        .map(i -> new TopicPartition(topic.name(), i.partition())).toList();
                out.putAll(consumer.endOffsets(partitions));
            }
        }
        return out;
    }

    /** Last row per key of every metric topic among the committed records after {@code from} (from the start where absent). */
    private static Map<String, Map<String, SpecificRecordBase>> metricsAfter(ItKafka kafka, Map<TopicPartition, Long> from) {
        Map<String, Map<String, SpecificRecordBase>> out = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            for (Topic<String, ?> topic : kafka.topics.metrics()) {
                @SuppressWarnings("unchecked")
                Deserializer<SpecificRecordBase> values = (Deserializer<SpecificRecordBase>) topic.valueSerde().deserializer();
                List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                        .map(i -> new TopicPartition(topic.name(), i.partition())).toList();
                consumer.assign(partitions);
                partitions.forEach(tp -> consumer.seek(tp, from.getOrDefault(tp, 0L)));
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                Map<String, SpecificRecordBase> rows = new TreeMap<>();
                for (int polls = 0; polls < 200 && !reached(consumer, end); polls++) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        rows.put(new String(r.key(), StandardCharsets.UTF_8), values.deserialize(topic.name(), r.value()));
                    }
                }
                out.put(topic.name(), rows);
            }
        }
        return out;
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private static Config config(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource);
    }
}
