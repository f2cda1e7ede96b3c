package org.fieldstream.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.fieldstream.events.Topics;
import org.junit.jupiter.api.Test;

class ReferenceLoaderTest {

    private final ReferenceData data = ReferenceData.bundled();
    private final Topics topics = new Topics("unit.");

    @Test
    void publishesEveryRecordKeyedAsItsSchemaSays() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        int sent = new ReferenceLoader(producer, topics).publish(data);

        List<ProducerRecord<byte[], byte[]>> history = producer.history();
        int expected = data.programs().size() + data.partners().size() + data.orgUnits().size() + data.targets().size();
        assertEquals(expected, sent);
        assertEquals(expected, history.size());
        assertTrue(producer.flushed());

        List<ProducerRecord<byte[], byte[]>> programs = onTopic(history, topics.programs.name());
        assertEquals(data.programs().size(), programs.size());
        Program shouhardo = topics.programs.valueSerde().deserializer().deserialize("t", programs.get(0).value());
        assertEquals(shouhardo.getProgramId(), key(programs.get(0)));
        assertEquals(data.programs().get(0), shouhardo);

        List<ProducerRecord<byte[], byte[]>> units = onTopic(history, topics.orgUnits.name());
        assertEquals(data.orgUnits().size(), units.size());
        for (ProducerRecord<byte[], byte[]> r : units) {
            OrgUnit u = topics.orgUnits.valueSerde().deserializer().deserialize("t", r.value());
            assertEquals(u.getOrgUnitId(), key(r));
        }
        assertEquals(data.partners().size(), onTopic(history, topics.partners.name()).size());
        ProducerRecord<byte[], byte[]> firstTarget = onTopic(history, topics.targets.name()).get(0);
        Target t = topics.targets.valueSerde().deserializer().deserialize("t", firstTarget.value());
        assertEquals("shouhardo3|people_reached|2026-Q1|program|shouhardo3", key(firstTarget));
        assertEquals(1500.0, t.getTarget());
    }

    /** A producer whose first unacknowledged send fails at the flush with {@code error}, as a stuck idempotent producer's does. */
    private static final class FailingProducer extends MockProducer<byte[], byte[]> {
        private final RuntimeException error;

        FailingProducer(RuntimeException error) {
            super(false, null, new ByteArraySerializer(), new ByteArraySerializer());
            this.error = error;
        }

        @Override
        public synchronized void flush() {
            errorNext(error);
            super.flush();
        }
    }

    @Test
    void aProducerWhoseSendsFailIsReplacedByANewOne() {
        List<MockProducer<byte[], byte[]>> made = new ArrayList<>();
        int sent = ReferenceLoader.withFreshProducers(() -> {
            MockProducer<byte[], byte[]> p = made.isEmpty()
                    ? new FailingProducer(new OutOfOrderSequenceException("out of order sequence number"))
                    : new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
            made.add(p);
            return p;
        }, producer -> new ReferenceLoader(producer, topics).publish(data));
        assertEquals(2, made.size(), "one retry with a new producer");
        assertTrue(made.get(0).closed(), "the failed producer is closed");
        assertEquals(sent, made.get(1).history().size(), "everything sent again");
    }

    @Test
    void publishingFailsAfterTheLastAttempt() {
        int[] made = {0};
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ReferenceLoader.withFreshProducers(() -> {
            made[0]++;
            return new FailingProducer(new TimeoutException("expired"));
        }, producer -> new ReferenceLoader(producer, topics).publish(data)));
        assertEquals(ReferenceLoader.ATTEMPTS, made[0]);
        assertTrue(e.getMessage().contains("after " + ReferenceLoader.ATTEMPTS + " attempts"), e.getMessage());
        assertTrue(e.getCause() instanceof TimeoutException, "the last failure is the cause");
    }

    private static List<ProducerRecord<byte[], byte[]>> onTopic(List<ProducerRecord<byte[], byte[]>> all, String topic) {
        return all.stream().filter(r -> r.topic().equals(topic)).toList();
    }

    private static String key(ProducerRecord<byte[], byte[]> r) {
        return Serdes.String().deserializer().deserialize("t", r.key());
    }
}
