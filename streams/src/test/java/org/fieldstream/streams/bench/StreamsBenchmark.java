package org.fieldstream.streams.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.ParticipantEnrolled;
import org.fieldstream.events.TopicSetup;
import org.fieldstream.streams.ItKafka;
import org.fieldstream.streams.ItScenario;
import org.fieldstream.streams.MetricsTopology;
import org.fieldstream.streams.ProcessorCpu;
import org.fieldstream.streams.StreamsSettings;
import org.fieldstream.streams.TrickleProbe;

/**
 * Not a test: events/s through both topologies on one instance against the real local broker,
 * printed next to two baselines of the same run on the same events: the raw producer rate, and the
 * peer baseline (the cheapest stateful Kafka Streams topology, a count per aggregate_id with the same
 * settings); then a live trickle: single attendance events into a 500-person cohort, each with the
 * metric rows it wrote and the stream threads' CPU it cost. Every figure is printed with the 1-minute
 * load average. Usage: {@code StreamsBenchmark [cohorts] [persons-per-cohort] [settings-file]}; distinct
 * persons are about 0.43 x cohorts x persons (1,000,000 persons: 93000 25, about 14 million events, or
 * about 5 million with {@code -Dsessions=1}). The optional settings file is read as
 * by {@code StreamsMain} (e.g. {@code streams.commit.interval.ms=1000}), to compare configurations.
 * With {@code -Dwarmup=N} both topologies first process N cohorts of their own, untimed.
 */
public final class StreamsBenchmark {

    private static final int RAW_SAMPLE = 300_000;
    /** {@code -Dpartitions=N}: partitions of the events, metric and internal topics (one task per partition). */
    private static final int PARTITIONS = Integer.getInteger("partitions", 3);
    /** {@code -Dpeer=false} skips the peer baseline. */
    private static final boolean PEER = Boolean.parseBoolean(System.getProperty("peer", "true"));
    /** {@code -Dtrickle=N}: single attendance events sent one at a time into a 500-person cohort after the load (0: none). */
    private static final int TRICKLE = Integer.getInteger("trickle", 30);
    /** {@code -Dsessions=N} caps the planned sessions per cohort (4-7 otherwise): fewer events per person, for the memory run. */
    private static final int MAX_SESSIONS = Integer.getInteger("sessions", Integer.MAX_VALUE);
    /**
     * {@code -Dwarmup=N}: before the timed runs, both topologies process a scenario of N cohorts on
     * topics of their own, so the timed runs measure compiled code rather than the JIT compiling it
     * (0: none, the timed runs start cold).
     */
    private static final int WARMUP_COHORTS = Integer.getInteger("warmup", 0);

    private StreamsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int cohorts = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int perCohort = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        Path settingsFile = args.length > 2 ? Path.of(args[2]) : null;
        ItKafka kafka = new ItKafka(PARTITIONS);
        kafka.reference(ItScenario.PROGRAM, ItScenario.PROGRAM_START, ItScenario.ORG_UNITS);
        System.out.printf("load average at start: %s%n", loadAverage());

        benchTopics(kafka);
        double producerRate = rawProducer(kafka, cohorts, perCohort, kafka.topics.name("raw-baseline"));
        String producerLoad = loadAverage();
        Load load = load(kafka, cohorts, perCohort);
        System.out.printf("events: %,d  cohorts: %,d  distinct persons: %,d  partitions: %d%n", load.events(), cohorts,
                load.persons(), PARTITIONS);

        Path state = Files.createTempDirectory(Path.of("target"), "bench-state");
        if (WARMUP_COHORTS > 0) {
            warmUp(settingsFile, perCohort, state.resolve("warmup"));
        }
        StreamsSettings settings = settings(kafka, settingsFile, state);
        Run peer = PEER ? peer(kafka, settings, load.events(), state.resolve("peer")) : null;

