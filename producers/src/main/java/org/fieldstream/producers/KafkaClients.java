package org.fieldstream.producers;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.fieldstream.events.KafkaAccess;
import org.fieldstream.events.SettingKeys;
import org.fieldstream.events.Topic;
import org.fieldstream.events.TopicSetup;
import org.fieldstream.events.Topics;
import org.fieldstream.reference.ReferenceFollower;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kafka clients of the producers module, configured from {@link ProducerSettings}. */
public final class KafkaClients {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaClients.class);

    private KafkaClients() {
    }

    /**
     * acks=all and idempotence: no acknowledged event is lost and a retried send is not duplicated.
     * linger and batch size trade a few ms of latency for throughput (see IngestBenchmark).
     */
    public static Properties producerProperties(ProducerSettings settings, String clientId) {
        Properties p = KafkaAccess.properties(settings.kafkaClients());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, settings.intValue(SettingKeys.PRODUCER_LINGER_MS));
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, settings.intValue(SettingKeys.PRODUCER_BATCH_SIZE));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, settings.required(SettingKeys.PRODUCER_COMPRESSION_TYPE));
        return p;
    }

    /** The broker did not answer: nothing was read or published. */
    public static final class BrokerUnreachable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BrokerUnreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Returns once the brokers of {@code bootstrap.servers} answer, or throws {@link BrokerUnreachable}
     * with one line naming the address after {@code broker.answer.timeout.ms}.
     */
    public static void awaitBroker(ProducerSettings settings) {
        String bootstrap = settings.bootstrapServers();
        int timeout = settings.intValue(SettingKeys.BROKER_ANSWER_TIMEOUT_MS, 100, 600_000);
        try (Admin admin = Admin.create(KafkaAccess.with(settings.kafkaClients(), Map.of(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout)))) {
            admin.describeCluster().clusterId().get(timeout, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw new BrokerUnreachable("Kafka at " + bootstrap + " did not answer within " + timeout / 1000.0
                    + " s; nothing was published. Is it running? See ./fieldstream status (or check bootstrap.servers)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnreachable("interrupted waiting for Kafka at " + bootstrap, e);
        }
    }

    /** Creates the pipeline's topics when this stage starts first (see {@link TopicSetup#ensureAll}). */
    public static void ensureTopics(ProducerSettings settings, Topics topics) {
        try (Admin admin = Admin.create(settings.kafkaClients())) {
            TopicSetup.ensureAll(admin, topics, settings.topicLayout());
        }
    }

    public static <V> KafkaProducer<String, V> producer(ProducerSettings settings, Topic<String, V> topic, String clientId) {
        return new KafkaProducer<>(producerProperties(settings, clientId),
                topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    /**
     * Reads a topic from the beginning to the end offsets taken at the start, handing every value to
     * {@code sink}; values that cannot be decoded are skipped with a warning (the count, never the bytes).
     */
    public static <V> long readToEnd(ProducerSettings settings, Topic<String, V> topic, Consumer<V> sink) {
        return readToEnd(settings, topic, (key, value) -> sink.accept(value));
    }

    /** As {@link #readToEnd(ProducerSettings, Topic, Consumer)}, with each record's key. */
    public static <V> long readToEnd(ProducerSettings settings, Topic<String, V> topic, BiConsumer<String, V> sink) {
        Properties p = KafkaAccess.properties(settings.kafkaClients());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        long read = 0;
        long undecodable = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                return 0;
            }
            infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (!reached(consumer, end)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() == null) {
                        continue;
                    }
                    try {
                        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
                        sink.accept(key, topic.valueSerde().deserializer().deserialize(topic.name(), record.value()));
                        read++;
                    } catch (RuntimeException e) {
                        undecodable++;
                    }
                }
            }
        }
        if (undecodable > 0) {
            LOG.warn("skipped {} undecodable records of {}", undecodable, topic.name());
        }
        return read;
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Fills the catalog from the reference topics (programs, partners, org units). */
    public static void loadReference(ProducerSettings settings, Topics topics, ProgramCatalog catalog) {
        ReferenceFollower.catchUp(settings.kafkaClients(), topics, catalog);
        LOG.info("read the reference topics: {}", catalog);
    }

    /** Teaches the registry every cohort, dialogue and session on the events topic. */
    public static void preloadKnown(ProducerSettings settings, Topics topics, KnownAggregates known) {
        long events = readToEnd(settings, topics.events, known::learn);
        LOG.info("preloaded known cohorts and dialogues from {} events", events);
    }
}
