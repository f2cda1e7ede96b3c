package org.fieldstream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.events.KafkaAccess;
import org.fieldstream.events.TopicSetup;
import org.fieldstream.events.Topics;
import org.fieldstream.platform.ChildJvm;
import org.fieldstream.platform.LocalKafkaCluster;
import org.fieldstream.platform.TestServices;
import org.fieldstream.reference.ReferenceData;
import org.fieldstream.reference.ReferenceLoader;
import org.fieldstream.seeds.ExpectedMetrics;
import org.fieldstream.seeds.ScenarioGenerator;
import org.fieldstream.seeds.Size;
import org.fieldstream.sink.SinkMain;
import org.fieldstream.streams.StreamsMain;
import org.fieldstream.streams.StreamsSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Past one machine: three Kafka nodes (replication 3, two in-sync replicas required), two streams
 * instances with one application id and a standby replica each, two sinks in one consumer group, all
 * in their own JVMs. A generated program is ingested batch by batch while (a) a broker is killed and
 * started again, (b) a streams instance is killed with work in flight and started again after the
 * survivor took its tasks, (c) a sink is killed with rows in flight and started again. ClickHouse
 * ends equal to the generator's independent expectation (which a single-instance run of the same
 * input, {@link PipelineIT}, also equals), every event on the log is in {@code field_events} and none
 * is counted twice. The time each fault took to recover is printed.
 */
class ClusterIT {

    private static final Duration RECOVERY = Duration.ofSeconds(120);

