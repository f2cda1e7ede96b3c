package org.fieldstream.app.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.events.TopicSetup;
import org.fieldstream.events.Topics;
import org.fieldstream.platform.LocalClickHouse;
import org.fieldstream.platform.ProducerPerformanceTool;
import org.fieldstream.producers.KafkaClients;
import org.fieldstream.producers.ProducerSettings;
import org.fieldstream.app.ManifestIngest;
import org.fieldstream.reference.Partner;
import org.fieldstream.reference.ReferenceData;
import org.fieldstream.seeds.ScenarioGenerator;

/**
 * One measured run of {@link Bench}: the ingest with streams and sink running, the wait until every
 * metric is in ClickHouse, the baselines of the same run, freshness, memory; prints the table and
 * writes the JSON.
 */
final class BenchRun {

    private static final long POLL_MS = 250;
    /** Metric topics must stay unchanged this long once everything is consumed (3 punctuation intervals). */
    private static final long QUIET_MS = 1500;
    /** Dialogue events sent unpaced to find the pipeline's sustainable rate of them (2,000 dialogues). */
    private static final int FRESHNESS_BURST = 60_000;

    private final BenchOptions options;
    private final PrintStream out;
    private final Path work;
    /** The 1-minute load average when the measured run starts (others' work on the machine shows here). */
    private final double loadAtStart;
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
    /** Event counts of the bulk load at which memory is still to be sampled. */
    private final List<Long> checkpoints;

    BenchRun(BenchOptions options, PrintStream out, Path work, double loadAtStart, Admin admin, ClickHouseGateway clickHouse, Topics topics, Map<String, String> config, Map<String, Long> pids,
        String bootstrap, LocalClickHouse clickHouseServer, TopicSetup.Layout layout, ReferenceData reference) {
        this.options = options;
        this.out = out;
        this.work = work;
        this.loadAtStart = loadAtStart;
        this.admin = admin;
        this.clickHouse = clickHouse;
        this.topics = topics;
        this.config = config;
        this.pids = pids;
        this.bootstrap = bootstrap;
        this.clickHouseServer = clickHouseServer;
        this.layout = layout;
        this.reference = reference;
        this.checkpoints = new ArrayList<>(Bench.checkpoints(options.events()));
    }