        String appId = settings.kafkaApplicationId();
        long start = System.nanoTime();
        String loadBefore = loadAverage();
        long[] machineStart = machineCpuTicks();
        Properties timed = settings.streamsProperties();
        timed.put(StreamsConfig.PROCESSOR_WRAPPER_CLASS_CONFIG, ProcessorCpu.class); // the trickle probe's CPU per event in the processors
        try (KafkaStreams streams = new KafkaStreams(MetricsTopology.build(settings.topics(), settings.punctuateInterval(), timed), timed)) {
            streams.start();
            awaitNoLag(kafka, appId);
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] machineEnd = machineCpuTicks();
            Run ours = new Run(load.events() / seconds, seconds, threadCpuSeconds(appId), loadBefore, loadAverage());
            System.gc();
            Runtime rt = Runtime.getRuntime();
            System.out.printf("settings:            %s; %d stream thread(s); %s%n", settingsFile == null ? "defaults"
                    : Files.readString(settingsFile).trim().replace('\n', ' '), settings.numThreads(), WARMUP_COHORTS > 0
                    ? String.format("warm (both topologies first ran %,d cohorts of their own)", WARMUP_COHORTS) : "cold (no warm-up run)");
            System.out.printf("raw producer:        %,12.0f events/s  (load average %s)%n", producerRate, producerLoad);
            System.out.printf("load into events:    %,12.0f events/s (generation included)%n", load.rate());
            if (peer != null) {
                System.out.printf("peer baseline:       %,12.0f events/s  (count per aggregate_id, EOS v2, RocksDB; %.1f s; "
                        + "stream thread %.1f µs CPU per event; load average %s -> %s)%n", peer.rate(), peer.seconds(),
                        peer.threadCpu() * 1e6 / load.events(), peer.loadBefore(), peer.loadAfter());
            }
            System.out.printf("streams (both):      %,12.0f events/s  (%.1f s incl. startup; stream thread %.1f µs CPU per event; "
                    + "load average %s -> %s)%n", ours.rate(), seconds, ours.threadCpu() * 1e6 / load.events(), loadBefore, ours.loadAfter());
            if (peer != null) {
                System.out.printf("streams / peer:      %12.2f   (CPU per event: %.2f x the peer's)%n", ours.rate() / peer.rate(),
                        ours.threadCpu() / peer.threadCpu());
            }
            System.out.printf("streams / raw:       %12.3f%n", ours.rate() / producerRate);
            System.out.printf("heap used after GC:  %,12d MiB (max %,d MiB)%n", (rt.totalMemory() - rt.freeMemory()) >> 20, rt.maxMemory() >> 20);
            System.out.printf("resident (VmRSS):    %12s%n", rss());
            System.out.printf("state on disk:       %,12d MiB%n", diskBytes(state) >> 20);
            System.out.printf("stream thread CPU:   %12.1f s of %.1f s wall; this JVM %.1f s; machine busy %.0f %% of %d cores%n",
                    ours.threadCpu(), seconds, processCpuSeconds(),
                    100.0 * (machineEnd[0] - machineStart[0]) / Math.max(1, machineEnd[1] - machineStart[1]),
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("busiest threads:     %s%n", busiestThreads());
            if (TRICKLE > 0) {
                TrickleProbe.run(kafka, appId, TRICKLE, settings.punctuateInterval(), settings.commitInterval(),
                        StreamsBenchmark::threadCpuSeconds, StreamsBenchmark::awaitNoLag);
            }
            streams.close(Duration.ofSeconds(30));
        }
        System.exit(0);
    }

    /** The raw producer's and the peer's topics, next to the scenario's. */
    private static void benchTopics(ItKafka kafka) {
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap);
        try (Admin admin = Admin.create(adminProps)) {
            TopicSetup.ensure(admin, List.of(kafka.topics.name("raw-baseline"), kafka.topics.name("peer-counts")), PARTITIONS, (short) 1);
        }
    }

    private static StreamsSettings settings(ItKafka kafka, Path settingsFile, Path state) {
        return StreamsSettings.load(settingsFile, Map.of(
                "FIELDSTREAM_BOOTSTRAP_SERVERS", kafka.bootstrap,
                "FIELDSTREAM_STREAMS_APPLICATION_ID", kafka.id,
                "FIELDSTREAM_TOPIC_PREFIX", kafka.topics.prefix(),
                "FIELDSTREAM_STREAMS_STATE_DIR", state.toString()));
    }

    /** Both topologies over a scenario of {@link #WARMUP_COHORTS} cohorts on topics of their own, untimed. */
    private static void warmUp(Path settingsFile, int perCohort, Path state) throws Exception {
        ItKafka warm = new ItKafka(PARTITIONS);
        warm.reference(ItScenario.PROGRAM, ItScenario.PROGRAM_START, ItScenario.ORG_UNITS);
        benchTopics(warm);
        Load load = load(warm, WARMUP_COHORTS, perCohort);
        StreamsSettings settings = settings(warm, settingsFile, state);
        if (PEER) {
            peer(warm, settings, load.events(), state.resolve("peer"));
        }
        try (KafkaStreams streams = new KafkaStreams(MetricsTopology.build(settings), settings.streamsProperties())) {
            streams.start();
            awaitNoLag(warm, settings.kafkaApplicationId());
            streams.close(Duration.ofSeconds(30));
        }
        System.out.printf("warm-up:             %,d events through both topologies (untimed)%n", load.events());
    }

    /** One timed run: events/s, seconds, CPU seconds of its stream threads, 1-minute load average before and after. */
    private record Run(double rate, double seconds, double threadCpu, String loadBefore, String loadAfter) {
    }

    /**
     * The same-run peer baseline: the cheapest stateful Kafka Streams topology over the same events
     * topic, with the same settings (exactly_once_v2, commit interval, bounded RocksDB, record
     * cache): values left as bytes, a count per aggregate_id in a RocksDB store, counts to a topic.
     */
    private static Run peer(ItKafka kafka, StreamsSettings settings, long events, Path stateDir) throws Exception {
        String appId = kafka.id + "-peer";
        Properties props = settings.streamsProperties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(kafka.topics.events.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .groupByKey(Grouped.with(Serdes.String(), Serdes.ByteArray()))
                .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("peer-counts")
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                .toStream()
                .to(kafka.topics.name("peer-counts"), Produced.with(Serdes.String(), Serdes.Long()));
        String loadBefore = loadAverage();
        long start = System.nanoTime();
        try (KafkaStreams streams = new KafkaStreams(builder.build(props), props)) {
            streams.start();
            awaitNoLag(kafka, appId);
            double seconds = (System.nanoTime() - start) / 1e9;
            Run run = new Run(events / seconds, seconds, threadCpuSeconds(appId), loadBefore, loadAverage());
            streams.close(Duration.ofSeconds(30));
            return run;
        }
    }

    /** The 1-minute load average from /proc/loadavg. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "n/a";
        }
    }

    private record Load(long events, long persons, double rate) {
    }

    /** Generates the scenario cohort by cohort (it never sits in memory whole) into the events topic. */
    private static Load load(ItKafka kafka, int cohorts, int perCohort) {
        long[] count = {0};
        BitSet persons = new BitSet();
        long start = System.nanoTime();
        try (KafkaProducer<String, FieldEvent> producer = new KafkaProducer<>(producerProperties(kafka), kafka.topics.events.keySerde().serializer(),
                kafka.topics.events.valueSerde().serializer())) {
            ItScenario.generate(cohorts, perCohort, MAX_SESSIONS, new Random(1), e -> {
                if (e.getPayload() instanceof ParticipantEnrolled enrolled) {
                    persons.set(Integer.parseInt(enrolled.getPersonId().substring("person-".length())));
                }
                producer.send(new ProducerRecord<>(kafka.topics.events.name(), e.getAggregateId(), e));
                count[0]++;
            });
            producer.flush();
        }
        return new Load(count[0], persons.cardinality(), count[0] / ((System.nanoTime() - start) / 1e9));
    }

    /**
     * The raw producer's rate on {@value #RAW_SAMPLE} events of the same scenario and size, serialized
     * beforehand so that only sending is timed, same settings, after a warm-up round.
     */
    private static double rawProducer(ItKafka kafka, int cohorts, int perCohort, String topic) {
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        var keySerializer = kafka.topics.events.keySerde().serializer();
        var valueSerializer = kafka.topics.events.valueSerde().serializer();
        ItScenario.generate(Math.min(cohorts, RAW_SAMPLE / (perCohort * 2) + 1), perCohort, MAX_SESSIONS, new Random(1), e -> {
            if (values.size() < RAW_SAMPLE) {
                keys.add(keySerializer.serialize(topic, e.getAggregateId()));
                values.add(valueSerializer.serialize(topic, e));
            }
        });
        double rate = 0;
        for (int round = 0; round < 2; round++) { // the first round warms up the JIT and the connections
            long start = System.nanoTime();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(kafka),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < values.size(); i++) {
                    producer.send(new ProducerRecord<>(topic, keys.get(i), values.get(i)));
                }
                producer.flush();
            }
            rate = values.size() / ((System.nanoTime() - start) / 1e9);
        }
        return rate;
    }

    private static Properties producerProperties(ItKafka kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return p;
    }

    /** Waits until the application has committed every offset of the events and its repartition topics. */
    static void awaitNoLag(ItKafka kafka, String group) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap);
        try (Admin admin = Admin.create(p)) {
            int quiet = 0;
            while (quiet < 3) {
                Thread.sleep(500);
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get();
                if (committed.isEmpty() || committed.keySet().stream().noneMatch(tp -> tp.topic().equals(kafka.topics.events.name()))) {
                    continue;
                }
                Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
                committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                var ends = admin.listOffsets(latest).all().get();
                boolean caughtUp = committed.entrySet().stream()
                        .allMatch(e -> e.getValue() != null && ends.get(e.getKey()).offset() - e.getValue().offset() <= 1);
                quiet = caughtUp ? quiet + 1 : 0;
            }
        }
    }

    /** CPU seconds of the stream threads of application {@code appId} in this JVM. */
    static double threadCpuSeconds(String appId) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long nanos = 0;
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(appId + "-") && info.getThreadName().contains("StreamThread")
                    && !info.getThreadName().contains("producer")) {
                nanos += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return nanos / 1e9;
    }

    /** CPU seconds per thread name of this process (JVM threads included: GC, JIT), from /proc/self/task. */
    private static String busiestThreads() {
        Map<String, Double> seconds = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime + stime, in ticks of 10 ms
                    String name = Files.readString(task.resolve("comm")).trim().replaceAll("[0-9]+", "#");
                    seconds.merge(name, cpu, Double::sum);
                } catch (java.io.IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (java.io.IOException e) {
            return "n/a";
        }
        return seconds.entrySet().stream().filter(e -> e.getValue() >= 0.5)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> String.format("%s %.1f s", e.getKey(), e.getValue())).collect(java.util.stream.Collectors.joining(", "));
    }

    private static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    /** {busy, total} jiffies of all cores from /proc/stat (busy = total minus idle and iowait). */
    private static long[] machineCpuTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[] {total - Long.parseLong(f[4]) - Long.parseLong(f[5]), total};
        } catch (java.io.IOException e) {
            return new long[] {0, 1};
        }
    }

    private static long diskBytes(Path dir) {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return -1;
        }
    }

    private static String rss() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS"))
                    .findFirst().map(l -> l.replace("VmRSS:", "").trim()).orElse("n/a");
        } catch (java.io.IOException e) {
            return "n/a";
        }
    }
}
