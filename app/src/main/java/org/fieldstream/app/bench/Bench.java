package org.fieldstream.app.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.fieldstream.events.TopicSetup;
import org.fieldstream.events.Topics;
import org.fieldstream.platform.ChildJvm;
import org.fieldstream.platform.LocalClickHouse;
import org.fieldstream.platform.LocalKafkaCluster;
import org.fieldstream.platform.LocalServices;
import org.fieldstream.platform.ProducerPerformanceTool;
import org.fieldstream.producers.KafkaClients;
import org.fieldstream.producers.ProducerSettings;
import org.fieldstream.app.LocalRun;
import org.fieldstream.app.ManifestIngest;
import org.fieldstream.reference.Partner;
import org.fieldstream.seeds.ReferenceData;
import org.fieldstream.seeds.ReferenceLoader;
import org.fieldstream.seeds.ScenarioGenerator;
import org.fieldstream.seeds.Size;
import org.fieldstream.sink.ClickHouseGateway;
import org.fieldstream.streams.StreamsSettings;

/**
 * {@code fieldstream bench}: local Kafka and ClickHouse, a generated program of about N events
 * ingested from its partner files in this JVM, streams and sink each in its own JVM, and in the same
 * run the baselines (Kafka's ProducerPerformance, a raw clickhouse-client insert). Prints one table
 * and writes the same figures as JSON. Definitions are in the README's Benchmarks section.
 */
public final class Bench {

    static final String DATABASE = "fieldstream_bench";
    static final int PARTITIONS = 3;
    static final String STREAMS_XMX = "-Xmx1g";
    static final String SINK_XMX = "-Xmx512m";
    private static final String STREAMS_APPLICATION = "bench-streams";
    /** The streams child's consumer group: its application id with the state format (StreamsSettings). */
    private static final String STREAMS_GROUP = StreamsSettings.kafkaApplicationId(STREAMS_APPLICATION);
    /** Rows of partner files per generated cohort, measured on the generator (Size's javadoc says ~470). */
    private static final double ROWS_PER_COHORT = 470;
    private static final long POLL_MS = 250;
    /** Metric topics must stay unchanged this long once everything is consumed (3 punctuation intervals). */
    private static final long QUIET_MS = 1500;

    private final BenchOptions options;
    private final PrintStream out;
    private final Path work;
    /** The 1-minute load average when the measured run starts (others' work on the machine shows here). */
    private double loadAtStart;

