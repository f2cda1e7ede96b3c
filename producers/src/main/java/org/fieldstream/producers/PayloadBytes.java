package org.fieldstream.producers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * A payload's Avro binary encoding: the content part of an event id. Only the payload counts (what the
 * partner's row says, person keys already pseudonymised), not the envelope's receive time, source or
 * org unit looked up from the registry, so the same row gives the same bytes on every channel and run.
 * One encoder and buffer per thread.
 */
final class PayloadBytes {

    private static final ThreadLocal<PayloadBytes> LOCAL = ThreadLocal.withInitial(PayloadBytes::new);

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private final Map<Schema, SpecificDatumWriter<SpecificRecord>> writers = new HashMap<>();
    private BinaryEncoder encoder;

    private PayloadBytes() {
    }

    static byte[] of(SpecificRecord payload) {
        return LOCAL.get().encode(payload);
    }

    private byte[] encode(SpecificRecord payload) {
        buffer.reset();
        encoder = EncoderFactory.get().binaryEncoder(buffer, encoder);
        SpecificDatumWriter<SpecificRecord> writer = writers.computeIfAbsent(payload.getSchema(), SpecificDatumWriter::new);
        try {
            // the schema's full name first, so two payload types with equal field bytes differ
            encoder.writeString(payload.getSchema().getFullName());
            writer.write(payload, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }
}
