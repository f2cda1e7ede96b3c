package org.fieldstream.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class AvroCodecTest {

    static FieldEvent attendance() {
        return FieldEvent.newBuilder()
                .setEventId("ev-1").setRootId("root-1").setRevision(1)
                .setProgramId("shouhardo3").setPartnerId("ndp").setOrgUnitId("BD-SIR-KAZ")
                .setAggregateId("cohort-7")
                .setOccurredAt(Instant.parse("2026-03-04T00:00:00Z"))
                .setReceivedAt(Instant.parse("2026-03-05T10:00:00Z"))
                .setSource("csv").setSourceRef("attendance.csv:2")
                .setPayload(AttendanceRecorded.newBuilder().setCohortId("cohort-7").setSessionNumber(3)
                        .setPersonId("p-abc").setStatus(AttendanceStatus.PRESENT).build())
                .build();
    }

    @Test
    void roundTripsAnEventWithSingleObjectEncoding() {
        AvroCodec<FieldEvent> codec = AvroCodec.of(FieldEvent.class);
        byte[] bytes = codec.encode(attendance());
        // marker C3 01, then the 8-byte CRC-64-AVRO fingerprint of the writer schema
        assertEquals((byte) 0xC3, bytes[0]);
        assertEquals((byte) 0x01, bytes[1]);
        assertEquals(attendance(), codec.decode(bytes));
    }

    @Test
    void keepsBanglaTextIntact() {
        AvroCodec<FieldEvent> codec = AvroCodec.of(FieldEvent.class);
        FieldEvent event = attendance();
        event.setPayload(DialogueHeld.newBuilder().setDialogueId("d-1").setKind(DialogueKind.POLICY_DIALOGUE)
                .setTopic("শিক্ষা নীতি সংলাপ").setHeldOn(LocalDate.of(2026, 3, 1)).build());
        FieldEvent back = codec.decode(codec.encode(event));
        assertEquals("শিক্ষা নীতি সংলাপ", ((DialogueHeld) back.getPayload()).getTopic());
    }

    @Test
    void decodesMessagesWrittenWithAnOlderReleasedSchema() {
        // An older writer schema: RecordRetracted without its optional 'reason'. It is registered like a
        // released version and must decode into the current class, 'reason' taking its default.
        AvroCodec<FieldEvent> codec = AvroCodec.of(FieldEvent.class);
        Schema older = new Schema.Parser().parse(codec.schema().toString()
                .replace("{\"name\":\"reason\",\"type\":[\"null\",{\"type\":\"string\",\"avro.java.string\":\"String\"}],\"default\":null}", ""));
        assertTrue(SchemaNormalization.parsingFingerprint64(older) != SchemaNormalization.parsingFingerprint64(codec.schema()));

        GenericRecord retracted = new GenericData.Record(older.getField("payload").schema().getTypes().stream()
                .filter(s -> s.getName().equals("RecordRetracted")).findFirst().orElseThrow());
        GenericRecord event = new GenericData.Record(older);
        event.put("event_id", "ev-2");
        event.put("root_id", "root-1");
        event.put("revision", 2);
        event.put("program_id", "p");
        event.put("partner_id", "x");
        event.put("aggregate_id", "cohort-7");
        event.put("occurred_at", 0L);
        event.put("received_at", 0L);
        event.put("source", "csv");
        event.put("source_ref", "f.csv:3");
        event.put("payload", retracted);
        byte[] bytes;
        try {
            bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), older).encode(event).array();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThrows(IllegalArgumentException.class, () -> codec.decode(bytes), "unknown fingerprint must fail");

        AvroCodec<FieldEvent> withOlder = AvroCodec.of(FieldEvent.class);
        withOlder.registerForTest(older);
        FieldEvent decoded = withOlder.decode(bytes);
        assertEquals("ev-2", decoded.getEventId());
        assertEquals(null, ((RecordRetracted) decoded.getPayload()).getReason());
    }

    @Test
    void rejectsBytesThatAreNotASingleObjectMessage() {
        AvroCodec<FieldEvent> codec = AvroCodec.of(FieldEvent.class);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> codec.decode("not avro".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("FieldEvent"), e.getMessage());
    }

    @Test
    void serdeKeepsTombstonesNull() {
        var serde = AvroSerde.of(FieldEvent.class);
        assertEquals(null, serde.serializer().serialize("t", null));
        assertEquals(null, serde.deserializer().deserialize("t", null));
        byte[] bytes = serde.serializer().serialize("t", attendance());
        assertArrayEquals(bytes, AvroCodec.of(FieldEvent.class).encode(attendance()));
    }

    @Test
    void topicsShareOneNamespacePrefix() {
        Topics topics = new Topics("it42.");
        assertEquals("it42.fieldstream.events", topics.events.name());
        assertEquals("it42.fieldstream.metrics.outreach", topics.outreach.name());
        assertTrue(topics.metrics().stream().allMatch(t -> t.name().startsWith("it42.fieldstream.metrics.")));
        assertEquals("fieldstream.rejected", Topics.DEFAULT.rejected.name());
    }
}