    private Bench(BenchOptions options, PrintStream out, Path work) {
        this.options = options;
        this.out = out;
        this.work = work;
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args, out);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(BenchOptions.usage());
            return 2;
        }
        if (options == null) {
            return 0;
        }
        Path work = (env.containsKey("FIELDSTREAM_BENCH_DIR") ? Path.of(env.get("FIELDSTREAM_BENCH_DIR")) : org.fieldstream.app.LocalRun.home().resolve("var/bench")).toAbsolutePath();
        return new Bench(options, out, work).execute();
    }

    private int execute() throws Exception {
        for (String dir : List.of("services", "input", "streams-state", "logs")) {
            LocalRun.clearDirectory(work.resolve(dir));
        }
        Files.createDirectories(work.resolve("logs"));
        ReferenceData reference = ReferenceData.bundled();
        int cohorts = (int) Math.max(1, Math.round(options.events() / ROWS_PER_COHORT));
        out.printf(Locale.ROOT, "Generating ~%,d events (%,d cohorts) ...%n", options.events(), cohorts);
        Path input = work.resolve("input");
        ScenarioGenerator.Result scenario = new ScenarioGenerator(reference, 42L, new Size("bench-" + cohorts, cohorts)).generate(input);
        out.printf(Locale.ROOT, "  %,d partner rows in %d files%n", scenario.rows(), scenario.files().size());
        Path services = work.resolve("services");
        if (options.cluster()) {
            out.println("Starting three Kafka brokers and ClickHouse (" + services + ") ...");
            try (LocalClickHouse clickHouse = LocalClickHouse.start(services.resolve("clickhouse"));
                 LocalKafkaCluster kafka = LocalKafkaCluster.start(services.resolve("kafka"), 3)) {
                return measure(kafka.bootstrapServers(), kafka.pids(), clickHouse, reference, scenario, input);
            }
        }
        out.println("Starting Kafka and ClickHouse (" + services + ") ...");
        try (LocalServices local = LocalServices.start(services)) {
            return measure(local.kafka().bootstrapServers(), List.of(local.kafka().process().pid()), local.clickHouse(),
                    reference, scenario, input);
        }
    }

    private int measure(String bootstrap, List<Long> kafkaPids, LocalClickHouse clickHouseServer, ReferenceData reference,
                        ScenarioGenerator.Result scenario, Path input) throws Exception {
        loadAtStart = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        String url = "http://127.0.0.1:" + clickHouseServer.httpPort();
        Topics topics = new Topics("bench.");
        Map<String, String> config = new HashMap<>();
        config.put("FIELDSTREAM_BOOTSTRAP_SERVERS", bootstrap);
        config.put("FIELDSTREAM_TOPIC_PREFIX", topics.prefix());
        config.put("FIELDSTREAM_CLICKHOUSE_URL", url);
        config.put("FIELDSTREAM_CLICKHOUSE_DATABASE", DATABASE);
        config.put("FIELDSTREAM_STREAMS_STATE_DIR", work.resolve("streams-state").toString());
        config.put("FIELDSTREAM_STREAMS_APPLICATION_ID", STREAMS_APPLICATION);
        config.put("FIELDSTREAM_SINK_GROUP_ID", "bench-sink");
        if (options.cluster()) {
            config.put("FIELDSTREAM_STREAMS_NUM_STANDBY_REPLICAS", "1");
        }
        reference.programs().forEach(p -> config.put(LocalRun.secretVariable(p.getProgramId()), LocalRun.randomSecret()));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
             ClickHouseGateway clickHouse = new ClickHouseGateway(url, "default", "")) {
            TopicSetup.Layout layout = TopicSetup.Layout.forCluster(admin, PARTITIONS);
            TopicSetup.ensure(admin, topics, layout);
            ReferenceLoader.publish(bootstrap, topics, reference);
            List<ChildJvm> streams = new ArrayList<>();
            for (int i = 1; i <= (options.cluster() ? 2 : 1); i++) {
                String name = options.cluster() ? "streams-" + i : "streams";
                Map<String, String> own = new HashMap<>(config);
                own.put("FIELDSTREAM_STREAMS_STATE_DIR", work.resolve("streams-state").resolve(name).toString());
                streams.add(ChildJvm.start(name, "org.fieldstream.streams.StreamsMain", jvmArgs(STREAMS_XMX, name), List.of(), own,
                        work.resolve("logs/" + name + ".log")));
            }
            ChildJvm sink = ChildJvm.start("sink", "org.fieldstream.sink.SinkMain",
                    jvmArgs(SINK_XMX, "sink"), List.of(), config, work.resolve("logs/sink.log"));
            try {
                awaitReady(clickHouse, admin, streams, sink);
                Map<String, Long> pids = new LinkedHashMap<>();
                pids.put("ingest+bench", ProcessHandle.current().pid());
                streams.forEach(s -> pids.put(s.name(), s.pid()));
                pids.put("sink", sink.pid());
                for (int i = 0; i < kafkaPids.size(); i++) {
                    pids.put(kafkaPids.size() == 1 ? "kafka" : "kafka-" + (i + 1), kafkaPids.get(i));
                }
                pids.put("clickhouse", MemoryProbe.clickHousePid());
                return new Run(admin, clickHouse, topics, config, pids, bootstrap, clickHouseServer, layout, reference)
                        .go(scenario, input);
            } finally {
                sink.stop();
                streams.forEach(ChildJvm::stop);
            }
        }
    }

    /** One measured run, with everything it needs at hand. */
    private final class Run {
        private final Admin admin;
        private final ClickHouseGateway clickHouse;
        private final Topics topics;
        private final Map<String, String> config;
        private final Map<String, Long> pids;
        private final String bootstrap;
        private final LocalClickHouse clickHouseServer;
        private final TopicSetup.Layout layout;
        private final ReferenceData reference;
        private final List<MemoryProbe.Sample> memory = new ArrayList<>();

        Run(Admin admin, ClickHouseGateway clickHouse, Topics topics, Map<String, String> config, Map<String, Long> pids,
            String bootstrap, LocalClickHouse clickHouseServer, TopicSetup.Layout layout, ReferenceData reference) {
            this.admin = admin;
            this.clickHouse = clickHouse;
            this.topics = topics;
            this.config = config;
            this.pids = pids;
            this.bootstrap = bootstrap;
            this.clickHouseServer = clickHouseServer;
            this.layout = layout;
            this.reference = reference;
        }

        int go(ScenarioGenerator.Result scenario, Path input) throws Exception {
            out.println("Ingest -> streams -> sink -> ClickHouse ...");
            long start = System.nanoTime();
            long[] ingestEnd = new long[1];
            CompletableFuture<Long> ingest = CompletableFuture.supplyAsync(() -> {
                long accepted = ingest(scenario, input);
                ingestEnd[0] = System.nanoTime();
                return accepted;
            });
            long end = awaitCompletion(ingest);
            long accepted = ingest.join();
            double seconds = (end - start) / 1e9;
            double ingestSeconds = (ingestEnd[0] - start) / 1e9;
            Offsets offsets = new Offsets(admin);
            long events = Offsets.sum(offsets.ends(offsets.partitions(List.of(topics.events.name()))), topics.events.name());
            sampleMemory(events);
            long fieldEvents = Long.parseLong(clickHouse.queryValue("SELECT count() FROM " + DATABASE + ".field_events"));
            double e2eRate = events / seconds;
            out.printf(Locale.ROOT, "  %,d events (%,d accepted rows) in %.1f s: %,.0f events/s end to end%n", events, accepted,
                    seconds, e2eRate);

            int recordSize = averageEventSize();
            out.printf(Locale.ROOT, "Baseline: ProducerPerformance, %,d records of %d bytes ...%n", events, recordSize);
            String perfTopic = "bench.producer-performance";
            TopicSetup.ensure(admin, List.of(perfTopic), PARTITIONS, layout.replication());
            ProducerPerformanceTool.Total producerPerf = ProducerPerformanceTool.run(
                    KafkaClients.producerProperties(ProducerSettings.load(null, config), "bench-producer-performance"),
                    perfTopic, events, recordSize, work.resolve("logs/producer-performance.log"));
            out.printf(Locale.ROOT, "Baseline: clickhouse-client insert of the %,d field_events rows ...%n", fieldEvents);
            ClickHouseInsertBaseline.Result insert = ClickHouseInsertBaseline.run(clickHouse, DATABASE,
                    clickHouseServer.tcpPort(), work);

            double paced = e2eRate / 2;
            out.printf(Locale.ROOT, "Freshness: %d s of dialogue events at %,.0f events/s (half the end-to-end rate) ...%n",
                    options.freshnessSeconds(), paced);
            Partner host = reference.partners().get(0);
            FreshnessProbe.Result freshness = new FreshnessProbe(bootstrap, topics, clickHouse,
                    DATABASE, host.getProgramId(), host.getPartnerId(), reference.orgUnits().get(0).getOrgUnitId())
                    .run(paced, options.freshnessSeconds());

            List<Figure> figures = BenchFigures.of(events, seconds, ingestSeconds, fieldEvents, producerPerf, insert, freshness,
                    memory);
            Map<String, String> context = context(scenario, events, accepted, recordSize, freshness);
            out.println();
            out.print(BenchReport.table(figures));
            context.forEach((k, v) -> out.println("  " + k + ": " + v));
            Path json = options.out() != null ? options.out().toAbsolutePath()
                    : work.resolve("bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
            Files.createDirectories(json.getParent());
            Files.writeString(json, BenchReport.json(context, figures));
            out.println("JSON: " + json);
            return 0;
        }

        private long ingest(ScenarioGenerator.Result scenario, Path input) {
            return ManifestIngest.run(scenario, input, reference, config).accepted();
        }

        /**
         * Polls until ingest is done, streams and sink have consumed everything there is (their
         * committed offsets reached the ends) and the metric topics stayed unchanged for
         * {@value #QUIET_MS} ms; returns the time the first of those quiet polls began.
         */
        private long awaitCompletion(CompletableFuture<Long> ingest) throws Exception {
            Offsets offsets = new Offsets(admin);
            List<String> sinkTopics = new ArrayList<>(List.of(topics.events.name()));
            topics.metrics().forEach(t -> sinkTopics.add(t.name()));
            Set<String> exact = new HashSet<>(List.of(topics.events.name()));
            topics.reference().forEach(t -> exact.add(t.name()));
            List<Long> checkpoints = new ArrayList<>(checkpoints(options.events()));
            long candidate = 0;
            Map<TopicPartition, Long> candidateEnds = null;
            while (true) {
                long now = System.nanoTime();
                if (ingest.isCompletedExceptionally()) {
                    ingest.join();
                }
                Map<TopicPartition, Long> streamsCommitted = offsets.committed(STREAMS_GROUP, List.of(topics.events.name()));
                Map<TopicPartition, Long> sinkCommitted = offsets.committed("bench-sink", sinkTopics);
                Set<TopicPartition> all = new HashSet<>(streamsCommitted.keySet());
                all.addAll(sinkCommitted.keySet());
                Map<TopicPartition, Long> ends = offsets.ends(all);
                long sunk = Offsets.sum(sinkCommitted, topics.events.name());
                while (!checkpoints.isEmpty() && sunk >= checkpoints.get(0)) {
                    sampleMemory(checkpoints.remove(0));
                }
                boolean done = ingest.isDone() && Offsets.caughtUp(streamsCommitted, ends, exact)
                        && Offsets.caughtUp(sinkCommitted, ends, exact);
                if (!done) {
                    candidate = 0;
                } else if (candidate == 0 || !ends.equals(candidateEnds)) {
                    candidate = now;
                    candidateEnds = ends;
                } else if (now - candidate >= QUIET_MS * 1_000_000) {
                    return candidate;
                }
                Thread.sleep(POLL_MS);
            }
        }

        private void sampleMemory(long events) {
            pids.forEach((name, pid) -> memory.add(MemoryProbe.sample(name, pid, !name.equals("clickhouse"), events)));
        }

        /** Mean size of the serialized events (Avro single-object encoding) over the first records. */
        private int averageEventSize() {
            Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (int p = 0; p < PARTITIONS; p++) {
                    partitions.add(new TopicPartition(topics.events.name(), p));
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                long bytes = 0;
                long count = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (count < 50_000 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        bytes += r.serializedValueSize();
                        count++;
                    }
                }
                return (int) Math.round((double) bytes / Math.max(1, count));
            }
        }

        private Map<String, String> context(ScenarioGenerator.Result scenario, long events, long accepted, int recordSize,
                                            FreshnessProbe.Result freshness) {
            Map<String, String> c = new LinkedHashMap<>();
            c.put("events", Long.toString(events));
            c.put("partner_rows", Long.toString(scenario.rows()));
            c.put("accepted_rows", Long.toString(accepted));
            c.put("avg_event_bytes", Integer.toString(recordSize));
            c.put("freshness_events", freshness.sent() + " sent, " + freshness.unseen() + " not visible within 60 s");
            c.put("kafka", options.cluster() ? "3 brokers, replication " + layout.replication() + ", min.insync.replicas "
                    + layout.minInsyncReplicas() + "; 2 streams instances, 1 standby replica each" : "1 broker; 1 streams instance");
            c.put("settings", "partitions=" + PARTITIONS + ", streams " + STREAMS_XMX + " commit.interval.ms=200 punctuate.interval.ms=500"
                    + " (defaults), sink " + SINK_XMX + " batch.rows=50000 batch.ms=250 (defaults), producer acks=all idempotent");
            c.put("machine", Runtime.getRuntime().availableProcessors() + " cores, 1-minute load average at start "
                    + String.format(Locale.ROOT, "%.2f", loadAtStart) + ", at end "
                    + String.format(Locale.ROOT, "%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
            c.put("profile", options.profile() ? "JFR recordings in " + work.resolve("logs") : "off");
            return c;
        }
    }

    /** Memory checkpoints: 1M and 10M events when the run reaches them, else half-way. */
    static List<Long> checkpoints(long events) {
        List<Long> out = new ArrayList<>();
        for (long c : List.of(1_000_000L, 10_000_000L)) {
            if (c < events) {
                out.add(c);
            }
        }
        if (out.isEmpty()) {
            out.add(events / 2);
        }
        return out;
    }

    private List<String> jvmArgs(String xmx, String name) {
        List<String> args = new ArrayList<>(List.of(xmx, "-Xms" + xmx.substring(4)));
        if (options.profile()) {
            args.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + work.resolve("logs/" + name + ".jfr"));
        }
        return args;
    }

    private void awaitReady(ClickHouseGateway clickHouse, Admin admin, List<ChildJvm> streams, ChildJvm sink) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            for (ChildJvm stage : concat(streams, sink)) {
                if (!stage.isAlive()) {
                    throw new IllegalStateException("a stage exited at start:\n" + stage.logTail(20));
                }
            }
            boolean tables = "1".equals(clickHouse.queryValue(
                    "SELECT count() FROM system.tables WHERE database = '" + DATABASE + "' AND name = 'field_events'"));
            boolean stable;
            try {
                stable = admin.describeConsumerGroups(List.of(STREAMS_GROUP, "bench-sink")).all().get().values().stream()
                        .allMatch(g -> g.groupState().name().equals("STABLE"));
            } catch (java.util.concurrent.ExecutionException e) {
                stable = false; // a group that has not formed yet
            }
            if (tables && stable) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("streams and sink not ready after 120 s");
    }

    private static List<ChildJvm> concat(List<ChildJvm> some, ChildJvm one) {
        List<ChildJvm> all = new ArrayList<>(some);
        all.add(one);
        return all;
    }

}