    /** Kept when the test fails: every broker's, streams' and sink's log is in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    private final Map<String, Long> recovered = new LinkedHashMap<>();

    @Test
    void threeBrokersTwoStreamsTwoSinksSurviveKilledBrokerStreamsAndSink() throws Exception {
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String database = "it_cluster_" + run;
        Topics topics = new Topics("it-" + run + ".");
        ReferenceData reference = ReferenceData.bundled();
        ScenarioGenerator.Result scenario = new ScenarioGenerator(reference, 7L, Size.TINY).generate(work.resolve("input"));
        ExpectedMetrics expected = scenario.expected(reference, Function.identity());
        long started = System.nanoTime();

        try (LocalKafkaCluster cluster = LocalKafkaCluster.start(work.resolve("kafka"), 3);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
             ClickHouseGateway clickHouse = new ClickHouseGateway(TestServices.clickHouse().httpUrl(), "default", "")) {
            TopicSetup.ensureAll(admin, topics);
            TopicDescription events = admin.describeTopics(Set.of(topics.events.name())).allTopicNames().get().get(topics.events.name());
            events.partitions().forEach(p -> assertEquals(3, p.replicas().size(), "the log is replicated three times"));
            ReferenceLoader.publish(KafkaAccess.plain(cluster.bootstrapServers()), topics, reference);

            Map<String, String> secrets = new HashMap<>();
            reference.programs().forEach(p -> secrets.put(LocalRun.secretVariable(p.getProgramId()), "cluster-it-secret-" + run));
            Map<String, String> ingestConfig = new HashMap<>(secrets);
            ingestConfig.put("FIELDSTREAM_BOOTSTRAP_SERVERS", cluster.bootstrapServers());
            ingestConfig.put("FIELDSTREAM_TOPIC_PREFIX", topics.prefix());

            Path streams1 = settings("streams-1", cluster, topics, database, run);
            Path streams2 = settings("streams-2", cluster, topics, database, run);
            Path sinks = settings("sink", cluster, topics, database, run);
            String appId = "it-cluster-" + run;
            String sinkGroup = "it-cluster-sink-" + run;
            ChildJvm[] streams = {streams(streams1, "streams-1"), streams(streams2, "streams-2")};
            ChildJvm[] sink = {sink(sinks, "sink-1"), sink(sinks, "sink-2")};
            try {
                List<List<String>> batches = batches(scenario.manifest());
                int third = batches.size() / 3;
                for (int b = 0; b < batches.size(); b++) {
                    if (b == third) {
                        runsTasks(streams[1]);
                    } else if (b == 2 * third) {
                        Awaitility.await("both sinks in the group").atMost(RECOVERY).pollInterval(Duration.ofMillis(500))
                                .until(() -> members(admin, sinkGroup) == 2);
                    }
                    ManifestIngest.run(scenario, work.resolve("input"), reference, ingestConfig, batches.get(b));
                    if (b == third / 2) {
                        brokerKilledAndBack(cluster, admin, topics);
                    } else if (b == third) {
                        streams[0] = streamsKilledAndBack(admin, topics, StreamsSettings.kafkaApplicationId(appId), streams[0], streams1);
                    } else if (b == 2 * third) {
                        sink[0] = sinkKilledAndBack(admin, topics, sinkGroup, sink[0], sinks);
                    }
                }

                assertTrue(MetricsCheck.awaitMatch(clickHouse, database, expected, Duration.ofSeconds(240), System.out),
                        "landed metrics differ from the expectation (printed above)");
                assertEquals(List.of(), MetricsCheck.differences(clickHouse, database, expected));
                long onTheLog = distinctEventIds(cluster.bootstrapServers(), topics.events.name());
                Awaitility.await("every event on the log landed").atMost(RECOVERY).pollInterval(Duration.ofSeconds(1))
                        .until(() -> Long.parseLong(clickHouse.queryValue("SELECT uniqExact(event_id) FROM " + database + ".field_events")),
                                landed -> landed == onTheLog);
                assertEquals(Long.toString(onTheLog), clickHouse.queryValue("SELECT count() FROM " + database + ".v_field_events"),
                        "what analysts read counts every event once");
                internalTopicsReplicated(admin, StreamsSettings.kafkaApplicationId(appId));
                rebalancesLogged(streams[1], streams[0]);
            } finally {
                for (ChildJvm p : streams) {
                    p.stop();
                }
                for (ChildJvm p : sink) {
                    p.stop();
                }
            }
        } finally {
            System.out.println("cluster run took " + (System.nanoTime() - started) / 1_000_000_000 + " s; recovery times: " + recovered
                    + "; logs in " + work + " (kept if the test fails)");
        }
    }

    /** The changelog and repartition topics are laid out like the pipeline's own: three replicas, two in sync to write. */
    private static void internalTopicsReplicated(Admin admin, String applicationId) throws Exception {
        Set<String> internal = admin.listTopics().names().get(10, TimeUnit.SECONDS).stream()
                .filter(name -> name.startsWith(applicationId + "-")).collect(Collectors.toSet());
        assertFalse(internal.isEmpty(), "the streams application has internal topics");
        admin.describeTopics(internal).allTopicNames().get(10, TimeUnit.SECONDS).forEach((name, description) ->
                description.partitions().forEach(p -> assertEquals(3, p.replicas().size(), name + " is replicated three times")));
        ConfigResource one = new ConfigResource(ConfigResource.Type.TOPIC, internal.iterator().next());
        assertEquals("2", admin.describeConfigs(Set.of(one)).all().get(10, TimeUnit.SECONDS).get(one)
                .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value(), one.name() + " min.insync.replicas");
    }

