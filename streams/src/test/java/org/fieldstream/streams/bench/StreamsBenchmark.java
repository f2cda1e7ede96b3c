package org.fieldstream.streams.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.streams.ItKafka;
import org.fieldstream.streams.ItScenario;
import org.fieldstream.streams.MetricsTopology;
import org.fieldstream.streams.StreamsSettings;

/**
 * Not a test: events/s through both topologies on one instance against the real local broker,
 * printed next to the raw producer rate of the same events in the same run, with heap and resident
 * memory at the end. Usage: {@code StreamsBenchmark [cohorts] [persons-per-cohort] [settings-file]}; distinct
 * persons are about cohorts x persons / 2 (1,000,000 persons: 80000 25). The optional settings file is read as
 * by {@code StreamsMain} (e.g. {@code streams.commit.interval.ms=1000}), to compare configurations.
 */
public final class StreamsBenchmark {

    private StreamsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int cohorts = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int perCohort = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        ItKafka kafka = new ItKafka();
        kafka.reference(ItScenario.PROGRAM, ItScenario.PROGRAM_START, ItScenario.ORG_UNITS);
        List<FieldEvent> events = ItScenario.generated(cohorts, perCohort, 1);
        System.out.printf("events: %,d  cohorts: %,d  distinct persons: ~%,d%n", events.size(), cohorts, cohorts * perCohort / 2);

        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap);
        try (Admin admin = Admin.create(adminProps)) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(kafka.topics.name("raw-baseline"), 3, (short) 1)))
                    .all().get();
        }
        double producerRate = produce(kafka, events, kafka.topics.name("raw-baseline"));
        double loadRate = produce(kafka, events, kafka.topics.events.name());

        Path state = Files.createTempDirectory(Path.of("target"), "bench-state");
        Path settingsFile = args.length > 2 ? Path.of(args[2]) : null;
        StreamsSettings settings = StreamsSettings.load(settingsFile, Map.of(
                "FIELDSTREAM_BOOTSTRAP_SERVERS", kafka.bootstrap,
                "FIELDSTREAM_STREAMS_APPLICATION_ID", kafka.id,
                "FIELDSTREAM_TOPIC_PREFIX", kafka.topics.prefix(),
                "FIELDSTREAM_STREAMS_STATE_DIR", state.toString()));
        long start = System.nanoTime();
        try (KafkaStreams streams = new KafkaStreams(MetricsTopology.build(settings), settings.streamsProperties())) {
            streams.start();
            awaitNoLag(kafka, settings.applicationId());
            double seconds = (System.nanoTime() - start) / 1e9;
            System.gc();
            Runtime rt = Runtime.getRuntime();
            System.out.printf("settings:            %s%n", settingsFile == null ? "defaults" : Files.readString(settingsFile).trim().replace('\n', ' '));
            System.out.printf("raw producer:        %,12.0f events/s%n", producerRate);
            System.out.printf("load into events:    %,12.0f events/s%n", loadRate);
            System.out.printf("streams (both):      %,12.0f events/s  (%.1f s incl. startup)%n", events.size() / seconds, seconds);
            System.out.printf("heap used after GC:  %,12d MiB (max %,d MiB)%n", (rt.totalMemory() - rt.freeMemory()) >> 20, rt.maxMemory() >> 20);
            System.out.printf("resident (VmRSS):    %12s%n", rss());
            streams.close(Duration.ofSeconds(30));
        }
        System.exit(0);
    }

    private static double produce(ItKafka kafka, List<FieldEvent> events, String topic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        long start = System.nanoTime();
        try (KafkaProducer<String, FieldEvent> producer = new KafkaProducer<>(p, kafka.topics.events.keySerde().serializer(),
                kafka.topics.events.valueSerde().serializer())) {
            events.forEach(e -> producer.send(new ProducerRecord<>(topic, e.getAggregateId(), e)));
            producer.flush();
        }
        return events.size() / ((System.nanoTime() - start) / 1e9);
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

    private static String rss() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS"))
                    .findFirst().map(l -> l.replace("VmRSS:", "").trim()).orElse("n/a");
        } catch (java.io.IOException e) {
            return "n/a";
        }
    }
}
