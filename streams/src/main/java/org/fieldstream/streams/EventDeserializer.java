package org.fieldstream.streams;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.fieldstream.events.AvroCodec;
import org.fieldstream.events.FieldEvent;

/**
 * The events topic's values as the streams application reads them: Avro single-object encoding
 * (marker {@code C3 01}, the writer schema's 8-byte fingerprint, the datum), decoded straight from the
 * record's bytes with one reused binary decoder per stream thread, by the reader of the writer's
 * schema (the current one or any released version, as {@link AvroCodec} bundles them). Equal to
 * {@link AvroCodec#decode} (EventDeserializerTest); the codec's decoder reads through an input
 * stream byte by byte. Anything else is refused with an exception, which sends the record to the
 * dead-letter topic.
 */
final class EventDeserializer implements Deserializer<FieldEvent> {

    private static final int HEADER = 10;
    private static final ThreadLocal<BinaryDecoder> DECODER = new ThreadLocal<>();

    private final Map<Long, DatumReader<FieldEvent>> readers = new HashMap<>();

    EventDeserializer() {
        AvroCodec<FieldEvent> codec = AvroCodec.of(FieldEvent.class);
        SpecificData model = SpecificData.getForClass(FieldEvent.class);
        Schema current = codec.schema();
        for (Schema released : codec.releasedSchemas()) {
            readers.put(SchemaNormalization.parsingFingerprint64(released), new SpecificDatumReader<>(released, current, model));
        }
        readers.put(SchemaNormalization.parsingFingerprint64(current), new SpecificDatumReader<>(current, current, model));
    }

    /** Reads with this deserializer, writes with the events topic's own serializer. */
    static Serde<FieldEvent> serde(Serde<FieldEvent> events) {
        return Serdes.serdeFrom(events.serializer(), new EventDeserializer());
    }

    @Override
    public FieldEvent deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length < HEADER || bytes[0] != (byte) 0xC3 || bytes[1] != (byte) 0x01) {
            throw new IllegalArgumentException("not an Avro single-object encoded FieldEvent (" + bytes.length + " bytes)");
        }
        long fingerprint = 0;
        for (int i = HEADER - 1; i >= 2; i--) {
            fingerprint = (fingerprint << 8) | (bytes[i] & 0xFF);
        }
        DatumReader<FieldEvent> reader = readers.get(fingerprint);
        if (reader == null) {
            throw new IllegalArgumentException("FieldEvent written with an unknown schema (fingerprint " + Long.toHexString(fingerprint) + ")");
        }
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, HEADER, bytes.length - HEADER, DECODER.get());
        DECODER.set(decoder);
        try {
            return reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot decode FieldEvent: " + e.getMessage(), e);
        }
    }
}
