package org.fieldstream.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding (marker, schema fingerprint, datum) for one record type.
 *
 * <p>Every released version of the type's schema is bundled under {@code released/<Name>/v<N>.avsc}
 * and registered with the decoder, so a message written with any released schema decodes into
 * the current class without a registry server. {@code SchemaCompatibilityTest} keeps the current
 * schema able to read every released one.
 */
public final class AvroCodec<T extends SpecificRecord> {

    private final Class<T> type;
    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;
    private final List<Schema> released;

    private AvroCodec(Class<T> type) {
        this.type = type;
        SpecificData model = SpecificData.getForClass(type);
        this.schema = model.getSchema(type);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema);
        this.released = loadReleased(type, schema.getName());
        released.forEach(decoder::addSchema);
    }

    public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
        return new AvroCodec<>(type);
    }

    public Class<T> type() {
        return type;
    }

    public Schema schema() {
        return schema;
    }

    /** Released schema versions, oldest first. */
    public List<Schema> releasedSchemas() {
        return released;
    }

    public byte[] encode(T value) {
        try {
            ByteBuffer buffer = encoder.encode(value);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + schema.getName(), e);
        }
    }

    /** Decodes a single-object message; fails with a message naming the type when the fingerprint is unknown. */
    public T decode(byte[] bytes) {
        try {
            return decoder.decode(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode " + schema.getName() + " (" + bytes.length + " bytes)", e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot decode " + schema.getName() + ": " + e.getMessage(), e);
        }
    }

    /** Registers one more writer schema; tests use it to simulate a version released before this one. */
    void registerForTest(Schema writer) {
        decoder.addSchema(writer);
    }

    static List<Schema> loadReleased(Class<?> anchor, String name) {
        List<Schema> schemas = new ArrayList<>();
        for (int v = 1; ; v++) {
            String path = "/released/" + name + "/v" + v + ".avsc";
            try (InputStream in = anchor.getResourceAsStream(path)) {
                if (in == null) {
                    return List.copyOf(schemas);
                }
                schemas.add(new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read released schema " + path, e);
            }
        }
    }
}
