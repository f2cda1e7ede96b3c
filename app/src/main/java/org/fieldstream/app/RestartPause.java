package org.fieldstream.app;

import java.time.Duration;

/**
 * The pause before a stage that exited is started again: {@code initial} at first, doubled after each
 * run shorter than {@code max} up to {@code max}, and back to {@code initial} after a run that lasted
 * {@code max} or longer. A stage failing at once is thus retried every {@code max} at most, one that
 * failed after running a while comes back quickly.
 */
final class RestartPause {

    private final Duration initial;
    private final Duration max;
    private Duration next;

    RestartPause(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("restart pauses need 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /** The pause after a run that lasted {@code ran}. */
    Duration after(Duration ran) {
        if (ran.compareTo(max) >= 0) {
            next = initial;
        }
        Duration pause = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return pause;
    }
}
