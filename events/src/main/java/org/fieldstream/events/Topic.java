package org.fieldstream.events;

import org.apache.kafka.common.serialization.Serde;

/** A Kafka topic with the serdes of its keys and values; the one way code names a topic. */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {
}
