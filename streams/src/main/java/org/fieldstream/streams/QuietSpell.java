package org.fieldstream.streams;

import java.time.Duration;

import org.fieldstream.events.EarlyCredit;

/**
 * When a punctuated stage runs its punctuation's flush at once from {@code process}: after a quiet
 * spell, a whole punctuation interval of wall-clock time since its last flush that found changes, or
 * when a change comes after a pause of at least {@value #PAUSE_MS} ms without records, the stage's last
 * timed flush found nothing to write, and an early flush is still in credit. The first change then goes
 * out without waiting for the timer (the same flush, so the same rows, versions and stores).
 *
 * <p>The credit ({@link EarlyCredit}) is one early flush per punctuation interval, saved up to
 * {@value EarlyCredit#SAVED} while the stage is quiet, so a few pushes a moment apart (a partner's session and its attendance, then a
 * dialogue's attendee) each cross the stage at once. Under load every timed flush finds changes (and
 * a long flush of other tasks must not pass for a pause), so a stage flushes on its timer as before;
 * a trickle of changes that keeps the timer idle gets at most one early flush per interval.
 *
 * <p>A stage fed by another stage's flush receives that flush's records with one timestamp (the
 * upstream flush's wall clock): the deltas of one new person for some thirty cells, or the reaches
 * of a dialogue's attendees. The records carrying the timestamp of the record that began the early
 * flush are flushed at once too, so the whole change crosses the stage, not just its first record. One
 * new person's reach crosses three stages in series (aggregate, person, cell): idle, it waits for
 * none of their timers. Such a burst is bounded ({@value #BURST_RECORDS} records, {@value #BURST_MS} ms of
 * wall clock from the record that began it): each record flushed at once is forwarded on its own,
 * which is what the timer saves under load, so a large upstream flush goes out at once only in its
 * first records and then waits for the timer as before.
 */
final class QuietSpell {

    /** Most records of one burst flushed at once. */
    static final int BURST_RECORDS = 256;
    /** Longest wall-clock time from the record that began a burst during which its records are flushed at once. */
    static final long BURST_MS = 50;
    /** Shortest pause without records after which a change may use the credit of an early flush. */
    static final long PAUSE_MS = 100;

    private final long intervalMs;
    /** Wall clock of the last flush that found changes; none yet counts as quiet. */
    private long lastFlush;
    private boolean flushed;
    /** Timestamp of the record that ended the last quiet spell. */
    private long burst;
    private boolean inBurst;
    private long burstStart;
    private int burstRecords;
    /** Early flushes in credit; a new stage starts with all of it. */
    private final EarlyCredit credit;
    /** Wall clock of the last record asked about; none yet counts as a pause. */
    private long lastRecord = Long.MIN_VALUE / 2;
    /** Flushes that found changes, timed or early. */
    private long flushes;
    /** Whether the last timed flush found changes; none yet counts as idle. */
    private boolean timerBusy;

    QuietSpell(Duration interval) {
        this.intervalMs = interval.toMillis();
        this.credit = EarlyCredit.full(intervalMs);
    }

    /** True when nothing was flushed for at least one interval before {@code wallClock}. */
    private boolean over(long wallClock) {
        return !flushed || wallClock - lastFlush >= intervalMs;
    }

    /**
     * True when a change processed at {@code wallClock} is to be flushed at once, beginning a burst:
     * after a quiet spell, or after a pause without records with an early flush in credit (spent).
     */
    boolean begins(long wallClock) {
        boolean paused = wallClock - lastRecord >= PAUSE_MS;
        lastRecord = Math.max(lastRecord, wallClock);
        boolean early = paused && !timerBusy && credit.available(wallClock);
        if (!over(wallClock) && !early) {
            return false;
        }
        credit.spend(wallClock);
        return true;
    }

    /**
     * True when a record of an upstream flush (its {@code timestamp}) is to be flushed at once: it
     * begins an early flush ({@link #begins}), or it came with the record that did.
     */
    boolean flushNow(long wallClock, long timestamp) {
        if (begins(wallClock)) {
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

    /** Runs the punctuation's {@code flush}, noting whether it found changes. */
    void timed(Runnable flush) {
        long before = flushes;
        flush.run();
        timerBusy = flushes != before;
    }

    /** Records a flush at {@code wallClock} that found changes. */
    void flushed(long wallClock) {
        lastFlush = wallClock;
        flushed = true;
        flushes++;
    }
}
