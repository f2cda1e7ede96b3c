package org.fieldstream.reports;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A report that does not depend on a page's filters (freshness: the whole database), read apart from
 * the pages that show it, so that a page never waits for a report whose cost grows with the event log:
 * <ul>
 * <li>a page shows the latest reading, whatever its age; a reading more than {@value #KEPT_INTERVALS}
 *     intervals old is read again in the background, and the page after that shows the new one;</li>
 * <li>only the first page, when nothing was read yet, waits for a reading;</li>
 * <li>{@link #refresh()} (called every {@code interval} by the server) reads it again while pages are
 *     asked for, and every {@value #IDLE_INTERVALS} intervals while nobody looks, so a page after a
 *     quiet spell shows a reading at most that old, and the cost while nobody looks stays small.</li>
 * </ul>
 * The report says when it was read (its "now"): a page never passes an older reading off as current.
 * A read that fails is not kept.
 */
final class RecentReport {

    /** How many refresh intervals a reading may be old before a page asks for a new one. */
    static final int KEPT_INTERVALS = 4;
    /** How many refresh intervals a reading may be old while nobody looks. */
    static final int IDLE_INTERVALS = 40;

    private record Reading(ReportOutput output, Instant at) {
    }

    private final Function<Clock, ReportOutput> read;
    private final Clock clock;
    private final Duration interval;
    private final Executor background;
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile Reading last;
    private volatile Instant viewedAt;

    /**
     * @param read       reads the report as of the clock it is given
     * @param background where a page's request for a new reading runs
     */
    RecentReport(Function<Clock, ReportOutput> read, Clock clock, Duration interval, Executor background) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("refresh interval must be positive, not " + interval);
        }
        this.read = read;
        this.clock = clock;
        this.interval = interval;
        this.background = background;
    }

    /** What a page shows: the latest reading (a new one asked for in the background when it is old), or the first one. */
    ReportOutput get() {
        Instant now = clock.instant();
        viewedAt = now;
        Reading kept = last;
        if (kept == null) {
            synchronized (this) {
                kept = last;
                return kept != null ? kept.output() : readNow();
            }
        }
        if (!younger(kept, now, KEPT_INTERVALS)) {
            Reading old = kept;
            background.execute(() -> {
                if (last == old) {
                    readUnlessReading();
                }
            });
        }
        return kept.output();
    }

    /** Reads the report again if a page was asked for lately, or if the reading is {@value #IDLE_INTERVALS} intervals old. */
    void refresh() {
        Instant now = clock.instant();
        Instant viewed = viewedAt;
        Reading kept = last;
        boolean looked = viewed != null && now.isBefore(viewed.plus(interval.multipliedBy(KEPT_INTERVALS)));
        if (looked || kept == null || !younger(kept, now, IDLE_INTERVALS)) {
            readUnlessReading();
        }
    }

    private boolean younger(Reading reading, Instant now, int intervals) {
        return now.isBefore(reading.at().plus(interval.multipliedBy(intervals)));
    }

    /** One reading at a time: a request while another reads is answered by that reading. */
    private void readUnlessReading() {
        if (reading.compareAndSet(false, true)) {
            try {
                synchronized (this) {
                    readNow();
                }
            } finally {
                reading.set(false);
            }
        }
    }

    private ReportOutput readNow() {
        Instant now = clock.instant();
        ReportOutput output = read.apply(Clock.fixed(now, clock.getZone()));
        last = new Reading(output, now);
        return output;
    }
}
