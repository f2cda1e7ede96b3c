package org.fieldstream.producers.http;

/**
 * How fast a request body must arrive, counted from the end of its head: whole within
 * {@code http.body.timeout.ms}, and, after a grace of {@code http.body.grace.ms}, at least
 * {@code http.min.body.bytes.per.second} on average. A client that trickles its body, or declares a
 * longer body than it sends, falls behind and is answered 408 instead of holding a batch's place.
 */
final class BodyPace {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long startNanos;
    private final long deadlineNanos;
    private final long graceNanos;
    private final long minBytesPerSecond;

    /** What a pace is made of (see {@code ProducerSettings}). */
    record Limits(long timeoutMillis, long minBytesPerSecond, long graceMillis) {
    }

    private BodyPace(long startNanos, Limits limits) {
        this.startNanos = startNanos;
        this.deadlineNanos = startNanos + limits.timeoutMillis() * 1_000_000L;
        this.graceNanos = limits.graceMillis() * 1_000_000L;
        this.minBytesPerSecond = limits.minBytesPerSecond();
    }

    /** A pace whose clock starts now. */
    static BodyPace startingNow(Limits limits) {
        return new BodyPace(System.nanoTime(), limits);
    }

    /**
     * How long the body may still wait for its next bytes at {@code nowNanos}, having sent
     * {@code received} bytes; zero or less: it is too slow.
     */
    long slackNanos(long received, long nowNanos) {
        long byDeadline = deadlineNanos - nowNanos;
        if (minBytesPerSecond <= 0) {
            return byDeadline;
        }
        // the bytes received cover this much time past the grace at the minimum rate
        long covered = received / minBytesPerSecond * NANOS_PER_SECOND
                + received % minBytesPerSecond * NANOS_PER_SECOND / minBytesPerSecond;
        return Math.min(byDeadline, startNanos + graceNanos + covered - nowNanos);
    }

    /** Why a body that ran out of slack is refused. */
    String reason(long received) {
        long elapsedMillis = (System.nanoTime() - startNanos) / 1_000_000;
        return "request body too slow: " + received + " bytes in " + elapsedMillis + " ms (at least " + minBytesPerSecond
                + " bytes per second after " + graceNanos / 1_000_000 + " ms, all within " + (deadlineNanos - startNanos) / 1_000_000
                + " ms)";
    }
}
