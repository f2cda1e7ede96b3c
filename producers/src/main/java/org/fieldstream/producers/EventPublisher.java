package org.fieldstream.producers;

import java.io.InterruptedIOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.RejectedRecord;
import org.fieldstream.events.Topics;

/**
 * Sends accepted events to the events topic, keyed by aggregate id (so a cohort's or dialogue's events
 * share a partition and keep their order), and rejections to the rejected topic, keyed by partner id.
 * Sends are asynchronous; {@link #flush()} waits for every acknowledgement and fails if any send
 * failed, so a caller that flushed successfully knows everything is durably in Kafka (acks=all).
 * A {@link Tally} counts one input's sends and acknowledgements on its own, so that concurrent inputs
 * sharing the producers each wait for their own records only, and each summary counts what Kafka
 * acknowledged, not what was handed over.
 */
public final class EventPublisher {

    private final Producer<String, FieldEvent> events;
    private final Producer<String, RejectedRecord> rejected;
    private final Topics topics;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final AtomicLong acknowledged = new AtomicLong();
    private final Callback callback = (metadata, exception) -> {
        if (exception != null) {
            failure.compareAndSet(null, exception);
        } else {
            acknowledged.incrementAndGet();
        }
    };

    public EventPublisher(Producer<String, FieldEvent> events, Producer<String, RejectedRecord> rejected, Topics topics) {
        this.events = events;
        this.rejected = rejected;
        this.topics = topics;
    }

    public static ProducerRecord<String, FieldEvent> eventRecord(Topics topics, FieldEvent event) {
        return new ProducerRecord<>(topics.events.name(), event.getAggregateId(), event);
    }

    public static ProducerRecord<String, RejectedRecord> rejectedRecord(Topics topics, RejectedRecord record) {
        return new ProducerRecord<>(topics.rejected.name(), record.getPartnerId(), record);
    }

    public void publish(FieldEvent event) {
        events.send(eventRecord(topics, event), callback);
    }

    public void publish(RejectedRecord record) {
        rejected.send(rejectedRecord(topics, record), callback);
    }

    public void publish(Outcome outcome) {
        if (outcome instanceof Outcome.Accepted a) {
            publish(a.event());
        } else if (outcome instanceof Outcome.Rejected r) {
            publish(r.record());
        }
    }

    /** Publishes one outcome and counts it, and its acknowledgement, in {@code tally}. */
    public void publish(Outcome outcome, Tally tally) {
        boolean accepted = outcome instanceof Outcome.Accepted;
        Callback counted = (metadata, exception) -> {
            callback.onCompletion(metadata, exception);
            tally.completed(accepted, exception);
        };
        if (outcome instanceof Outcome.Accepted a) {
            events.send(eventRecord(topics, a.event()), counted);
        } else if (outcome instanceof Outcome.Rejected r) {
            rejected.send(rejectedRecord(topics, r.record()), counted);
        }
        tally.sent();
    }

    /** Records acknowledged so far, events and rejections together. */
    public long acknowledged() {
        return acknowledged.get();
    }

    /** Waits for every send so far; throws if any of them failed. */
    public void flush() {
        events.flush();
        rejected.flush();
        Exception e = failure.get();
        if (e != null) {
            throw new PublishException("publishing to Kafka failed: " + e.getMessage(), e);
        }
    }

    /**
     * Sends of one input and what became of them. Thread safe: sends are counted on the sending
     * thread, acknowledgements on the producer's.
     */
    public static final class Tally {
        private long sent;
        private long done;
        private long accepted;
        private long rejected;
        private long failed;
        private Exception failure;

        synchronized void sent() {
            sent++;
        }

        synchronized void completed(boolean wasAccepted, Exception exception) {
            done++;
            if (exception != null) {
                failed++;
                if (failure == null) {
                    failure = exception;
                }
            } else if (wasAccepted) {
                accepted++;
            } else {
                rejected++;
            }
            if (done == sent) {
                notifyAll();
            }
        }

        /**
         * Waits until every send counted so far was acknowledged or failed. The producer completes
         * every send within its delivery timeout, so this ends.
         */
        public synchronized void await() throws InterruptedIOException {
            try {
                while (done < sent) {
                    wait(1000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for Kafka's acknowledgements");
            }
        }

        /** Events Kafka acknowledged. */
        public synchronized long accepted() {
            return accepted;
        }

        /** Rejections Kafka acknowledged. */
        public synchronized long rejected() {
            return rejected;
        }

        /** Sends Kafka did not acknowledge. */
        public synchronized long failed() {
            return failed;
        }

        /** The first failure, or null. */
        public synchronized Exception failure() {
            return failure;
        }
    }

    /** A send that Kafka did not acknowledge: the input must be sent again (ids make that safe). */
    public static final class PublishException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