    /**
     * Each instance says what each rebalance gave and took: the survivor's first line gains every
     * active task it runs (from nothing) and lists standby copies of the other's tasks; it settles
     * again after its peer died and came back; the restarted instance settles too. What the survivor
     * lists after the kill depends on timing: it has been seen to list its own active tasks unchanged
     * at every rebalance after the kill, while the restarted peer listed the killed one's tasks as
     * gained, so no gain is required of the survivor there.
     */
    private static void rebalancesLogged(ChildJvm survivor, ChildJvm restarted) throws Exception {
        List<String> lines = assignmentLines(survivor);
        String all = String.join("\n", lines);
        assertTrue(lines.size() >= 2, "the survivor settled at start and again after its peer died:\n" + all);
        Matcher first = Pattern.compile(".*active (\\[[^]]+]) \\(gained (\\[[^]]*]), lost \\[]\\).*")
                .matcher(lines.get(0));
        assertTrue(first.matches(), "the first line gains the tasks it runs: " + lines.get(0));
        assertEquals(first.group(1), first.group(2), "from nothing, everything active was gained: " + lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.matches(".*standby \\[[^]]+].*")), all);
        assertFalse(assignmentLines(restarted).isEmpty(), "the restarted instance logs its assignment");
    }

    private static List<String> assignmentLines(ChildJvm instance) throws Exception {
        return Files.readAllLines(instance.logFile()).stream().filter(l -> l.contains("tasks after rebalance")).toList();
    }

    /**
     * Waits until {@code instance} has run with tasks of its own: a survivor still rebalancing from its
     * own start when its peer dies takes the tasks before it ever logs an assignment of its own.
     */
    private static void runsTasks(ChildJvm instance) {
        Awaitility.await(instance.name() + " running with tasks").atMost(RECOVERY).pollInterval(Duration.ofMillis(500))
                .until(() -> Files.readAllLines(instance.logFile()).stream()
                        .anyMatch(l -> l.matches(".*tasks after rebalance: active \\[[^]]+].*")));
    }

    /** (a) A broker dies without a controlled shutdown; ingest and the stages go on; it comes back and catches up. */
    private void brokerKilledAndBack(LocalKafkaCluster cluster, Admin admin, Topics topics) throws Exception {
        cluster.kill(2);
        long killed = System.nanoTime();
        Awaitility.await("partitions led by the survivors").atMost(RECOVERY).pollInterval(Duration.ofMillis(200))
                .until(() -> allLed(admin, topics.events.name()));
        recovered.put("broker killed -> every events partition led again", (System.nanoTime() - killed) / 1_000_000);
        cluster.restart(2);
        long back = System.nanoTime();
        Awaitility.await("the restarted broker back in sync").atMost(RECOVERY).pollInterval(Duration.ofMillis(500))
                .until(() -> fullyInSync(admin, topics.events.name()));
        recovered.put("broker restarted -> in sync on the events topic", (System.nanoTime() - back) / 1_000_000);
    }

    /** (b) A streams instance dies with events it has not committed; the survivor takes its tasks; it comes back. */
    private ChildJvm streamsKilledAndBack(Admin admin, Topics topics, String group, ChildJvm victim, Path settings) throws Exception {
        long lag = lag(admin, group, topics.events.name());
        victim.kill();
        long killed = System.nanoTime();
        assertTrue(lag > 0, "the kill landed with events not yet committed by the streams (lag " + lag + ")");
        Awaitility.await("the surviving instance owns every task").atMost(RECOVERY).pollInterval(Duration.ofMillis(500))
                .until(() -> members(admin, group) == 1 && lag(admin, group, topics.events.name()) == 0);
        recovered.put("streams killed (lag " + lag + ") -> survivor caught up", (System.nanoTime() - killed) / 1_000_000);
        ChildJvm again = streams(settings, "streams-1b");
        long back = System.nanoTime();
        Awaitility.await("both instances in the group again").atMost(RECOVERY).pollInterval(Duration.ofMillis(500))
                .until(() -> members(admin, group) == 2);
        recovered.put("streams restarted -> two members", (System.nanoTime() - back) / 1_000_000);
        return again;
    }

    /** (c) A sink dies with records read and not committed; the other sink takes over; it comes back. */
    private ChildJvm sinkKilledAndBack(Admin admin, Topics topics, String group, ChildJvm victim, Path settings) throws Exception {
        long lag = lag(admin, group, topics.events.name());
        victim.kill();
        long killed = System.nanoTime();
        assertTrue(lag > 0, "the kill landed with events not yet committed by the sinks (lag " + lag + ")");
        Awaitility.await("the other sink took every partition and caught up").atMost(RECOVERY).pollInterval(Duration.ofMillis(500))
                .until(() -> members(admin, group) == 1 && lag(admin, group, topics.events.name()) == 0);
        recovered.put("sink killed (lag " + lag + ") -> other sink owns all and caught up", (System.nanoTime() - killed) / 1_000_000);
        return sink(settings, "sink-1b");
    }

    private Path settings(String name, LocalKafkaCluster cluster, Topics topics, String database, String run) throws Exception {
        Path dir = Files.createDirectories(work.resolve(name));
        return Files.writeString(dir.resolve("settings.properties"), String.join("\n",
                "bootstrap.servers=" + cluster.bootstrapServers(),
                "topic.prefix=" + topics.prefix(),
                "streams.application.id=it-cluster-" + run,
                "streams.state.dir=" + dir.resolve("state"),
                "streams.num.standby.replicas=1",
                "streams.commit.interval.ms=200",
                "streams.config.consumer.session.timeout.ms=10000",
                "streams.config.consumer.heartbeat.interval.ms=2000",
                "sink.group.id=it-cluster-sink-" + run,
                "sink.session.timeout.ms=10000",
                "clickhouse.url=" + TestServices.clickHouse().httpUrl(),
                "clickhouse.database=" + database, ""));
    }

    private ChildJvm streams(Path settings, String name) {
        return ChildJvm.start(name, StreamsMain.class.getName(), List.of("-Xmx384m"), List.of(settings.toString()),
                work.resolve(name + ".log"));
    }

    private ChildJvm sink(Path settings, String name) {
        return ChildJvm.start(name, SinkMain.class.getName(), List.of("-Xmx256m"), List.of("--config", settings.toString()),
                work.resolve(name + ".log"));
    }

    /** The manifest as consecutive batches of one partner's files, as a program's uploads arrive. */
    static List<List<String>> batches(List<String> manifest) {
        List<List<String>> batches = new ArrayList<>();
        for (String file : manifest) {
            String partner = file.substring(0, file.indexOf('/'));
            if (batches.isEmpty() || !batches.get(batches.size() - 1).get(0).startsWith(partner + "/")) {
                batches.add(new ArrayList<>());
            }
            batches.get(batches.size() - 1).add(file);
        }
        return batches;
    }

    private static boolean allLed(Admin admin, String topic) throws Exception {
        return admin.describeTopics(Set.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions().stream()
                .allMatch(p -> p.leader() != null && !p.leader().isEmpty() && p.leader().id() != 2);
    }

    private static boolean fullyInSync(Admin admin, String topic) throws Exception {
        return admin.describeTopics(Set.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions().stream()
                .allMatch(p -> p.isr().size() == 3);
    }

    /** Members of {@code group}; none while the coordinator does not know the group (seen while it moves after a broker restart). */
    private static int members(Admin admin, String group) throws Exception {
        try {
            ConsumerGroupDescription description = admin.describeConsumerGroups(Set.of(group)).all().get(10, TimeUnit.SECONDS).get(group);
            return description.members().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return 0;
            }
            throw e;
        }
    }

    /** Records of {@code topic} not yet committed by {@code group} (the events topic is written without transactions). */
    private static long lag(Admin admin, String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        long lag = 0;
        for (var end : admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet()) {
            OffsetAndMetadata done = committed.get(end.getKey());
            lag += end.getValue().offset() - (done == null ? 0 : done.offset());
        }
        return lag;
    }

    /** Distinct event ids on the log: every one must land once. */
    private static long distinctEventIds(String bootstrap, String topic) {
        Map<String, Object> p = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Set<String> ids = new HashSet<>();
        Topics names = new Topics(topic.substring(0, topic.indexOf("fieldstream.")));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    ids.add(names.events.valueSerde().deserializer().deserialize(topic, r.value()).getEventId());
                }
            }
        }
        return ids.size();
    }
}
