package org.fieldstream.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.RejectedRecord;
import org.fieldstream.events.Topics;
import org.fieldstream.producers.csv.CsvRowSource;
import org.junit.jupiter.api.Test;

class EventPublisherTest {

    private final Topics topics = new Topics("t.");
    private final MockProducer<String, FieldEvent> events = new MockProducer<>(true, null, new StringSerializer(),
            topics.events.valueSerde().serializer());
    private final MockProducer<String, RejectedRecord> rejected = new MockProducer<>(true, null, new StringSerializer(),
            topics.rejected.valueSerde().serializer());
    private final EventPublisher publisher = new EventPublisher(events, rejected, topics);

    private static final String ENROLMENTS = """
            cohort_id,person_key,sex,enrolled_on,name,phone,national_id
            C1,PK-4711-SECRET,f,2026-02-01,Rahima Begum,01711223344,1990123456789
            C1,PK-4712-SECRET,m,2026-02-01,Abdul Karim,01811223344,1985123456789
            C1,PK-4713-SECRET,x,2026-02-01,Shirin Akter,01911223344,1970123456789
            C7,PK-4714-SECRET,f,2026-02-01,রহিমা বেগম,01611223344,1999123456789
            """;

    private Ingest.Result ingest(String csv) throws Exception {
        Fixture fixture = new Fixture();
        try (CsvRowSource source = CsvRowSource.open(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                "enrol.csv", null, false)) {
            Ingest.Result result = new Ingest(fixture.converter, fixture.known, publisher, Progress.silent())
                    .run(source, source.layout());
            publisher.flush();
            return result;
        }
    }

    @Test
    void buildsEventRecordsKeyedByAggregateOnTheEventsTopic() {
        FieldEvent event = ((Outcome.Accepted) new Fixture().one(
                "cohort_id,session_number,held_on\nC1,2,2026-02-09")).event();
        ProducerRecord<String, FieldEvent> record = EventPublisher.eventRecord(topics, event);
        assertEquals("t.fieldstream.events", record.topic());
        assertEquals("P1/X/C1", record.key());
        assertEquals(event, record.value());
    }

    @Test
    void sendsAcceptedRowsAsEventsAndBadRowsAsRejectionsKeyedByPartner() throws Exception {
        Ingest.Result result = ingest(ENROLMENTS);
        assertEquals(4, result.rows());
        assertEquals(2, result.accepted());
        assertEquals(2, result.rejected());
        assertEquals(List.of("P1/X/C1", "P1/X/C1"), events.history().stream().map(ProducerRecord::key).toList());
        assertEquals(List.of("X", "X"), rejected.history().stream().map(ProducerRecord::key).toList());
        assertEquals(List.of("enrol.csv:4", "enrol.csv:5"),
                rejected.history().stream().map(r -> r.value().getSourceRef()).toList());
        assertEquals(4, publisher.acknowledged());
    }

    @Test
    void noPersonKeyNamePhoneOrNationalIdInAnyPublishedByte() throws Exception {
        ingest(ENROLMENTS);
        List<String> forbidden = List.of("PK-4711", "PK-4712", "PK-4713", "PK-4714", "Rahima", "Abdul", "Shirin",
                "রহিমা", "01711223344", "01811223344", "01911223344", "01611223344", "1990123456789", "1999123456789");
        List<byte[]> published = new java.util.ArrayList<>();
        events.history().forEach(r -> published.add(topics.events.valueSerde().serializer().serialize(r.topic(), r.value())));
        rejected.history().forEach(r -> published.add(topics.rejected.valueSerde().serializer().serialize(r.topic(), r.value())));
        assertEquals(4, published.size());
        for (byte[] bytes : published) {
            for (String word : forbidden) {
                assertFalse(contains(bytes, word.getBytes(StandardCharsets.UTF_8)), "published bytes contain " + word);
            }
        }
        String personId = new Fixture().pseudonymizer.personId("PK-4711-SECRET");
        assertTrue(contains(published.get(0), personId.getBytes(StandardCharsets.UTF_8)), "the pseudonym is there instead");
    }

    @Test
    void flushFailsWhenKafkaDidNotAcknowledge() throws IOException {
        MockProducer<String, FieldEvent> failing = new MockProducer<>(false, null, new StringSerializer(),
                topics.events.valueSerde().serializer());
        EventPublisher p = new EventPublisher(failing, rejected, topics);
        p.publish(((Outcome.Accepted) new Fixture().one("cohort_id,session_number,held_on\nC1,2,2026-02-09")).event());
        failing.errorNext(new org.apache.kafka.common.errors.TimeoutException("broker gone"));
        assertThrows(EventPublisher.PublishException.class, p::flush);
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
