package org.fieldstream.sink;

/** Exponential backoff: initial, doubled per failure, capped. */
final class Backoff {
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
