package org.fieldstream.sink;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One Kafka record to one table row. Throws {@link IllegalArgumentException} with a reason (never
 * the payload) when the record cannot become a row; the sink then dead-letters it.
 */
@FunctionalInterface
public interface RecordMapper {
    Map<String, Object> map(ConsumerRecord<String, byte[]> record);
}
