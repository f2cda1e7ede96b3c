package org.fieldstream.sink;

/**
 * When a batch that is neither full nor old may be written at once: a credit of one such write per
 * {@code intervalMillis} (the batch age), saved up to {@value #SAVED} while nothing is written.
 * After a quiet spell the first few small batches (a pushed event's row, then the metric rows the
 * streams commit a moment later) go out as soon as they are read; under load the credit is spent as
 * it accrues, so the batches that are not full come at most one per interval on average, as when
 * every batch waits for its age.
 */
final class EarlyWrites {

    /** Most early writes saved up by a quiet spell. */
    static final int SAVED = 4;

    private final long intervalMillis;
    /** Credit in milliseconds of quiet; one early write costs {@code intervalMillis}. */
    private long credit;
    private long at;

    /** No credit at {@code nowMillis}: a new loop first waits an interval, like a batch's age. */
    EarlyWrites(long intervalMillis, long nowMillis) {
        this.intervalMillis = intervalMillis;
        this.at = nowMillis;
    }

    /** True when a small batch may be written at {@code nowMillis}. */
    boolean available(long nowMillis) {
        accrue(nowMillis);
        return credit >= intervalMillis;
    }

    /** Records a batch that was not full handed to the write stage at {@code nowMillis}. */
    void spend(long nowMillis) {
        accrue(nowMillis);
        credit = Math.max(0, credit - intervalMillis);
    }

    private void accrue(long nowMillis) {
        if (nowMillis > at) {
            credit = Math.min(SAVED * intervalMillis, credit + nowMillis - at);
            at = nowMillis;
        }
    }
}
