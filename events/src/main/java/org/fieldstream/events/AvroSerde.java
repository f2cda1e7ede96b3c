package org.fieldstream.events;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serde over {@link AvroCodec}. A null value stays null (a tombstone). */
public final class AvroSerde {

    private AvroSerde() {
    }

    public static <T extends SpecificRecord> Serde<T> of(Class<T> type) {
        AvroCodec<T> codec = AvroCodec.of(type);
        Serializer<T> serializer = (topic, value) -> value == null ? null : codec.encode(value);
        Deserializer<T> deserializer = (topic, bytes) -> bytes == null ? null : codec.decode(bytes);
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
