package org.fieldstream.streams;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.awaitility.Awaitility;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.Topic;
import org.fieldstream.events.TopicSetup;
import org.fieldstream.events.Topics;
import org.fieldstream.platform.TestServices;
import org.fieldstream.reference.OrgUnit;
import org.fieldstream.reference.Program;

/** Topics of one integration test on the shared real broker, with helpers to write input and read metrics. */
public final class ItKafka {

    public final String id = "it-" + UUID.randomUUID().toString().substring(0, 8);
    public final Topics topics = new Topics(id + ".");
    public final String bootstrap;

    public ItKafka() {
        this(3);
    }

    /** Topics with {@code partitions} partitions each (reference topics one). */
    public ItKafka(int partitions) {
        this(TestServices.kafka().bootstrapServers(), partitions);
    }

    /** Topics on the broker at {@code bootstrap} (a test's own broker), {@code partitions} partitions each. */
    public ItKafka(String bootstrap, int partitions) {
        this.bootstrap = bootstrap;
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            TopicSetup.ensure(admin, topics, partitions, (short) 1);
        }
    }

    private <V> KafkaProducer<String, V> producer(Topic<String, V> topic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(p, topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    public void send(List<FieldEvent> events) {
        try (KafkaProducer<String, FieldEvent> producer = eventProducer()) {
            send(producer, events);
        }
    }

    /** A producer of the events topic, for tests that send in many small steps. */
    KafkaProducer<String, FieldEvent> eventProducer() {
        return producer(topics.events);
    }

    /** Sends {@code events} keyed by aggregate id and waits until the broker has them. */
    void send(KafkaProducer<String, FieldEvent> producer, List<FieldEvent> events) {
        for (FieldEvent e : events) {
            producer.send(new ProducerRecord<>(topics.events.name(), e.getAggregateId(), e));
        }
        producer.flush();
    }

    Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return Admin.create(p);
    }

    public void reference(String program, LocalDate start, List<OrgUnit> units) {
        try (KafkaProducer<String, Program> producer = producer(topics.programs)) {
            producer.send(new ProducerRecord<>(topics.programs.name(), program, program(program, start)));
        }
        try (KafkaProducer<String, OrgUnit> producer = producer(topics.orgUnits)) {
            units.forEach(u -> producer.send(new ProducerRecord<>(topics.orgUnits.name(), u.getOrgUnitId(), u)));
        }
    }

    /** A program with the default parameters: dropout after 3 missed sessions, completion at 80%. */
    static Program program(String program, LocalDate start) {
        return Program.newBuilder().setProgramId(program).setName(program).setStartDate(start).setEndDate(null)
                .setDropoutMissedSessions(3).setCompletionAttendance(0.8).build();
    }

    static OrgUnit orgUnit(String id, String level, String district, String upazila) {
        return OrgUnit.newBuilder().setOrgUnitId(id).setName(id).setNameBn(null).setLevel(level).setParentId(null)
                .setDivisionId(null).setDistrictId(district).setUpazilaId(upazila).setUnionId(null).build();
    }

    /** Every metric topic read to its end (committed records only): last row per key, per topic name. */
    Map<String, Map<String, SpecificRecordBase>> readMetrics() {
        Map<String, Map<String, SpecificRecordBase>> out = new TreeMap<>();
        for (Topic<String, ?> topic : topics.metrics()) {
            out.put(topic.name(), readToEnd(topic));
        }
        return out;
    }

    /** Every metric topic read to its end (committed records only): how many records each key has, per topic name. */
    Map<String, Map<String, Integer>> recordsPerKey() {
        Map<String, Map<String, Integer>> out = new TreeMap<>();
        for (Topic<String, ?> topic : topics.metrics()) {
            Map<String, Integer> counts = new TreeMap<>();
            readToEnd(topic, (key, row) -> counts.merge(key, 1, Integer::sum));
            out.put(topic.name(), counts);
        }
        return out;
    }

    private Map<String, SpecificRecordBase> readToEnd(Topic<String, ?> topic) {
        Map<String, SpecificRecordBase> rows = new TreeMap<>();
        readToEnd(topic, rows::put);
        return rows;
    }

    private void readToEnd(Topic<String, ?> topic, java.util.function.BiConsumer<String, SpecificRecordBase> each) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        @SuppressWarnings("unchecked")
        Deserializer<SpecificRecordBase> values = (Deserializer<SpecificRecordBase>) topic.valueSerde().deserializer();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic.name()).forEach(info -> partitions.add(new TopicPartition(topic.name(), info.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            for (int polls = 0; polls < 200 && !reached(consumer, end); polls++) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    each.accept(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8), values.deserialize(topic.name(), r.value()));
                }
            }
            if (!reached(consumer, end)) {
                throw new IllegalStateException("could not read " + topic.name() + " to its end");
            }
        }
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    /** Live rows rendered for comparison: no updated_at and version (they depend on when a row was written). */
    Map<String, String> comparable(Map<String, Map<String, SpecificRecordBase>> metrics) {
        return comparable(metrics, topics);
    }

    static Map<String, String> comparable(Map<String, Map<String, SpecificRecordBase>> metrics, Topics topics) {
        Map<String, String> out = new TreeMap<>();
        Predicate<SpecificRecordBase> live = row -> !(Boolean) row.get("deleted");
        metrics.forEach((topic, rows) -> rows.forEach((key, row) -> {
            if (live.test(row)) {
                String local = topic.substring(topics.prefix().length());
                out.put(local + "/" + key, TopologyHarness.render(row));
            }
        }));
        return out;
    }

    /**
     * Waits until the metric topics equal {@code expected}, then checks that they stay equal for a
     * while (nothing further arrives); a failure names the first differing rows.
     */
    void awaitMetrics(Map<String, String> expected, Duration atMost) {
        Awaitility.await("metric topics equal to the expectation").atMost(atMost).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertSame(expected));
        Awaitility.await("nothing further arrives").during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertSame(expected));
    }

    private void assertSame(Map<String, String> expected) {
        Map<String, String> actual = comparable(readMetrics());
        if (!expected.equals(actual)) {
            throw new AssertionError(TopologyHarness.differences(expected, actual, 3));
        }
    }
}
