package org.fieldstream.sink;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.fieldstream.events.EarlyCredit;
import org.fieldstream.sink.TableWriter.WriteFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the sink's topics and writes them as rows, batch by batch: map every record (or set it
 * aside for the dead-letter topic); hand the full batch to the write stage, which writes its rows,
 * dead-letters its rejects and records its positions in the writer; only once that has succeeded
 * commit the batch's offsets. The consumer thread reads the next batch while one is being written
 * (at most one batch in flight), and commits on its own thread, as Kafka requires.
 *
 * <p><b>Idempotency invariant</b> (enforced here, by writing before committing, and by the tables):
 * every row is a pure function of its Kafka record, and every table keeps one row per key, the one
 * with the highest version, where a key's version never decreases along its topic (see
 * {@link TableMappings}). So writing any record again — a retried batch, a replay after a crash
 * between write and commit — leaves what the FINAL views show unchanged, and committing only after
 * the write means nothing is skipped. A restarted sink resumes at the later of its committed offset
 * and the position recorded in the writer.
 *
 * <p>A batch is written when it holds {@code batchRows} records, when it is {@code batchMillis} old,
 * or at once while its {@link EarlyCredit} (one early write per {@code batchMillis}) allows: after a
 * quiet spell the first few small batches go out as soon as they are read, while under load the
 * batches that are not full come at most one per {@code batchMillis} on average, as by age alone.
 *
 * <p>While the writer fails (ClickHouse down), the same batch is retried with exponential backoff;
 * all partitions are paused and {@code poll} keeps being called, so the consumer keeps its group
 * membership and its place, and commits nothing.
 */
