package org.fieldstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.clickhouse.Sql;
import org.fieldstream.events.AvroCodec;
import org.fieldstream.events.SettingKeys;
import org.fieldstream.events.TopicSetup;
import org.fieldstream.events.Topics;
import org.fieldstream.platform.TestServices;

/** What the sink ITs share: a fresh topic prefix and database, producers, bounded waits. */
final class ItSupport implements AutoCloseable {

    final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    final Topics topics = new Topics("it-" + id + ".");
    final String database = "it_" + id;
    final String group = "sink-it-" + id;
    final String deadLetterTopic = topics.deadLetters.name();
    final Admin admin;
    final KafkaProducer<String, byte[]> producer;
    final ClickHouseGateway gateway;

    ItSupport() {
        String bootstrap = TestServices.kafka().bootstrapServers();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        TopicSetup.ensure(admin, topics, 2, (short) 1);
        TopicSetup.ensure(admin, List.of(deadLetterTopic), 1, (short) 1);
        producer = new KafkaProducer<>(producerConfig(bootstrap));
        gateway = new ClickHouseGateway(TestServices.clickHouse().httpUrl(), "default", "");
    }

    static Properties producerConfig(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    SinkSettings settings(int batchRows, long batchMillis) {
        Map<String, String> values = new HashMap<>();
        values.put(SettingKeys.BOOTSTRAP_SERVERS.key(), TestServices.kafka().bootstrapServers());
        values.put(SettingKeys.TOPIC_PREFIX.key(), topics.prefix());
        values.put(SettingKeys.SINK_GROUP_ID.key(), group);
        values.put(SettingKeys.CLICKHOUSE_URL.key(), TestServices.clickHouse().httpUrl());
        values.put(SettingKeys.CLICKHOUSE_DATABASE.key(), database);
        values.put(SettingKeys.SINK_BATCH_ROWS.key(), Integer.toString(batchRows));
        values.put(SettingKeys.SINK_BATCH_MS.key(), Long.toString(batchMillis));
        values.put(SettingKeys.SINK_BACKOFF_MAX_MS.key(), "2000");
        values.put(SettingKeys.SINK_STATS_INTERVAL_MS.key(), "5000");
        values.put(SettingKeys.SINK_SESSION_TIMEOUT_MS.key(), "6000");
        return SinkSettings.of(values);
    }

    @SuppressWarnings("unchecked")
    <T extends SpecificRecord> void send(String topic, String key, T value) {
        byte[] bytes = value == null ? null : AvroCodec.of((Class<T>) value.getClass()).encode(value);
        producer.send(new ProducerRecord<>(topic, key, bytes));
    }

    void sendRaw(String topic, String key, byte[] bytes) {
        producer.send(new ProducerRecord<>(topic, key, bytes));
    }

    long count(String sql) {
        return Long.parseLong(gateway.queryValue(sql));
    }

    String table(String name) {
        return Sql.qualified(database, name);
    }

    /** Polls until the value equals {@code expected} or the time is up, then asserts it. */
    static <T> void awaitEquals(T expected, Supplier<T> actual, Duration timeout, String what) {
        // a failing read (the service may be restarting) counts as not yet
        Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(actual::get, expected::equals);
    }

    /** Waits until the group has committed the end offset of every partition of the given topics. */
    void awaitCaughtUp(Set<String> topicNames, Duration timeout) {
        awaitEquals(true, () -> caughtUp(topicNames), timeout, "sink group caught up with " + topicNames.size() + " topics");
    }

    private boolean caughtUp(Set<String> topicNames) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            admin.describeTopics(topicNames).allTopicNames().get(10, TimeUnit.SECONDS).forEach((name, description) ->
                    description.partitions().forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                    admin.listOffsets(request).all().get(10, TimeUnit.SECONDS);
            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end : ends.entrySet()) {
                long target = end.getValue().offset();
                OffsetAndMetadata done = committed.get(end.getKey());
                if (target > 0 && (done == null || done.offset() < target)) {
                    return false;
                }
            }
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
        admin.close();
        gateway.close();
    }
}