    /** A freshness probe with dialogues and persons of its own, at the first partner's first org unit. */
    private FreshnessProbe freshnessProbe() {
        Partner host = reference.partners().get(0);
        return new FreshnessProbe(bootstrap, topics, clickHouse, Bench.DATABASE, host.getProgramId(), host.getPartnerId(),
                reference.orgUnits().get(0).getOrgUnitId());
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
        long fieldEvents = Long.parseLong(clickHouse.queryValue("SELECT count() FROM " + Bench.DATABASE + ".field_events"));
        double e2eRate = events / seconds;
        out.printf(Locale.ROOT, "  %,d events (%,d accepted rows) in %.1f s: %,.0f events/s end to end%n", events, accepted,
                seconds, e2eRate);

        int recordSize = averageEventSize();
        out.printf(Locale.ROOT, "Baseline: ProducerPerformance, %,d records of %d bytes ...%n", events, recordSize);
        String perfTopic = "bench.producer-performance";
        TopicSetup.ensure(admin, List.of(perfTopic), Bench.PARTITIONS, layout.replication());
        ProducerPerformanceTool.Total producerPerf = ProducerPerformanceTool.run(
                KafkaClients.producerProperties(ProducerSettings.load(null, config), "bench-producer-performance"),
                perfTopic, events, recordSize, work.resolve("logs/producer-performance.log"));
        out.printf(Locale.ROOT, "Baseline: clickhouse-client insert of the %,d field_events rows ...%n", fieldEvents);
        ClickHouseInsertBaseline.Result insert = ClickHouseInsertBaseline.run(clickHouse, Bench.DATABASE,
                clickHouseServer.tcpPort(), work);

        out.printf(Locale.ROOT, "Freshness: a burst of %,d dialogue events, for the pipeline's sustainable rate of them ...%n",
                FRESHNESS_BURST);
        long burstStart = System.nanoTime();
        FreshnessProbe.Result burst = freshnessProbe().burst(FRESHNESS_BURST);
        double sustainable = burst.sent() / ((awaitCaughtUp() - burstStart) / 1e9);
        out.printf(Locale.ROOT, "Freshness: %d s of dialogue events at %,.0f events/s (half the sustainable rate of %,.0f) ...%n",
                options.freshnessSeconds(), sustainable / 2, sustainable);
        FreshnessProbe.Result freshness = freshnessProbe().run(sustainable / 2, options.freshnessSeconds());
        awaitCaughtUp();
        out.printf(Locale.ROOT, "Freshness: %d s of dialogue events at %,.0f events/s (half the end-to-end rate of the bulk load) ...%n",
                options.freshnessSeconds(), e2eRate / 2);
        FreshnessProbe.Result atHalfBulk = freshnessProbe().run(e2eRate / 2, options.freshnessSeconds());
        awaitCaughtUp();
        FamilyRuns families = familyFreshness(sustainable / 2);

        List<Figure> figures = BenchFigures.of(events, seconds, ingestSeconds, fieldEvents, producerPerf, insert,
                new BenchFigures.Freshness(sustainable, freshness, atHalfBulk), memory);
        figures.addAll(BenchFigures.families(families.idle(), families.loaded(), families.rate()));
        Map<String, String> context = context(scenario, events, accepted, recordSize, freshness);
        out.println();
        out.print(BenchReport.table(figures));
        context.forEach((k, v) -> out.println("  " + k + ": " + v));
        out.println();
        out.println("Freshness of every family, push (HTTP) -> ClickHouse; \"until topic\": until on the committed metric topic:");
        out.print(FamilyFreshness.table(families.idle(), families.loaded(), String.format(Locale.ROOT, "at %,.0f/s", families.rate())));
        Path json = options.out() != null ? options.out().toAbsolutePath()
                : work.resolve("bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
        Files.createDirectories(json.getParent());
        Files.writeString(json, BenchReport.json(context, figures));
        out.println("JSON: " + json);
        return 0;
    }

    /** The family probe's summaries idle and with probe events at {@code rate} running beside it. */
    record FamilyRuns(List<FamilyFreshness.Summary> idle, List<FamilyFreshness.Summary> loaded, double rate) {
    }

    /**
     * Freshness of every family ({@link FamilyFreshnessProbe}) at a partner of another program than
     * the load's: {@code --family-tries} tries idle, then as many again (as long as the load lasts)
     * while dialogue events are sent at {@code rate} to the first partner.
     */
    private FamilyRuns familyFreshness(double rate) throws Exception {
        Partner load = reference.partners().get(0);
        Partner host = reference.partners().stream().filter(p -> !p.getProgramId().equals(load.getProgramId())).findFirst()
                .orElseThrow(() -> new IllegalStateException("the family probe needs a partner of a second program"));
        String orgUnit = reference.orgUnits().stream().filter(u -> u.getLevel().toString().equals("village")
                        && host.getOrgUnitId().equals(u.getUpazilaId()))
                .findFirst().orElse(reference.orgUnits().get(0)).getOrgUnitId();
        try (FamilyFreshnessProbe probe = new FamilyFreshnessProbe(config, topics, clickHouse, Bench.DATABASE, host.getProgramId(),
                host.getPartnerId(), orgUnit)) {
            out.printf(Locale.ROOT, "Freshness of every family: %d tries idle (%s/%s, over HTTP push) ...%n", options.familyTries(),
                    host.getProgramId(), host.getPartnerId());
            List<FamilyFreshness.Sample> idle = probe.run(options.familyTries(), () -> true);
            int seconds = Math.max(options.freshnessSeconds(), options.familyTries() * 8);
            out.printf(Locale.ROOT, "Freshness of every family: %d tries with dialogue events at %,.0f events/s beside them ...%n",
                    options.familyTries(), rate);
            CompletableFuture<FreshnessProbe.Result> background = CompletableFuture.supplyAsync(() -> {
                try {
                    return freshnessProbe().run(rate, seconds);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(2_000); // the load runs before the first try
            List<FamilyFreshness.Sample> loaded = probe.run(options.familyTries(), () -> !background.isDone());
            background.join();
            return new FamilyRuns(FamilyFreshness.summarize(idle), FamilyFreshness.summarize(loaded), rate);
        }
    }

    private long ingest(ScenarioGenerator.Result scenario, Path input) {
        return ManifestIngest.run(scenario, input, reference, config).accepted();
    }

    /**
     * After the bulk load: {@link #awaitCompletion} with ingest done, i.e. when the freshness probes'
     * events are through every stage, outreach included.
     */
    private long awaitCaughtUp() throws Exception {
        return awaitCompletion(CompletableFuture.completedFuture(0L));
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
        long candidate = 0;
        Map<TopicPartition, Long> candidateEnds = null;
        while (true) {
            long now = System.nanoTime();
            if (ingest.isCompletedExceptionally()) {
                ingest.join();
            }
            Map<TopicPartition, Long> streamsCommitted = offsets.committed(Bench.STREAMS_GROUP, List.of(topics.events.name()));
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
            for (int p = 0; p < Bench.PARTITIONS; p++) {
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
        c.put("freshness_events", freshness.sent() + " sent, " + freshness.unseen() + " not visible within 60 s (at half the sustainable rate)");
        c.put("kafka", options.cluster() ? "3 brokers, replication " + layout.replication() + ", min.insync.replicas "
                + layout.minInsyncReplicas() + "; 2 streams instances, 1 standby replica each" : "1 broker; 1 streams instance");
        c.put("settings", "partitions=" + Bench.PARTITIONS + ", streams " + Bench.STREAMS_XMX + " commit.interval.ms=200 punctuate.interval.ms=500"
                + " (defaults), sink " + Bench.SINK_XMX + " batch.rows=50000 batch.ms=250 (defaults), producer acks=all idempotent");
        c.put("machine", Runtime.getRuntime().availableProcessors() + " cores, 1-minute load average at start "
                + String.format(Locale.ROOT, "%.2f", loadAtStart) + ", at end "
                + String.format(Locale.ROOT, "%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        c.put("profile", options.profile() ? "JFR recordings in " + work.resolve("logs") : "off");
        return c;
    }
}