public final class SinkLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(SinkLoop.class);

    /** Batch bounds and retry pacing. A batch may exceed {@code batchRows} by one poll's records. */
    public record Options(int batchRows, long batchMillis, long backoffInitialMillis, long backoffMaxMillis,
                          long statsIntervalMillis) {
        public Options {
            if (batchRows < 1 || batchMillis < 1 || backoffInitialMillis < 1 || backoffMaxMillis < backoffInitialMillis) {
                throw new IllegalArgumentException("invalid sink loop options " + this);
            }
        }
    }

    /** A batch handed to the write stage, and its latest attempt (null once that failed, until the retry). */
    private record InFlight(Batch batch, CompletableFuture<Void> write, long startedNanos) {
    }

    private final Consumer<String, byte[]> consumer;
    private final Map<String, TableMapping> mappings;
    private final String group;
    private final Options options;
    private final LongSupplier clock;
    private final Executor writeStage;
    private final SinkStats stats = new SinkStats();
    private final BatchWriter batchWriter;
    private final PartitionPositions positions;
    private final Backoff writeBackoff;

    private Batch batch = new Batch();
    private final EarlyCredit earlyWrites;
    private InFlight inFlight;
    private boolean writeBlocked;
    private volatile boolean stopping;
    private final SinkProgress progress;

    /**
     * @param writeStage runs batch writes; a single thread in production, the calling thread in
     *                   state-machine tests ({@code Runnable::run})
     */
    public SinkLoop(Consumer<String, byte[]> consumer, TableWriter writer, DeadLetters deadLetters,
                    Map<String, TableMapping> mappings, String group, Options options, LongSupplier clock,
                    Executor writeStage) {
        this.consumer = consumer;
        this.mappings = Map.copyOf(mappings);
        this.group = group;
        this.progress = new SinkProgress(consumer, stats, group, options.statsIntervalMillis(), clock.getAsLong());
        this.batchWriter = new BatchWriter(writer, deadLetters, columnsByTable(mappings.values()), group, progress::deadLetter);
        this.options = options;
        this.clock = clock;
        this.writeStage = writeStage;
        this.earlyWrites = EarlyCredit.empty(options.batchMillis(), clock.getAsLong());
        this.writeBackoff = new Backoff(options.backoffInitialMillis(), options.backoffMaxMillis());
        this.positions = new PartitionPositions(consumer, writer, group,
                new Backoff(options.backoffInitialMillis(), options.backoffMaxMillis()), stats);
    }

    private static Map<String, List<String>> columnsByTable(Collection<TableMapping> mappings) {
        Map<String, List<String>> byTable = new HashMap<>();
        for (TableMapping mapping : mappings) {
            List<String> previous = byTable.putIfAbsent(mapping.table(), mapping.mapper().columns());
            if (previous != null && !previous.equals(mapping.mapper().columns())) {
                throw new IllegalArgumentException("topics writing to " + mapping.table() + " fill different columns");
            }
        }
        return Map.copyOf(byTable);
    }

    /** The production write stage: one daemon thread named after the group. */
    public static ExecutorService writeThread(String group) {
        return Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "sink-writer-" + group);
            thread.setDaemon(true);
            return thread;
        });
    }

    public SinkStats stats() {
        return stats;
    }

    /** Subscribes and loops until {@link #stop()}; the caller closes the consumer afterwards. */
    @Override
    public void run() {
        subscribe();
        try {
            while (!stopping) {
                step(Duration.ofMillis(Math.min(100, options.batchMillis())));
            }
        } catch (WakeupException e) {
            if (!stopping) {
                throw e;
            }
        }
        drain();
        LOG.info("sink loop stopped: group={} rows_written={} retries={} dead_letters={} unwritten_records={}",
                group, stats.getRowsWritten(), stats.getWriteRetries(), stats.getDeadLettered(),
                batch.records() + (inFlight == null ? 0 : inFlight.batch().records()));
    }

    /** Asks the loop to stop; safe from any thread (the shutdown hook). */
    public void stop() {
        stopping = true;
        consumer.wakeup();
    }

    void subscribe() {
        consumer.subscribe(mappings.keySet(), new Rebalance());
    }

    /** One turn: position new partitions, poll, map, settle or start a write, report. */
    void step(Duration maxPoll) {
        long now = clock.getAsLong();
        positions.position(now);
        applyPauses();
        boolean nextWaits = nextBatchWaits(now);
        // a ready batch waits for the write in flight: poll without blocking, then wait on the write
        // itself, so the next batch goes out as soon as it is done rather than after a full poll
        for (ConsumerRecord<String, byte[]> record : consumer.poll(nextWaits ? Duration.ZERO : maxPoll)) {
            accept(record, clock.getAsLong());
        }
        if (nextWaits) {
            awaitWrite(maxPoll);
        }
        now = clock.getAsLong();
        settle(now);
        if (inFlight != null && inFlight.write() == null && writeBackoff.due(now)) {
            submit(inFlight.batch());
            settle(now);
        }
        if (inFlight == null && due(now)) {
            if (batch.records() < options.batchRows()) {
                earlyWrites.spend(now);
            }
            submit(batch);
            batch = new Batch();
            settle(now);
        }
        applyPauses();
        progress.report(now, writeRunningMillis(), writeBlocked);
    }

    /** Full or old enough, or holding records while an early write is available. */
    private boolean due(long now) {
        return batch.due(options.batchRows(), options.batchMillis(), now)
                || batch.records() > 0 && earlyWrites.available(now);
    }

    private boolean nextBatchWaits(long now) {
        return inFlight != null && inFlight.write() != null && !inFlight.write().isDone()
                && batch.due(options.batchRows(), options.batchMillis(), now);
    }

    /** Waits up to {@code max} for the write in flight to finish; its outcome is settled afterwards. */
    private void awaitWrite(Duration max) {
        try {
            inFlight.write().get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException | CompletionException e) {
            // still running, or failed: settle() looks at it next
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void accept(ConsumerRecord<String, byte[]> record, long now) {
        TableMapping mapping = mappings.get(record.topic());
        try {
            batch.addRow(mapping.table(), record, mapping.mapper().map(record), now);
        } catch (RuntimeException e) {
            String reason = reason(e);
            progress.deadLetter(record, reason);
            batch.addReject(record, reason, now);
        }
    }

    private void submit(Batch toWrite) {
        CompletableFuture<Void> write = CompletableFuture.runAsync(() -> batchWriter.write(toWrite), writeStage);
        inFlight = new InFlight(toWrite, write, System.nanoTime());
    }

    /** If the batch in flight has finished: commit it, or schedule its retry. */
    private void settle(long now) {
        if (inFlight == null || inFlight.write() == null || !inFlight.write().isDone()) {
            return;
        }
        InFlight done = inFlight;
        Throwable failure = failureOf(done.write());
        if (failure == null) {
            commitWritten(done);
            return;
        }
        if (!(failure instanceof WriteFailure || failure instanceof KafkaException || failure instanceof IllegalStateException)) {
            throw new IllegalStateException("unexpected failure writing a batch", failure);
        }
        inFlight = new InFlight(done.batch(), null, done.startedNanos());
        stats.retry();
        writeBlocked = true;
        stats.blocked(true);
        long delay = writeBackoff.fail(now);
        if (ServerMessages.diskFull(failure.getMessage())) {
            LOG.error("ClickHouse's disk is full (Code: {} NOT_ENOUGH_SPACE): batch of {} records not written, kept in Kafka and"
                    + " retried ({}) in {} ms; free space on the ClickHouse server's disk", ServerMessages.NOT_ENOUGH_SPACE,
                    done.batch().records(), writeBackoff.failures(), delay);
            return;
        }
        LOG.warn("batch of {} records not written, retry {} in {} ms: {}", done.batch().records(), writeBackoff.failures(),
                delay, failure.getMessage());
    }

    private void commitWritten(InFlight done) {
        Batch written = done.batch();
        inFlight = null;
        long writeMillis = (System.nanoTime() - done.startedNanos()) / 1_000_000;
        try {
            commit(written.nextOffsets());
        } catch (CommitFailedException | RebalanceInProgressException e) {
            // rows and positions are written; whoever owns the partitions now resumes after them
            LOG.warn("offset commit lost to a rebalance after the batch was written: {}", e.getMessage());
        }
        stats.batchWritten(written.rows(), written.rejects().size());
        LOG.debug("batch written: records={} rows={} rejects={} write_ms={}", written.records(), written.rows(),
                written.rejects().size(), writeMillis);
        unblock();
    }

    private void commit(Map<TopicPartition, Long> next) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Set<TopicPartition> assigned = consumer.assignment();
        next.forEach((tp, offset) -> {
            if (assigned.contains(tp)) {
                offsets.put(tp, new OffsetAndMetadata(offset));
            }
        });
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
        }
    }

    private static Throwable failureOf(CompletableFuture<Void> write) {
        try {
            write.get();
            return null;
        } catch (ExecutionException | CompletionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    private void unblock() {
        writeBlocked = false;
        stats.blocked(false);
        writeBackoff.reset();
    }

    /** Waits for the batch in flight, then writes what is left once; used on stop and on revocation. */
    private void drain() {
        if (inFlight != null && inFlight.write() != null) {
            inFlight.write().exceptionally(e -> null).join();
            settle(clock.getAsLong());
        }
        if (inFlight == null && !writeBlocked && !batch.isEmpty()) {
            submit(batch);
            batch = new Batch();
            inFlight.write().exceptionally(e -> null).join();
            settle(clock.getAsLong());
        }
    }

    /**
     * Pauses every partition while a write is failing or while the next batch is full and the
     * previous one still in flight (that bounds memory to two batches); otherwise pauses only
     * partitions whose written position is not known yet.
     */
    private void applyPauses() {
        Set<TopicPartition> assignment = consumer.assignment();
        boolean full = inFlight != null && batch.records() >= options.batchRows();
        Set<TopicPartition> pause = new HashSet<>(writeBlocked || full ? assignment : positions.pending());
        pause.retainAll(assignment);
        Set<TopicPartition> resume = new HashSet<>(assignment);
        resume.removeAll(pause);
        consumer.pause(pause);
        consumer.resume(resume);
    }

    /** How long the write in flight has been running; 0 when none runs. */
    private long writeRunningMillis() {
        InFlight current = inFlight;
        if (current == null || current.write() == null || current.write().isDone()) {
            return 0;
        }
        return (System.nanoTime() - current.startedNanos()) / 1_000_000;
    }

    private static String reason(RuntimeException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Partitions handed over in a rebalance: write what was read if possible, else forget it. */
    private void handOver(Collection<TopicPartition> partitions, boolean tryWrite) {
        positions.handedOver(partitions);
        if (tryWrite) {
            drain();
        } else if (inFlight != null && inFlight.write() != null) {
            inFlight.write().exceptionally(e -> null).join(); // never leave a write running behind a rebalance
        }
        if (inFlight == null && batch.isEmpty()) {
            return;
        }
        // nothing below is committed: partitions kept go back to where the oldest unwritten batch began
        Map<TopicPartition, Long> first = new HashMap<>(batch.firstOffsets());
        if (inFlight != null) {
            first.putAll(inFlight.batch().firstOffsets());
        }
        Set<TopicPartition> kept = new HashSet<>(consumer.assignment());
        kept.removeAll(partitions);
        first.forEach((tp, offset) -> {
            if (kept.contains(tp)) {
                consumer.seek(tp, offset);
            }
        });
        LOG.info("dropped {} unwritten records on rebalance; they will be read again",
                batch.records() + (inFlight == null ? 0 : inFlight.batch().records()));
        batch = new Batch();
        inFlight = null;
        unblock();
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // no records from a new partition until its written position is known
            positions.assigned(partitions);
            consumer.pause(partitions);
            if (!partitions.isEmpty()) {
                LOG.info("partitions assigned: group={} gained {} of them, {} in all", group, partitions.size(),
                        consumer.assignment().size());
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                LOG.info("partitions revoked: group={} handing over {} of them", group, partitions.size());
            }
            handOver(partitions, true);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                LOG.warn("partitions lost: group={} {} of them taken without a handover (the group moved on)", group,
                        partitions.size());
            }
            handOver(partitions, false);
        }
    }
}
