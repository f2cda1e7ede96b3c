package org.fieldstream.producers.http;

import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads and discards the rest of a refused body after the refusal was sent, so that a client still
 * sending reads the refusal instead of a reset connection; then completes the request. Holds no
 * thread while it waits (it reads when Jetty says bytes arrived), and ends at the body limit or when
 * the body falls behind its {@link BodyPace}: a slow sender is then cut off like any slow body.
 */
final class BodyDrain implements Runnable {

    private final Content.Source body;
    private final long maxBytes;
    private final BodyPace pace;
    private final Scheduler scheduler;
    private final Callback done;
    private long received;
    private boolean finished;
    private Scheduler.Task check;

    private BodyDrain(Content.Source body, long maxBytes, BodyPace pace, Scheduler scheduler, Callback done) {
        this.body = body;
        this.maxBytes = maxBytes;
        this.pace = pace;
        this.scheduler = scheduler;
        this.done = done;
    }

    /** Starts draining {@code body}; {@code done} succeeds when the drain ends, however it ends. */
    static void start(Content.Source body, long maxBytes, BodyPace pace, Scheduler scheduler, Callback done) {
        new BodyDrain(body, maxBytes, pace, scheduler, done).run();
    }

    /** Reads what has arrived; called again by Jetty when more arrives. */
    @Override
    public synchronized void run() {
        while (!finished) {
            Content.Chunk chunk = body.read();
            if (chunk == null) {
                long slack = pace.slackNanos(received, System.nanoTime());
                if (slack <= 0) {
                    finish();
                    return;
                }
                if (check != null) {
                    check.cancel();
                }
                check = scheduler.schedule(this::checkPace, slack, TimeUnit.NANOSECONDS);
                body.demand(this);
                return;
            }
            received += chunk.remaining();
            boolean end = chunk.isLast() || Content.Chunk.isFailure(chunk) || received > maxBytes;
            chunk.release();
            if (end) {
                finish();
            }
        }
    }

    /** The pace's deadline for the next bytes passed: ends the drain unless bytes came meanwhile. */
    private synchronized void checkPace() {
        if (!finished && pace.slackNanos(received, System.nanoTime()) <= 0) {
            finish();
        }
    }

    private void finish() {
        finished = true;
        if (check != null) {
            check.cancel();
        }
        done.succeeded();
    }
}
