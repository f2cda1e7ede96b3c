package org.fieldstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.fieldstream.events.AvroCodec;
import org.fieldstream.events.EarlyCredit;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.Topics;
import org.fieldstream.metrics.CohortRetention;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SinkLoopTest {

    private static final Topics TOPICS = new Topics("u.");
    private static final TopicPartition EVENTS = new TopicPartition(TOPICS.events.name(), 0);
    private static final TopicPartition RETENTION = new TopicPartition(TOPICS.cohortRetention.name(), 0);
    private static final Duration POLL = Duration.ofMillis(1);
    private static final AvroCodec<FieldEvent> EVENT_CODEC = AvroCodec.of(FieldEvent.class);
    private static final AvroCodec<CohortRetention> RETENTION_CODEC = AvroCodec.of(CohortRetention.class);

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final InMemoryTableWriter writer = new InMemoryTableWriter();
    private final RecordingDeadLetters deadLetters = new RecordingDeadLetters();
    /** Rows in the writer and dead letters flushed at each commit, to prove write-before-commit. */
    private final List<String> commits = new ArrayList<>();
    private CommitCheckingConsumer consumer;
    private SinkLoop loop;

    private final class CommitCheckingConsumer extends MockConsumer<String, byte[]> {
        final List<Duration> pollTimeouts = new ArrayList<>();

        CommitCheckingConsumer() {
            super("earliest");
        }

        @Override
        public synchronized ConsumerRecords<String, byte[]> poll(Duration timeout) {
            pollTimeouts.add(timeout);
            return super.poll(timeout);
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
                long written = writer.recordedPositions("g").getOrDefault(e.getKey(), -1L);
                assertEquals(written, e.getValue().offset(), "position recorded in the writer before the commit");
            }
            commits.add(writer.totalRows() + "+" + deadLetters.flushed().size());
            super.commitSync(offsets);
        }
    }

    @BeforeEach
    void start() {
        start(Runnable::run);
    }

    private void start(Executor writeStage) {
        consumer = new CommitCheckingConsumer();
        loop = new SinkLoop(consumer, writer, deadLetters, TableMappings.of(TOPICS), "g",
                new SinkLoop.Options(3, 1_000, 100, 400, 60_000), clock::get, writeStage);
        loop.subscribe();
        consumer.updateBeginningOffsets(Map.of(EVENTS, 0L, RETENTION, 0L));
        consumer.rebalance(List.of(EVENTS, RETENTION));
    }

    private void addEvent(long offset, String eventId) {
        FieldEvent event = Samples.event(eventId, "r-" + eventId, 1, "C1", Samples.session("C1", (int) offset + 1));
        consumer.addRecord(new ConsumerRecord<>(EVENTS.topic(), 0, offset, "C1", EVENT_CODEC.encode(event)));
    }

    private void addRetention(long offset, long version) {
        CohortRetention value = Samples.retention("C1", version, 4);
        consumer.addRecord(new ConsumerRecord<>(RETENTION.topic(), 0, offset, "C1|all|all", RETENTION_CODEC.encode(value)));
    }

    private Long committed(TopicPartition tp) {
        OffsetAndMetadata offset = consumer.committed(Set.of(tp)).get(tp);
        return offset == null ? null : offset.offset();
    }

    private void steps(int n) {
        for (int i = 0; i < n; i++) {
            loop.step(POLL);
        }
    }

    @Test
    void commitsOnlyAfterTheFullBatchIsWritten() {
        loop.step(POLL); // positions the new partitions
        addEvent(0, "e0");
        addEvent(1, "e1");
        loop.step(POLL);
        assertEquals(0, writer.totalRows(), "two records: batch not due yet");
        assertNull(committed(EVENTS));

        addRetention(0, 1);
        loop.step(POLL);
        assertEquals(2, writer.rows("field_events").size());
        assertEquals(1, writer.rows("cohort_retention").size());
        assertEquals(2L, committed(EVENTS));
        assertEquals(1L, committed(RETENTION));
        assertEquals(List.of("3+0"), commits);
    }

    @Test
    void readsTheNextBatchWhileOneIsWrittenAndCommitsEachOnlyAfterItsWrite() {
        Deque<Runnable> writes = new ArrayDeque<>();
        start(writes::add);
        loop.step(POLL);
        addEvent(0, "e0");
        addEvent(1, "e1");
        addEvent(2, "e2");
        loop.step(POLL);
        assertEquals(1, writes.size(), "first batch handed to the write stage");
        addEvent(3, "e3");
        addEvent(4, "e4");
        addEvent(5, "e5");
        loop.step(POLL);
        assertEquals(1, writes.size(), "one batch in flight at most");
        assertEquals(Set.of(EVENTS, RETENTION), consumer.paused(), "next batch full: reading paused");
        assertNull(committed(EVENTS));
        writes.poll().run();
        assertNull(committed(EVENTS), "commits happen on the consumer thread");
        loop.step(POLL);
        assertEquals(3L, committed(EVENTS));
        assertEquals(1, writes.size(), "second batch handed over after the first was committed");
        writes.poll().run();
        loop.step(POLL);
        assertEquals(6L, committed(EVENTS));
        assertEquals(List.of("e0", "e1", "e2", "e3", "e4", "e5"),
                writer.rows("field_events").stream().map(r -> r.get("event_id")).toList());
        assertTrue(consumer.paused().isEmpty());
    }

    @Test
    void aReadyBatchWaitsOnTheWriteInFlightInsteadOfBlockingInPoll() {
        Deque<Runnable> writes = new ArrayDeque<>();
        start(writes::add);
        loop.step(POLL);
        addEvent(0, "e0");
        addEvent(1, "e1");
        addEvent(2, "e2");
        loop.step(POLL);
        addEvent(3, "e3");
        addEvent(4, "e4");
        addEvent(5, "e5");
        loop.step(POLL);
        assertEquals(POLL, consumer.pollTimeouts.get(consumer.pollTimeouts.size() - 1), "nothing ready yet: an ordinary poll");
        loop.step(POLL);
        assertEquals(Duration.ZERO, consumer.pollTimeouts.get(consumer.pollTimeouts.size() - 1),
                "the next batch is full and a write in flight: poll returns at once, the loop waits on the write");
        writes.poll().run();
        loop.step(POLL);
        assertEquals(3L, committed(EVENTS));
        assertEquals(1, writes.size(), "the next batch goes out in the same step the previous one is committed");
    }

    @Test
    void writesASmallBatchOnceItIsOldEnough() {
        loop.step(POLL);
        addEvent(0, "e0");
        loop.step(POLL);
        assertEquals(0, writer.totalRows());
        clock.addAndGet(999);
        loop.step(POLL);
        assertEquals(0, writer.totalRows());
        clock.addAndGet(1);
        loop.step(POLL);
        assertEquals(1, writer.totalRows());
        assertEquals(1L, committed(EVENTS));
    }

    @Test
    void writesSmallBatchesAtOnceAfterAQuietSpellAtMostOnePerIntervalOnAverage() {
        loop.step(POLL);
        clock.addAndGet(999);
        addEvent(0, "e0");
        loop.step(POLL);
        assertEquals(0, writer.totalRows(), "a new loop: no early write before an interval has passed");
        clock.addAndGet(1);
        loop.step(POLL);
        assertEquals(1, writer.totalRows(), "an interval of quiet: written though the batch is 1 ms old");
        clock.addAndGet(10_000);
        long offset = 1;
        for (int i = 0; i < EarlyCredit.SAVED; i++) {
            addEvent(offset, "e" + offset);
            offset++;
            loop.step(POLL);
            assertEquals(offset, writer.totalRows(), "after a quiet spell: each small batch written at once");
        }
        addEvent(offset, "e" + offset);
        loop.step(POLL);
        assertEquals(offset, writer.totalRows(), "the saved early writes spent: the batch waits");
        clock.addAndGet(500);
        loop.step(POLL);
        assertEquals(offset, writer.totalRows(), "half an interval of credit: still waits");
        clock.addAndGet(500);
        loop.step(POLL);
        assertEquals(offset + 1, writer.totalRows(), "an interval of credit again");
        assertEquals(Long.valueOf(offset + 1), committed(EVENTS));
    }

    @Test
    void retriesTheSameBatchWithBackoffWhileTheWriterIsDownAndKeepsItsPlace() {
        loop.step(POLL);
        addEvent(0, "e0");
        addEvent(1, "e1");
        addEvent(2, "e2");
        writer.failNext(3);
        loop.step(POLL); // attempt 1 fails, next in 100 ms
        assertTrue(loop.stats().isBlocked());
        assertEquals(Set.of(EVENTS, RETENTION), consumer.paused(), "all partitions paused while blocked");
        addEvent(3, "e3");
        steps(5);
        assertEquals(1, writer.writeCalls, "no retry before the backoff passed");
        clock.addAndGet(100);
        loop.step(POLL); // attempt 2 fails, next in 200 ms
        clock.addAndGet(199);
        loop.step(POLL);
        assertEquals(2, writer.writeCalls);
        clock.addAndGet(1);
        loop.step(POLL); // attempt 3 fails, next in 400 ms (the cap)
        clock.addAndGet(400);
        loop.step(POLL); // attempt 4 succeeds
        assertEquals(4, writer.writeCalls);
        assertEquals(3, loop.stats().getWriteRetries());
        assertNull(committed(RETENTION), "nothing read from it, nothing committed");
        assertEquals(3L, committed(EVENTS), "exactly the written batch is committed");
        assertEquals(List.of("e0", "e1", "e2"), writer.rows("field_events").stream().map(r -> r.get("event_id")).toList());
        assertFalse(loop.stats().isBlocked());
        assertTrue(consumer.paused().isEmpty(), "resumed after the write");

        steps(2);
        clock.addAndGet(1_000);
        loop.step(POLL);
        assertEquals(List.of("e0", "e1", "e2", "e3"), writer.rows("field_events").stream().map(r -> r.get("event_id")).toList(),
                "the record that arrived while blocked is neither lost nor doubled");
        assertEquals(4L, committed(EVENTS));
    }

    @Test
    void deadLettersWhatCannotBeDecodedAndGoesOn() {
        loop.step(POLL);
        addEvent(0, "e0");
        consumer.addRecord(new ConsumerRecord<>(EVENTS.topic(), 0, 1, "C1", new byte[] {0, 1, 2}));
        addEvent(2, "e2");
        loop.step(POLL);
        assertEquals(2, writer.rows("field_events").size());
        assertEquals(1, deadLetters.flushed().size());
        RecordingDeadLetters.Letter letter = deadLetters.flushed().get(0);
        assertEquals(EVENTS.topic(), letter.topic());
        assertEquals(1, letter.offset());
        assertTrue(letter.reason().contains("FieldEvent"), letter.reason());
        assertEquals(List.of("2+1"), commits, "dead letters flushed before the commit");
        assertEquals(3L, committed(EVENTS));
        assertEquals(1, loop.stats().getDeadLettered());
    }

    @Test
    void isolatesRowsTheServerRefusesAndWritesTheRest() {
        loop.step(POLL);
        writer.refuseRows(row -> "e1".equals(row.get("event_id")));
        addEvent(0, "e0");
        addEvent(1, "e1");
        addEvent(2, "e2");
        loop.step(POLL);
        assertEquals(List.of("e0", "e2"), writer.rows("field_events").stream().map(r -> r.get("event_id")).toList());
        assertEquals(1, deadLetters.flushed().size());
        assertEquals(1, deadLetters.flushed().get(0).offset());
        assertTrue(deadLetters.flushed().get(0).reason().startsWith("ClickHouse refused the row"));
        assertEquals(3L, committed(EVENTS));
    }

    @Test
    void resumesAfterThePositionRecordedInTheWriterWhenTheCommitWasLost() {
        reassignedWithRecordedEventsPosition(2L);
        addEvent(0, "e0");
        addEvent(1, "e1");
        addEvent(2, "e2");
        loop.step(POLL); // seeks EVENTS to 2 before any record is read
        steps(2);
        clock.addAndGet(1_000);
        loop.step(POLL);
        assertEquals(List.of("e2"), writer.rows("field_events").stream().map(r -> r.get("event_id")).toList());
        assertEquals(3L, committed(EVENTS));
    }

    @Test
    void commitsARecordedPositionAheadOfTheGroupEvenWhenNothingNewArrives() {
        reassignedWithRecordedEventsPosition(2L);
        addEvent(0, "e0");
        addEvent(1, "e1"); // written by a sink that died before committing; nothing after them
        loop.step(POLL);
        assertEquals(2L, committed(EVENTS), "the group's offset catches up with what is written: its lag is true");
        assertEquals(List.of(), writer.rows("field_events"));
    }

    /** The writer holds {@code position} for the events partition (its commit to Kafka was lost); then the partitions are assigned. */
    private void reassignedWithRecordedEventsPosition(long position) {
        writer.recordPositions("g", Map.of(EVENTS, position));
        consumer.rebalance(List.of());
        consumer.rebalance(List.of(EVENTS, RETENTION));
    }

    @Test
    void readsNothingFromNewPartitionsUntilTheirPositionIsKnown() {
        consumer.rebalance(List.of());
        writer.failNext(1);
        consumer.rebalance(List.of(EVENTS, RETENTION));
        addEvent(0, "e0");
        loop.step(POLL); // position lookup fails: partitions stay paused
        assertEquals(Set.of(EVENTS, RETENTION), consumer.paused());
        clock.addAndGet(100);
        loop.step(POLL);
        assertTrue(consumer.paused().isEmpty());
        clock.addAndGet(1_000);
        steps(2);
        assertEquals(1, writer.rows("field_events").size());
    }

    @Test
    void unwrittenBatchIsDroppedOnRevocationAndReadAgain() {
        loop.step(POLL);
        addEvent(0, "e0");
        writer.failNext(10);
        loop.step(POLL);
        clock.addAndGet(1_000);
        loop.step(POLL);
        assertTrue(loop.stats().isBlocked());
        consumer.rebalance(List.of(RETENTION)); // EVENTS revoked while blocked: the batch is forgotten
        assertFalse(loop.stats().isBlocked());
        assertNull(committed(EVENTS));
        assertEquals(0, writer.totalRows());
    }
}
