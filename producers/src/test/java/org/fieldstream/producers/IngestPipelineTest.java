package org.fieldstream.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.RejectedRecord;
import org.fieldstream.events.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ingest reads and validates on the caller's thread and publishes on a background thread: these
 * pin that the order, the counts and the failures are those of a single-threaded ingest. The class
 * timeout only turns a hang into a failure; nothing here measures speed.
 */
@Timeout(120)
class IngestPipelineTest {

    private static final int COHORTS = 17;
    private static final String[] STATUSES = {"present", "absent", "excused", "late"};

    private final Topics topics = new Topics("t.");
    private final Fixture fixture = new Fixture();
    private final MockProducer<String, RejectedRecord> rejected = new MockProducer<>(true, null, new StringSerializer(),
            topics.rejected.valueSerde().serializer());

    IngestPipelineTest() {
        for (int c = 0; c < COHORTS; c++) {
            fixture.known.putCohort("P1/X/K" + c, new KnownAggregates.Cohort("P1", "X", "U1", 6, LocalDate.parse("2026-02-01")));
        }
    }

    @Test
    void publishesInReadOrderSoEachCohortKeepsItsOrderAndCountsExactly() throws Exception {
        int rows = 10 * BackgroundPublisher.BATCH * BackgroundPublisher.QUEUED_BATCHES / 7 + 13;
        MockProducer<String, FieldEvent> events = events();
        EventPublisher publisher = new EventPublisher(events, rejected, topics);
        Progress progress = Progress.silent();

        Ingest.Result result = new Ingest(fixture.converter, fixture.known, publisher, progress)
                .run(new GeneratedAttendance(rows, -1), Layout.ATTENDANCE);
        publisher.flush();

        long late = rows / STATUSES.length;
        assertEquals(rows, result.rows());
        assertEquals(late, result.rejected());
        assertEquals(rows - late, result.accepted());
        assertEquals(rows, progress.rows());
        assertEquals(late, progress.rejected());
        assertEquals(rows, publisher.acknowledged());
        List<String> expectedAccepted = new ArrayList<>();
        List<String> expectedRejected = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            (i % STATUSES.length == 3 ? expectedRejected : expectedAccepted).add(GeneratedAttendance.ref(i));
        }
        assertEquals(expectedAccepted, events.history().stream().map(r -> r.value().getSourceRef()).toList());
        assertEquals(expectedRejected, rejected.history().stream().map(r -> r.value().getSourceRef()).toList());
        for (ProducerRecord<String, FieldEvent> r : events.history()) {
            assertEquals(r.value().getAggregateId(), r.key());
        }
        assertNoSendingThreadLeft();
    }

    @Test
    void aReadFailureSurfacesAfterEveryRowReadBeforeItWasPublished() {
        int failAt = 3 * BackgroundPublisher.BATCH + 5;
        MockProducer<String, FieldEvent> events = events();
        EventPublisher publisher = new EventPublisher(events, rejected, topics);
        GeneratedAttendance source = new GeneratedAttendance(100_000, failAt);

        IOException e = assertThrows(IOException.class, () ->
                new Ingest(fixture.converter, fixture.known, publisher, Progress.silent()).run(source, Layout.ATTENDANCE));

        assertSame(source.failure, e);
        assertEquals(failAt, events.history().size() + rejected.history().size());
        assertNoSendingThreadLeft();
    }

    @Test
    void aSendFailureSurfacesAndStopsTheReaderWithinTheQueuedRows() {
        int failAt = 700;
        KafkaException failure = new KafkaException("broker said no");
        AtomicInteger sends = new AtomicInteger();
        MockProducer<String, FieldEvent> events = new MockProducer<>(true, null, new StringSerializer(),
                topics.events.valueSerde().serializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<String, FieldEvent> record, Callback callback) {
                if (sends.incrementAndGet() == failAt) {
                    throw failure;
                }
                return super.send(record, callback);
            }
        };
        EventPublisher publisher = new EventPublisher(events, rejected, topics);
        int rows = 200_000;
        GeneratedAttendance source = new GeneratedAttendance(rows, -1);

        KafkaException e = assertThrows(KafkaException.class, () ->
                new Ingest(fixture.converter, fixture.known, publisher, Progress.silent()).run(source, Layout.ATTENDANCE));

        assertSame(failure, e);
        assertEquals(failAt - 1, events.history().size());
        // the reader stops at its next hand-off once the sender failed: at most a full queue further on
        int bound = 2 * failAt + (BackgroundPublisher.QUEUED_BATCHES + 2) * BackgroundPublisher.BATCH;
        assertTrue(source.read < bound, "read " + source.read + " rows after the send failure, bound " + bound);
        assertNoSendingThreadLeft();
    }

    @Test
    void countsOnlyWhatKafkaAcknowledged() throws Exception {
        int rows = 3 * BackgroundPublisher.BATCH + 11;
        AtomicInteger sends = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        MockProducer<String, FieldEvent> events = new MockProducer<>(false, null, new StringSerializer(),
                topics.events.valueSerde().serializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<String, FieldEvent> record, Callback callback) {
                Future<RecordMetadata> f = super.send(record, callback);
                if (sends.incrementAndGet() % 7 == 0) {
                    refused.incrementAndGet();
                    errorNext(new KafkaException("not acknowledged"));
                } else {
                    completeNext();
                }
                return f;
            }
        };
        EventPublisher publisher = new EventPublisher(events, rejected, topics);

        Ingest.Result result = new Ingest(fixture.converter, fixture.known, publisher, Progress.silent())
                .run(new GeneratedAttendance(rows, -1), Layout.ATTENDANCE);

        long late = rows / STATUSES.length;
        assertEquals(rows, result.rows());
        assertEquals(rows - late - refused.get(), result.accepted(), "accepted counts acknowledged events only");
        assertEquals(refused.get(), result.failed());
        assertEquals(late, result.rejected());
        assertTrue(refused.get() > 0);
        assertNoSendingThreadLeft();
    }

    @Test
    void handsOverNothingAndEndsCleanlyForAnEmptyInput() throws Exception {
        MockProducer<String, FieldEvent> events = events();
        EventPublisher publisher = new EventPublisher(events, rejected, topics);

        Ingest.Result result = new Ingest(fixture.converter, fixture.known, publisher, Progress.silent())
                .run(new GeneratedAttendance(0, -1), Layout.ATTENDANCE);

        assertEquals(0, result.rows());
        assertTrue(events.history().isEmpty());
        assertTrue(rejected.history().isEmpty());
        assertNoSendingThreadLeft();
    }

    private MockProducer<String, FieldEvent> events() {
        return new MockProducer<>(true, null, new StringSerializer(), topics.events.valueSerde().serializer());
    }

    private static void assertNoSendingThreadLeft() {
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("fieldstream-ingest-send") && t.isAlive()), "a sending thread is still alive");
    }

    /**
     * Attendance rows over {@value #COHORTS} cohorts in turn; every fourth row has status "late", which
     * is rejected. Throws {@link #failure} when asked for row {@code failAt} (0-based), if not negative.
     */
    private static final class GeneratedAttendance implements RowSource {
        private final int rows;
        private final int failAt;
        private final IOException failure = new IOException("disk went away");
        private int read;

        GeneratedAttendance(int rows, int failAt) {
            this.rows = rows;
            this.failAt = failAt;
        }

        static String ref(int i) {
            return "gen.csv:" + (i + 2);
        }

        @Override
        public SourceRow next() throws IOException {
            if (read == failAt) {
                throw failure;
            }
            if (read == rows) {
                return null;
            }
            int i = read++;
            Map<String, String> values = new LinkedHashMap<>();
            values.put("cohort_id", "K" + i % COHORTS);
            values.put("session_number", Integer.toString(1 + i % 6));
            values.put("person_key", "P-" + i);
            values.put("status", STATUSES[i % STATUSES.length]);
            return SourceRow.of(Layout.ATTENDANCE, values, ref(i));
        }

        @Override
        public String name() {
            return "gen.csv";
        }

        @Override
        public void close() {
        }
    }
}
