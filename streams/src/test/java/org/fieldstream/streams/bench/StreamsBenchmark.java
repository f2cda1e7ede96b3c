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
import org.apache.kafka.streams.KafkaStreams;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.ParticipantEnrolled;
import org.fieldstream.events.TopicSetup;
import org.fieldstream.streams.ItKafka;
import org.fieldstream.streams.ItScenario;
import org.fieldstream.streams.MetricsTopology;
import org.fieldstream.streams.StreamsSettings;

/**
 * Not a test: events/s through both topologies on one instance against the real local broker,
 * printed next to the raw producer rate of the same events in the same run, with heap and resident
 * memory at the end. Usage: {@code StreamsBenchmark [cohorts] [persons-per-cohort] [settings-file]}; distinct
 * persons are about 0.43 x cohorts x persons (1,000,000 persons: 93000 25, about 14 million events, or
 * about 5 million with {@code -Dsessions=1}). The optional settings file is read as
 * by {@code StreamsMain} (e.g. {@code streams.commit.interval.ms=1000}), to compare configurations.
 */
public final class StreamsBenchmark {

    private static final int RAW_SAMPLE = 300_000;
    /** {@code -Dsessions=N} caps the planned sessions per cohort (4-7 otherwise): fewer events per person, for the memory run. */
    private static final int MAX_SESSIONS = Integer.getInteger("sessions", Integer.MAX_VALUE);

    private StreamsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int cohorts = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int perCohort = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        ItKafka kafka = new ItKafka();
        kafka.reference(ItScenario.PROGRAM, ItScenario.PROGRAM_START, ItScenario.ORG_UNITS);

        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap);
        try (Admin admin = Admin.create(adminProps)) {
            TopicSetup.ensure(admin, List.of(kafka.topics.name("raw-baseline")), 3, (short) 1);
        }
        double producerRate = rawProducer(kafka, cohorts, perCohort, kafka.topics.name("raw-baseline"));
        Load load = load(kafka, cohorts, perCohort);
        System.out.printf("events: %,d  cohorts: %,d  distinct persons: %,d%n", load.events(), cohorts, load.persons());

        Path state = Files.createTempDirectory(Path.of("target"), "bench-state");
        Path settingsFile = args.length > 2 ? Path.of(args[2]) : null;
        StreamsSettings settings = StreamsSettings.load(settingsFile, Map.of(
                "FIELDSTREAM_BOOTSTRAP_SERVERS", kafka.bootstrap,
                "FIELDSTREAM_STREAMS_APPLICATION_ID", kafka.id,
                "FIELDSTREAM_TOPIC_PREFIX", kafka.topics.prefix(),
                "FIELDSTREAM_STREAMS_STATE_DIR", state.toString()));
        long start = System.nanoTime();
        long[] machineStart = machineCpuTicks();
        try (KafkaStreams streams = new KafkaStreams(MetricsTopology.build(settings), settings.streamsProperties())) {
            streams.start();
            awaitNoLag(kafka, settings.applicationId());
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] machineEnd = machineCpuTicks();
            System.gc();
            Runtime rt = Runtime.getRuntime();
            System.out.printf("settings:            %s%n", settingsFile == null ? "defaults" : Files.readString(settingsFile).trim().replace('\n', ' '));
            System.out.printf("raw producer:        %,12.0f events/s%n", producerRate);
            System.out.printf("load into events:    %,12.0f events/s (generation included)%n", load.rate());
            System.out.printf("streams (both):      %,12.0f events/s  (%.1f s incl. startup)%n", load.events() / seconds, seconds);
            System.out.printf("heap used after GC:  %,12d MiB (max %,d MiB)%n", (rt.totalMemory() - rt.freeMemory()) >> 20, rt.maxMemory() >> 20);
            System.out.printf("resident (VmRSS):    %12s%n", rss());
            System.out.printf("state on disk:       %,12d MiB%n", diskBytes(state) >> 20);
            System.out.printf("stream thread CPU:   %12.1f s of %.1f s wall; this JVM %.1f s; machine busy %.0f %% of %d cores%n",
                    threadCpuSeconds("StreamThread"), seconds, processCpuSeconds(),
                    100.0 * (machineEnd[0] - machineStart[0]) / Math.max(1, machineEnd[1] - machineStart[1]),
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("busiest threads:     %s%n", busiestThreads());
            streams.close(Duration.ofSeconds(30));
        }
        System.exit(0);
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
    private static void awaitNoLag(ItKafka kafka, String group) throws Exception {
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

    /** CPU seconds of this JVM's threads whose name contains {@code part}. */
    private static double threadCpuSeconds(String part) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long nanos = 0;
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains(part) && !info.getThreadName().contains("producer")) {
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
