package org.fieldstream.sink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
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
 * <p>While the writer fails (ClickHouse down), the same batch is retried with exponential backoff;
 * all partitions are paused and {@code poll} keeps being called, so the consumer keeps its group
 * membership and its place, and commits nothing.
 */
public final class SinkLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(SinkLoop.class);
    /** Dead letters logged one by one per report interval; the progress line counts the rest. */
    private static final int WARNED_DEAD_LETTERS = 20;
    /** A write running longer than this counts as blocked (ClickHouse stalled rather than failing). */
    private static final long STALLED_WRITE_MILLIS = 10_000;

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
    private final TableWriter writer;
    private final DeadLetters deadLetters;
    private static final String DEAD_LETTER_TABLE = "dead_letters";

    private final Map<String, TableMapping> mappings;
    /** Table to the columns its rows fill. */
    private final Map<String, List<String>> columns;
    private final String group;
    private final Options options;
    private final LongSupplier clock;
    private final Executor writeStage;
    private final SinkStats stats = new SinkStats();
    private final Set<TopicPartition> unpositioned = new HashSet<>();
    private final Backoff writeBackoff;
    private final Backoff positionBackoff;

    private Batch batch = new Batch();
    private InFlight inFlight;
    private boolean writeBlocked;
    private volatile boolean stopping;
    private long lastReportAt;
    private long rowsAtLastReport;
    private int deadLettersSinceReport;

    /**
     * @param writeStage runs batch writes; a single thread in production, the calling thread in
     *                   state-machine tests ({@code Runnable::run})
     */
    public SinkLoop(Consumer<String, byte[]> consumer, TableWriter writer, DeadLetters deadLetters,
                    Map<String, TableMapping> mappings, String group, Options options, LongSupplier clock,
                    Executor writeStage) {
        this.consumer = consumer;
        this.writer = writer;
        this.deadLetters = deadLetters;
        this.mappings = Map.copyOf(mappings);
        this.columns = columnsByTable(mappings.values());
        this.group = group;
        this.options = options;
        this.clock = clock;
        this.writeStage = writeStage;
        this.writeBackoff = new Backoff(options.backoffInitialMillis(), options.backoffMaxMillis());
        this.positionBackoff = new Backoff(options.backoffInitialMillis(), options.backoffMaxMillis());
        this.lastReportAt = clock.getAsLong();
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
        positionNewPartitions(now);
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
        if (inFlight == null && batch.due(options.batchRows(), options.batchMillis(), now)) {
            submit(batch);
            batch = new Batch();
            settle(now);
        }
        applyPauses();
        report(now);
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
            warnDeadLetter(record, reason);
            batch.addReject(record, reason, now);
        }
    }

    /** Each dead letter is a WARN naming its record and reason (never its content), up to a limit per report interval. */
    private void warnDeadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        if (++deadLettersSinceReport <= WARNED_DEAD_LETTERS) {
            LOG.warn("dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), reason);
        }
    }

    private void submit(Batch toWrite) {
        CompletableFuture<Void> write = CompletableFuture.runAsync(() -> writeBatch(toWrite), writeStage);
        inFlight = new InFlight(toWrite, write, System.nanoTime());
    }

    /** On the write stage: rows, then dead letters, then positions. The commit follows on the consumer thread. */
    private void writeBatch(Batch toWrite) {
        for (Map.Entry<String, List<Batch.Entry>> table : new ArrayList<>(toWrite.rowsByTable().entrySet())) {
            writeIsolating(toWrite, table.getKey(), List.copyOf(table.getValue()));
        }
        if (!toWrite.rejects().isEmpty()) {
            toWrite.rejects().forEach(r -> deadLetters.send(r.source(), r.reason()));
            deadLetters.flush();
        }
        writer.recordPositions(group, toWrite.nextOffsets());
    }

    /** Writes the rows; when the server refuses the data, halves the rows until the refused ones are found. */
    private void writeIsolating(Batch toWrite, String table, List<Batch.Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try {
            writer.write(table, columns.get(table), entries.stream().map(Batch.Entry::row).toList());
        } catch (WriteFailure e) {
            if (!e.rejectsData()) {
                throw e;
            }
            if (entries.size() == 1) {
                ConsumerRecord<String, byte[]> source = entries.get(0).source();
                if (table.equals(DEAD_LETTER_TABLE)) {
                    // a dead letter is never dead-lettered again: that would loop on its own topic
                    LOG.error("ClickHouse refused the dead-letter row from {}-{}@{}; skipped: {}", source.topic(),
                            source.partition(), source.offset(), ServerMessages.summary(e.getMessage()));
                    toWrite.drop(table, entries);
                    return;
                }
                String reason = "ClickHouse refused the row: " + ServerMessages.summary(e.getMessage());
                warnDeadLetter(source, reason);
                toWrite.reject(table, entries, reason);
                return;
            }
            int half = entries.size() / 2;
            writeIsolating(toWrite, table, entries.subList(0, half));
            writeIsolating(toWrite, table, entries.subList(half, entries.size()));
        }
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

    private void positionNewPartitions(long now) {
        if (unpositioned.isEmpty() || !positionBackoff.due(now)) {
            return;
        }
        Set<TopicPartition> pending = Set.copyOf(unpositioned);
        try {
            Map<TopicPartition, Long> stored = writer.positions(group, pending);
            for (TopicPartition tp : pending) {
                Long written = stored.get(tp);
                if (written != null && written > consumer.position(tp)) {
                    LOG.info("resuming {} at offset {}: rows up to there are already written", tp, written);
                    consumer.seek(tp, written);
                }
            }
            unpositioned.removeAll(pending);
            positionBackoff.reset();
        } catch (WriteFailure e) {
            stats.retry();
            long delay = positionBackoff.fail(now);
            LOG.warn("cannot read written positions of {} partitions, retry in {} ms: {}", pending.size(), delay, e.getMessage());
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
        Set<TopicPartition> pause = new HashSet<>(writeBlocked || full ? assignment : unpositioned);
        pause.retainAll(assignment);
        Set<TopicPartition> resume = new HashSet<>(assignment);
        resume.removeAll(pause);
        consumer.pause(pause);
        consumer.resume(resume);
    }

    private void report(long now) {
        long running = writeRunningMillis();
        stats.writeRunning(running);
        stats.blocked(writeBlocked || running >= STALLED_WRITE_MILLIS);
        if (now - lastReportAt < options.statsIntervalMillis()) {
            return;
        }
        long lag = lag();
        stats.lag(lag);
        long rows = stats.getRowsWritten();
        double seconds = Math.max(1, now - lastReportAt) / 1000.0;
        if (running >= STALLED_WRITE_MILLIS) {
            LOG.warn("a write to ClickHouse has been running for {} s (server slow or stalled); nothing is committed meanwhile",
                    running / 1000);
        }
        LOG.info("sink progress: group={} rows_written={} rows_per_s={} lag={} retries={} dead_letters={} blocked={} write_running_ms={}",
                group, rows, Math.round((rows - rowsAtLastReport) / seconds), lag, stats.getWriteRetries(),
                stats.getDeadLettered(), stats.isBlocked(), running);
        lastReportAt = now;
        rowsAtLastReport = rows;
        deadLettersSinceReport = 0;
    }

    /** How long the write in flight has been running; 0 when none runs. */
    private long writeRunningMillis() {
        InFlight current = inFlight;
        if (current == null || current.write() == null || current.write().isDone()) {
            return 0;
        }
        return (System.nanoTime() - current.startedNanos()) / 1_000_000;
    }

    private long lag() {
        long total = 0;
        try {
            for (TopicPartition tp : consumer.assignment()) {
                OptionalLong lag = consumer.currentLag(tp);
                if (lag.isPresent()) {
                    total += lag.getAsLong();
                }
            }
            return total;
        } catch (UnsupportedOperationException | IllegalStateException e) {
            return -1;
        }
    }

    private static String reason(RuntimeException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Partitions handed over in a rebalance: write what was read if possible, else forget it. */
    private void handOver(Collection<TopicPartition> partitions, boolean tryWrite) {
        unpositioned.removeAll(partitions);
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
            unpositioned.addAll(partitions);
            consumer.pause(partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            handOver(partitions, true);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            handOver(partitions, false);
        }
    }

    /** Exponential backoff: initial, doubled per failure, capped. */
    private static final class Backoff {
        private final long initial;
        private final long max;
        private long current;
        private long nextAt;
        private int failures;

        Backoff(long initial, long max) {
            this.initial = initial;
            this.max = max;
            this.current = initial;
        }

        boolean due(long now) {
            return now >= nextAt;
        }

        long fail(long now) {
            long delay = current;
            nextAt = now + delay;
            current = Math.min(max, current * 2);
            failures++;
            return delay;
        }

        int failures() {
            return failures;
        }

        void reset() {
            current = initial;
            nextAt = 0;
            failures = 0;
        }
    }
}
