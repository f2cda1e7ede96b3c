package org.fieldstream.reference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fieldstream.events.KafkaAccess;
import org.fieldstream.events.Topic;
import org.fieldstream.events.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes reference data to the compacted reference topics of a {@link Topics} namespace. One
 * byte-level producer serves the four value types: each record is serialised with its own topic's
 * serdes, so consumers read them with {@code topics.programs.valueSerde()} etc. Keys follow each
 * schema's doc: program_id, partner_id, org_unit_id, and program_id|indicator|period|dimension|dimension_id
 * for targets.
 *
 * <p>{@link #sync} makes the topics hold exactly the given data: it reads what they hold now, sends
 * only new and changed records, and a tombstone for every key the data no longer has (a retired
 * program, partner, org unit or target). Loading the same files twice sends nothing. Streams
 * (global tables), the sink (reference tables) and running push endpoints follow the topics, so a
 * change reaches them without a restart.
 */
public final class ReferenceLoader {

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceLoader.class);
    /** Producers tried before publishing fails. */
    static final int ATTEMPTS = 3;

    /** What a sync did to one topic. */
    public record Change(String topic, int added, int changed, int retired, int unchanged) {
        @Override
        public String toString() {
            return "%s: %d added, %d changed, %d retired, %d unchanged".formatted(topic, added, changed, retired, unchanged);
        }
    }

    private final Producer<byte[], byte[]> producer;
    private final Topics topics;

    public ReferenceLoader(Producer<byte[], byte[]> producer, Topics topics) {
        this.producer = producer;
        this.topics = topics;
    }

    /** Publishes every record (no diff, no retirement) with a short-lived idempotent producer; returns the record count. */
    public static int publish(Map<String, Object> kafkaClients, Topics topics, ReferenceData data) {
        return withFreshProducers(() -> producer(kafkaClients), producer -> new ReferenceLoader(producer, topics).publish(data));
    }

    /** Makes the reference topics hold exactly {@code data}; returns what changed per topic. */
    public static List<Change> sync(Map<String, Object> kafkaClients, Topics topics, ReferenceData data) {
        return withFreshProducers(() -> producer(kafkaClients), producer -> {
            ReferenceLoader loader = new ReferenceLoader(producer, topics);
            List<Change> changes = new ArrayList<>();
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            changes.add(loader.sync(topics.programs, current(kafkaClients, topics.programs), data.programs(), Program::getProgramId, sent));
            changes.add(loader.sync(topics.partners, current(kafkaClients, topics.partners), data.partners(), Partner::getPartnerId, sent));
            changes.add(loader.sync(topics.orgUnits, current(kafkaClients, topics.orgUnits), data.orgUnits(), OrgUnit::getOrgUnitId, sent));
            changes.add(loader.sync(topics.targets, current(kafkaClients, topics.targets), data.targets(), ReferenceData::targetKey, sent));
            producer.flush();
            awaitAll(sent);
            changes.forEach(c -> LOG.info("reference {}", c));
            return changes;
        });
    }

    /**
     * Runs {@code work} with a new producer, and again with another one when a send fails, up to
     * {@value #ATTEMPTS} times. Publishing is idempotent (the same records under the same keys of
     * compacted topics; a sync diffs against the topics again). An idempotent producer can get stuck
     * on its first batches to a topic created a moment before: the broker answers
     * OUT_OF_ORDER_SEQUENCE_NUMBER to every retry until the delivery timeout. A new producer has a
     * new producer id and starts its sequences again.
     */
    static <T> T withFreshProducers(Supplier<Producer<byte[], byte[]>> producers, Function<Producer<byte[], byte[]>, T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Producer<byte[], byte[]> producer = producers.get()) {
                return work.apply(producer);
            } catch (PublishFailed e) {
                if (attempt == ATTEMPTS) {
                    throw new IllegalStateException("publishing reference data failed after " + ATTEMPTS + " attempts", e.getCause());
                }
                LOG.warn("publishing reference data failed (attempt {} of {}): {}; again with a new producer", attempt, ATTEMPTS,
                        e.getCause().toString());
            }
        }
    }

    /** A reference record was not acknowledged. */
    static final class PublishFailed extends RuntimeException {
        PublishFailed(Throwable cause) {
            super("publishing reference data failed", cause);
        }
    }

    /** Sends every reference record, waits until all are acknowledged, returns how many were sent. */
    public int publish(ReferenceData data) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (Program p : data.programs()) {
            sent.add(send(topics.programs, p.getProgramId(), p));
        }
        for (Partner p : data.partners()) {
            sent.add(send(topics.partners, p.getPartnerId(), p));
        }
        for (OrgUnit u : data.orgUnits()) {
            sent.add(send(topics.orgUnits, u.getOrgUnitId(), u));
        }
        for (Target t : data.targets()) {
            sent.add(send(topics.targets, ReferenceData.targetKey(t), t));
        }
        producer.flush();
        awaitAll(sent);
        LOG.info("published {} reference records under prefix '{}'", sent.size(), topics.prefix());
        return sent.size();
    }

    <V> Change sync(Topic<String, V> topic, Map<String, byte[]> current, List<V> wanted, Function<V, String> key,
                    List<Future<RecordMetadata>> sent) {
        int added = 0;
        int changed = 0;
        int unchanged = 0;
        Map<String, byte[]> remaining = new HashMap<>(current);
        for (V value : wanted) {
            String k = key.apply(value);
            byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
            byte[] now = remaining.remove(k);
            if (now == null) {
                added++;
            } else if (Arrays.equals(now, bytes)) {
                unchanged++;
                continue;
            } else {
                changed++;
            }
            sent.add(producer.send(new ProducerRecord<>(topic.name(), topic.keySerde().serializer().serialize(topic.name(), k), bytes)));
        }
        for (String retired : remaining.keySet()) {
            sent.add(producer.send(new ProducerRecord<>(topic.name(), topic.keySerde().serializer().serialize(topic.name(), retired), null)));
        }
        return new Change(topic.name(), added, changed, remaining.size(), unchanged);
    }

    /** The live records of a compacted topic, key to value bytes, read from the beginning to its end now. */
    public static Map<String, byte[]> current(Map<String, Object> kafkaClients, Topic<String, ?> topic) {
        Map<String, byte[]> live = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = ReferenceFollower.consumer(kafkaClients)) {
            ReferenceFollower.readToEnd(consumer, List.of(topic.name()), record -> {
                String key = topic.keySerde().deserializer().deserialize(topic.name(), record.key());
                if (record.value() == null) {
                    live.remove(key);
                } else {
                    live.put(key, record.value());
                }
            });
        }
        return live;
    }

    private static KafkaProducer<byte[], byte[]> producer(Map<String, Object> kafkaClients) {
        Properties props = KafkaAccess.properties(kafkaClients);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "fieldstream-reference-loader");
        // a few hundred small records: a healthy broker acknowledges them at once, so give up early and retry
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private <V> Future<RecordMetadata> send(Topic<String, V> topic, String key, V value) {
        byte[] k = topic.keySerde().serializer().serialize(topic.name(), key);
        byte[] v = topic.valueSerde().serializer().serialize(topic.name(), value);
        return producer.send(new ProducerRecord<>(topic.name(), k, v));
    }

    private static void awaitAll(List<Future<RecordMetadata>> sent) {
        try {
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing reference data", e);
        } catch (ExecutionException e) {
            throw new PublishFailed(e.getCause());
        }
    }
}
