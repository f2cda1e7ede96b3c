package org.fieldstream.producers;

import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Publishes outcomes on one background thread, so the ingest thread reads and validates the next rows
 * while this one Avro-encodes and sends the previous ones (each is about half of a row's CPU; see
 * IngestBenchmark). Outcomes travel in batches through a bounded queue, so a slow broker holds the
 * reader back instead of filling memory.
 *
 * <p>Order: one sending thread taking batches from one FIFO queue publishes in exactly the order
 * handed over, so every Kafka key keeps its order. Failure: the sending thread stops at its first
 * exception, which the caller gets at its next hand-off or at {@link #finish()}; when the caller
 * fails instead, {@link #close()} still sends what was handed over (events the registry has already
 * learnt) before it returns. Not thread safe: one caller thread.
 */
final class BackgroundPublisher implements AutoCloseable {

    static final int BATCH = 256;
    static final int QUEUED_BATCHES = 64;

    /** Marks the end of the input; compared by identity. */
    private static final List<Outcome> END = new ArrayList<>(0);
    private static final long OFFER_WAIT_MS = 100;

    private final Consumer<Outcome> sink;
    private final BlockingQueue<List<Outcome>> queue = new ArrayBlockingQueue<>(QUEUED_BATCHES);
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean aborted;
    private List<Outcome> batch = new ArrayList<>(BATCH);
    private boolean ended;
    private boolean failureThrown;

    BackgroundPublisher(Consumer<Outcome> sink) {
        this.sink = sink;
        this.thread = new Thread(this::sendAll, "fieldstream-ingest-send");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues one outcome; throws the sending thread's failure, if it failed. */
    void publish(Outcome outcome) throws InterruptedIOException {
        batch.add(outcome);
        if (batch.size() == BATCH) {
            handOff(batch);
            batch = new ArrayList<>(BATCH);
        }
    }

    /** Returns once every queued outcome was handed to the sink; throws the sending thread's failure. */
    void finish() throws InterruptedIOException {
        end();
        rethrowFailure();
    }

    /** As {@link #finish()} when it was not called: an exception of the caller still sends what was queued. */
    @Override
    public void close() throws InterruptedIOException {
        if (!ended) {
            finish();
        }
    }

    private void end() throws InterruptedIOException {
        ended = true;
        try {
            if (!batch.isEmpty()) {
                handOff(batch);
            }
            handOff(END);
        } finally {
            batch = List.of();
            join();
        }
    }

    private void handOff(List<Outcome> items) throws InterruptedIOException {
        try {
            while (!stopped() && !queue.offer(items, OFFER_WAIT_MS, TimeUnit.MILLISECONDS)) {
                // the queue stays full when the sending thread has died: never wait for it then
                if (!thread.isAlive() && !stopped()) {
                    throw new IllegalStateException("the sending thread has stopped");
                }
            }
        } catch (InterruptedException e) {
            aborted = true;
            thread.interrupt();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while handing rows to the sending thread");
        }
        rethrowFailure();
    }

    /** Whether the sending thread stopped at a failure: then nothing more is handed over. */
    private boolean stopped() {
        return failure.get() != null;
    }

    private void join() throws InterruptedIOException {
        try {
            thread.join();
        } catch (InterruptedException e) {
            aborted = true;
            thread.interrupt();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the sending thread");
        }
    }

    private void sendAll() {
        try {
            for (List<Outcome> items = queue.take(); items != END && !aborted; items = queue.take()) {
                for (Outcome outcome : items) {
                    sink.accept(outcome);
                }
            }
        } catch (InterruptedException e) {
            // only the caller interrupts this thread, after it gave up
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure.set(e);
        } catch (Error e) {
            failure.set(new IllegalStateException("the sending thread failed: " + e, e));
        }
    }

    /** Throws the sending thread's failure, once: a later close must not throw it again onto itself. */
    private void rethrowFailure() {
        RuntimeException e = failure.get();
        if (e != null && !failureThrown) {
            failureThrown = true;
            throw e;
        }
    }
}
