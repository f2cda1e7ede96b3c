package org.fieldstream.sink;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where records go that can never be written: the original key and value with the source topic,
 * partition, offset and the reason. Delivery is at least once: a record may be dead-lettered again
 * after a crash before its offset was committed.
 */
public interface DeadLetters extends AutoCloseable {

    void send(ConsumerRecord<String, byte[]> record, String reason);

    /** Returns once everything sent is stored; called before offsets are committed. */
    void flush();

    @Override
    void close();
}
