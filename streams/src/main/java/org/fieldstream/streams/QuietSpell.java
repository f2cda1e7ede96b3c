package org.fieldstream.streams;

import java.time.Duration;

/**
 * When a punctuated stage runs its punctuation's flush at once from {@code process}: after a quiet
 * spell, a whole punctuation interval of wall-clock time since its last flush that found changes.
 * The first change after such a spell then goes out without waiting for the timer (the same flush,
 * so the same rows, versions and stores); changes within the interval of the last flush wait for
 * the timer, so under load a stage flushes as often as before.
 *
 * <p>A stage fed by another stage's flush receives that flush's records with one timestamp (the
 * upstream flush's wall clock): the deltas of one new person for some thirty cells, or the reaches
 * of a dialogue's attendees. The records carrying the timestamp of the record that ended the spell
 * are flushed at once too, so the whole change crosses the stage, not just its first record. One
 * new person's reach crosses three stages in series (aggregate, person, cell): idle, it waits for
 * none of their timers. Such a burst is bounded ({@value #BURST_RECORDS} records, {@value #BURST_MS} ms of
 * wall clock from the record that began it): each record flushed at once is forwarded on its own,
 * which is what the timer saves under load, so a large upstream flush that happens to end a spell
 * goes out at once only in its first records and then waits for the timer as before.
 */
final class QuietSpell {

    /** Most records of one burst flushed at once. */
    static final int BURST_RECORDS = 256;
    /** Longest wall-clock time from the record that began a burst during which its records are flushed at once. */
    static final long BURST_MS = 50;

    private final long intervalMs;
    /** Wall clock of the last flush that found changes; none yet counts as quiet. */
    private long lastFlush;
    private boolean flushed;
    /** Timestamp of the record that ended the last quiet spell. */
    private long burst;
    private boolean inBurst;
    private long burstStart;
    private int burstRecords;

    QuietSpell(Duration interval) {
        this.intervalMs = interval.toMillis();
    }

    /** True when nothing was flushed for at least one interval before {@code wallClock}. */
    boolean over(long wallClock) {
        return !flushed || wallClock - lastFlush >= intervalMs;
    }

    /**
     * True when a record of an upstream flush (its {@code timestamp}) is to be flushed at once: it
     * ends a quiet spell, or it came with the record that did.
     */
    boolean flushNow(long wallClock, long timestamp) {
        if (over(wallClock)) {
            burst = timestamp;
            inBurst = true;
            burstStart = wallClock;
            burstRecords = 1;
            return true;
        }
        if (inBurst && (burstRecords >= BURST_RECORDS || wallClock - burstStart >= BURST_MS)) {
            inBurst = false;
        }
        if (inBurst && timestamp == burst) {
            burstRecords++;
            return true;
        }
        return false;
    }

    /** Records a flush at {@code wallClock} that found changes. */
    void flushed(long wallClock) {
        lastFlush = wallClock;
        flushed = true;
    }
}
