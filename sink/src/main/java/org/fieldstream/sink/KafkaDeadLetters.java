package org.fieldstream.sink;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Dead letters on a Kafka topic: original key and value bytes, provenance and reason in headers. */
public final class KafkaDeadLetters implements DeadLetters {

    public static final String HEADER_TOPIC = "fieldstream.source.topic";
    public static final String HEADER_PARTITION = "fieldstream.source.partition";
    public static final String HEADER_OFFSET = "fieldstream.source.offset";
    public static final String HEADER_REASON = "fieldstream.reason";
    public static final String HEADER_FAILED_AT = "fieldstream.failed_at";
    public static final String HEADER_STAGE = "fieldstream.stage";

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final AtomicReference<Exception> sendFailure = new AtomicReference<>();

    public KafkaDeadLetters(Producer<byte[], byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    @Override
    public void send(ConsumerRecord<String, byte[]> record, String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(HEADER_TOPIC, utf8(record.topic()));
        headers.add(HEADER_PARTITION, utf8(Integer.toString(record.partition())));
        headers.add(HEADER_OFFSET, utf8(Long.toString(record.offset())));
        headers.add(HEADER_REASON, utf8(reason == null ? "unknown" : reason));
        headers.add(HEADER_FAILED_AT, utf8(Instant.now().toString()));
        headers.add(HEADER_STAGE, utf8("sink"));
        byte[] key = record.key() == null ? null : utf8(record.key());
        producer.send(new ProducerRecord<>(topic, null, key, record.value(), headers), (metadata, error) -> {
            if (error != null) {
                sendFailure.compareAndSet(null, error);
            }
        });
    }

    @Override
    public void flush() {
        producer.flush();
        Exception failure = sendFailure.getAndSet(null);
        if (failure != null) {
            // the offsets must not be committed past a record that is neither written nor dead-lettered
            throw new IllegalStateException("dead-letter send to " + topic + " failed: " + failure.getMessage(), failure);
        }
    }

    @Override
    public void close() {
        producer.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
