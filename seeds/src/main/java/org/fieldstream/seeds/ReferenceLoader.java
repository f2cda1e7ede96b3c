package org.fieldstream.seeds;

import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fieldstream.events.Topic;
import org.fieldstream.events.Topics;
import org.fieldstream.reference.OrgUnit;
import org.fieldstream.reference.Partner;
import org.fieldstream.reference.Program;
import org.fieldstream.reference.Target;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes reference data to the compacted reference topics of a {@link Topics} namespace. One
 * byte-level producer serves the four value types: each record is serialised with its own topic's
 * serdes, so consumers read them with {@code topics.programs.valueSerde()} etc. Keys follow each
 * schema's doc: program_id, partner_id, org_unit_id, and program_id|indicator|period|dimension|dimension_id
 * for targets. Re-publishing the same data is harmless: the topics are compacted by key.
 */
public final class ReferenceLoader {

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceLoader.class);

    private final Producer<byte[], byte[]> producer;
    private final Topics topics;

    public ReferenceLoader(Producer<byte[], byte[]> producer, Topics topics) {
        this.producer = producer;
        this.topics = topics;
    }

    /** Publishes with a short-lived idempotent producer to the given brokers; returns the record count. */
    public static int publish(String bootstrapServers, Topics topics, ReferenceData data) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "fieldstream-reference-loader");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            return new ReferenceLoader(producer, topics).publish(data);
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
            throw new IllegalStateException("publishing reference data failed", e.getCause());
        }
    }
}
