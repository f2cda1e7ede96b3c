package org.fieldstream.streams;

/**
 * Version of a metric row for the sink's ReplacingMergeTree. It grows with every update of a key:
 * the stored previous version plus one, but never below the wall clock in milliseconds, so even a
 * reset application (state wiped, input replayed) writes versions above the ones it wrote before.
 */
final class Versions {

    private Versions() {
    }

    static long next(long previous, long nowMillis) {
        return Math.max(previous + 1, nowMillis);
    }
}
