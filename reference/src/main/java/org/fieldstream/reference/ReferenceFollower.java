package org.fieldstream.reference;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.fieldstream.events.KafkaAccess;
import org.fieldstream.events.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link Catalog} equal to the reference topics (programs, partners, org units):
 * {@link #catchUp} reads them to their end now, tombstones included (a retired partner is forgotten);
 * {@link #follow} then keeps reading on a daemon thread, so a long-running push endpoint sees a newly
 * loaded program or a retired partner without a restart. Records that cannot be decoded are skipped
 * with a count at WARN, never their bytes.
 */
public final class ReferenceFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceFollower.class);

    /** What the follower keeps equal to the topics: each record as published, each tombstone as a removal. */
    public interface Catalog {
        void add(Program program);

        void add(Partner partner);

        void add(OrgUnit orgUnit);

        void removeProgram(String programId);

        void removePartner(String partnerId);

        void removeOrgUnit(String orgUnitId);
    }

    private final Topics topics;
    private final Catalog catalog;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;
    private volatile boolean stopping;

    private ReferenceFollower(Map<String, Object> kafkaClients, Topics topics, Catalog catalog) {
        this.topics = topics;
        this.catalog = catalog;
        this.consumer = consumer(kafkaClients);
    }

    /** Reads the reference topics to their end into {@code catalog}, then stops. */
    public static void catchUp(Map<String, Object> kafkaClients, Topics topics, Catalog catalog) {
        try (ReferenceFollower follower = new ReferenceFollower(kafkaClients, topics, catalog)) {
            follower.assignAndReadToEnd();
        }
    }

    /** Reads the reference topics to their end into {@code catalog}, then follows them until closed. */
    public static ReferenceFollower follow(Map<String, Object> kafkaClients, Topics topics, Catalog catalog) {
        ReferenceFollower follower = new ReferenceFollower(kafkaClients, topics, catalog);
        follower.assignAndReadToEnd();
        follower.thread = new Thread(follower::loop, "reference-follower");
        follower.thread.setDaemon(true);
        follower.thread.start();
        return follower;
    }

    private void assignAndReadToEnd() {
        readToEnd(consumer, List.of(topics.programs.name(), topics.partners.name(), topics.orgUnits.name()), this::apply);
    }

    /** A consumer of record bytes that commits nothing: reference topics are always read from their beginning. */
    static KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> kafkaClients) {
        Properties p = KafkaAccess.properties(kafkaClients);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Assigns every partition of {@code topicNames} (a topic not there yet has none), and hands
     * {@code apply} each record from the beginning to the end the partitions have now.
     */
    static void readToEnd(KafkaConsumer<byte[], byte[]> consumer, List<String> topicNames, Consumer<ConsumerRecord<byte[], byte[]>> apply) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topicNames) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos != null) {
                infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            consumer.poll(Duration.ofMillis(200)).forEach(apply);
        }
    }

    private void loop() {
        try {
            while (!stopping) {
                consumer.poll(Duration.ofSeconds(1)).forEach(this::apply);
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("following the reference topics stopped: {}", e.toString());
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        String key = topics.programs.keySerde().deserializer().deserialize(record.topic(), record.key());
        try {
            if (record.topic().equals(topics.programs.name())) {
                if (record.value() == null) {
                    catalog.removeProgram(key);
                } else {
                    catalog.add((Program) topics.programs.valueSerde().deserializer().deserialize(record.topic(), record.value()));
                }
            } else if (record.topic().equals(topics.partners.name())) {
                if (record.value() == null) {
                    catalog.removePartner(key);
                } else {
                    catalog.add((Partner) topics.partners.valueSerde().deserializer().deserialize(record.topic(), record.value()));
                }
            } else if (record.value() == null) {
                catalog.removeOrgUnit(key);
            } else {
                catalog.add((OrgUnit) topics.orgUnits.valueSerde().deserializer().deserialize(record.topic(), record.value()));
            }
        } catch (RuntimeException e) {
            LOG.warn("skipped an undecodable reference record of {} at offset {}", record.topic(), record.offset());
        }
    }

    @Override
    public void close() {
        stopping = true;
        if (thread != null) {
            consumer.wakeup();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        consumer.close(Duration.ofSeconds(5));
    }
}
