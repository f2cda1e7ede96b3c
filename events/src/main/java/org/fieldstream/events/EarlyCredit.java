package org.fieldstream.events;

/**
 * The budget for doing something early that is normally done on a timer (a sink writing a small
 * batch before it is old, a streams stage flushing before its punctuation): one early action per
 * {@code intervalMillis} of wall clock, saved up to {@value #SAVED} while none is taken. After a
 * quiet spell the first few changes go out at once; under steady load the credit is spent as it
 * accrues, so early actions come at most one per interval on average, as when everything waits
 * for the timer.
 */
public final class EarlyCredit {

    /** Most early actions saved up by a quiet spell. */
    public static final int SAVED = 4;

    private final long intervalMillis;
    /** Credit in milliseconds; one early action costs {@code intervalMillis}. */
    private long credit;
    private long at;

    private EarlyCredit(long intervalMillis, long credit, long at) {
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("interval must be positive: " + intervalMillis);
        }
        this.intervalMillis = intervalMillis;
        this.credit = credit;
        this.at = at;
    }

    /** No credit at {@code nowMillis}: the first early action waits an interval, like the timer. */
    public static EarlyCredit empty(long intervalMillis, long nowMillis) {
        return new EarlyCredit(intervalMillis, 0, nowMillis);
    }

    /** All of the saved credit: a new stage's first changes go out at once. */
    public static EarlyCredit full(long intervalMillis) {
        return new EarlyCredit(intervalMillis, SAVED * intervalMillis, 0);
    }

    /** True when an early action may be taken at {@code nowMillis}. */
    public boolean available(long nowMillis) {
        accrue(nowMillis);
        return credit >= intervalMillis;
    }

    /** Records an early action taken at {@code nowMillis}. */
    public void spend(long nowMillis) {
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
