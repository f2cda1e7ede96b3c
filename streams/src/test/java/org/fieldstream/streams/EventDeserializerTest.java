package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.fieldstream.events.AvroCodec;
import org.fieldstream.events.FieldEvent;
import org.junit.jupiter.api.Test;

/** The streams application's event decoder gives what the events module's codec gives, for every bundled schema version. */
class EventDeserializerTest {

    private final AvroCodec<FieldEvent> codec = AvroCodec.of(FieldEvent.class);
    private final EventDeserializer deserializer = new EventDeserializer();
    private final List<FieldEvent> samples = RandomEvents.sample();

    @Test
    void decodesWhatTheCodecEncodes() {
        for (FieldEvent e : samples) {
            byte[] bytes = codec.encode(e);
            assertEquals(codec.decode(bytes), deserializer.deserialize("t", bytes));
        }
        assertNull(deserializer.deserialize("t", null));
    }

    @Test
    void decodesEveryReleasedVersionLikeTheCodec() throws IOException {
        for (Schema released : codec.releasedSchemas()) {
            for (FieldEvent e : samples) {
                byte[] bytes = singleObject(released, e);
                assertEquals(codec.decode(bytes), deserializer.deserialize("t", bytes));
            }
        }
    }

    @Test
    void refusesWhatIsNotAKnownFieldEvent() {
        byte[] bytes = codec.encode(samples.get(0));
        bytes[5] ^= 0x55; // another fingerprint
        assertThrows(IllegalArgumentException.class, () -> deserializer.deserialize("t", bytes));
        assertThrows(IllegalArgumentException.class, () -> deserializer.deserialize("t", new byte[] {1, 2, 3}));
    }

    /** {@code e} written with an older schema version, as a producer of that version would have. */
    private byte[] singleObject(Schema writer, FieldEvent e) throws IOException {
        ByteArrayOutputStream datum = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(datum, null);
        new org.apache.avro.specific.SpecificDatumWriter<FieldEvent>(FieldEvent.getClassSchema()).write(e, enc);
        enc.flush();
        GenericRecord asWritten = new GenericDatumReader<GenericRecord>(FieldEvent.getClassSchema(), writer, GenericData.get())
                .read(null, DecoderFactory.get().binaryDecoder(datum.toByteArray(), null));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xC3);
        out.write(0x01);
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(SchemaNormalization.parsingFingerprint64(writer)).array());
        BinaryEncoder body = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(writer).write(asWritten, body);
        body.flush();
        return out.toByteArray();
    }
}
