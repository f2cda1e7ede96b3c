package org.fieldstream.app.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.events.KafkaAccess;
import org.fieldstream.events.TopicSetup;
import org.fieldstream.events.Topics;
import org.fieldstream.platform.ChildJvm;
import org.fieldstream.platform.LocalClickHouse;
import org.fieldstream.platform.LocalKafkaCluster;
import org.fieldstream.platform.LocalServices;
import org.fieldstream.app.LocalRun;
import org.fieldstream.app.ProcessLog;
import org.fieldstream.app.StageClasspath;
import org.fieldstream.reference.ReferenceData;
import org.fieldstream.reference.ReferenceLoader;
import org.fieldstream.seeds.ScenarioGenerator;
import org.fieldstream.seeds.Size;
import org.fieldstream.streams.StreamsSettings;

/**
 * {@code fieldstream bench}: local Kafka and ClickHouse, a generated program of about N events
 * ingested from its partner files in this JVM, streams and sink each in its own JVM, and in the same
 * run the baselines (Kafka's ProducerPerformance, a raw clickhouse-client insert). Prints one table
 * and writes the same figures as JSON. Definitions are in docs/benchmarks.md.
 */
public final class Bench {

    static final String DATABASE = "fieldstream_bench";
    static final int PARTITIONS = 3;
    static final String STREAMS_XMX = "-Xmx1g";
    static final String SINK_XMX = "-Xmx512m";
    private static final String STREAMS_APPLICATION = "bench-streams";
    /** The streams child's consumer group: its application id with the state format (StreamsSettings). */
    static final String STREAMS_GROUP = StreamsSettings.kafkaApplicationId(STREAMS_APPLICATION);
    /** Rows of partner files per generated cohort, measured on the generator (Size's javadoc says ~470). */
    private static final double ROWS_PER_COHORT = 470;

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
            ProcessLog.console().println(e.getMessage());
            ProcessLog.console().println(BenchOptions.usage());
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
            ReferenceLoader.publish(KafkaAccess.plain(bootstrap), topics, reference);
            List<ChildJvm> streams = new ArrayList<>();
            for (int i = 1; i <= (options.cluster() ? 2 : 1); i++) {
                String name = options.cluster() ? "streams-" + i : "streams";
                Map<String, String> own = new HashMap<>(config);
                own.put("FIELDSTREAM_STREAMS_STATE_DIR", work.resolve("streams-state").resolve(name).toString());
                streams.add(ChildJvm.start(name, StageClasspath.get(), "org.fieldstream.streams.StreamsMain", jvmArgs(STREAMS_XMX, name), List.of(), own,
                        work.resolve("logs/" + name + ".log")));
            }
            ChildJvm sink = ChildJvm.start("sink", StageClasspath.get(), "org.fieldstream.sink.SinkMain",
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
                return new BenchRun(options, out, work, loadAtStart, admin, clickHouse, topics, config, pids, bootstrap, clickHouseServer, layout, reference)
                        .go(scenario, input);
            } finally {
                sink.stop();
                streams.forEach(ChildJvm::stop);
            }
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
            boolean tables = clickHouse.tableExists(DATABASE, "field_events");
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
