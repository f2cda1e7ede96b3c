package org.fieldstream.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class LocalKafkaIT {

    private final String bootstrap = TestServices.kafka().bootstrapServers();

    @Test
    void readCommittedConsumerSeesCommittedTransactionsOnly() throws Exception {
        String topic = "it-" + UUID.randomUUID() + ".platform.roundtrip";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        List<String> committed = List.of("a", "b", "c", "d", "e");
        try (KafkaProducer<String, String> producer = transactionalProducer()) {
            producer.initTransactions();
            producer.beginTransaction();
            committed.forEach(v -> producer.send(new ProducerRecord<>(topic, "key-" + v, v)));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "key-x", "aborted-x"));
            producer.send(new ProducerRecord<>(topic, "key-y", "aborted-y"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "key-f", "f"));
            producer.commitTransaction();
        }

        List<String> read = readAll(topic, 6);

        assertEquals(Set.of("a", "b", "c", "d", "e", "f"), Set.copyOf(read));
        assertEquals(6, read.size(), "no duplicates and nothing from the aborted transaction: " + read);
    }

    @Test
    void brokenConfigFailsWithTheToolOutput() {
        Path workDir = TestServices.workDir().resolve("kafka-broken-" + UUID.randomUUID());

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LocalKafka.start(workDir, Map.of("process.roles", "nonsense")));

        assertTrue(e.getMessage().contains("kafka storage format failed"), e.getMessage());
        assertTrue(e.getMessage().contains("nonsense"), "the tool's own complaint is in the message: " + e.getMessage());
    }

    private KafkaProducer<String, String> transactionalProducer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-" + UUID.randomUUID(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer());
    }

    /** Polls until {@code expected} values arrived, then once more to catch anything extra. */
    private List<String> readAll(String topic, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
            }
            for (ConsumerRecord<String, String> extra : consumer.poll(Duration.ofSeconds(2))) {
                values.add(extra.value());
            }
        }
        return values;
    }
}
