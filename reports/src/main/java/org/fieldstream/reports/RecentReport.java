package org.fieldstream.reports;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * A report that does not depend on a page's filters (freshness: the whole database), read apart from
 * the pages that show it: while pages are asked for, {@link #refreshIfViewed()} (called every
 * {@code interval} by the server) reads it again, and a page shows the latest reading when it is at
 * most {@value #KEPT_INTERVALS} intervals old, else reads it itself. So a page does not wait for a
 * report whose cost grows with the event log, and nothing is read while nobody looks. The report says
 * when it was read (its "now"): a page never passes an older reading off as current. A read that
 * fails is not kept.
 */
final class RecentReport {

    /** How many refresh intervals a reading may be old when a page shows it. */
    static final int KEPT_INTERVALS = 4;

    private record Reading(ReportOutput output, Instant at) {
    }

    private final Function<Clock, ReportOutput> read;
    private final Clock clock;
    private final Duration interval;
    private volatile Reading last;
    private volatile Instant viewedAt;

    /** @param read reads the report as of the clock it is given */
    RecentReport(Function<Clock, ReportOutput> read, Clock clock, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("refresh interval must be positive, not " + interval);
        }
        this.read = read;
        this.clock = clock;
        this.interval = interval;
    }

    /** What a page shows: the latest reading if recent enough, else a new one. */
    ReportOutput get() {
        Instant now = clock.instant();
        viewedAt = now;
        Reading reading = last;
        if (reading != null && recent(reading, now)) {
            return reading.output();
        }
        synchronized (this) {
            reading = last;
            return reading != null && recent(reading, clock.instant()) ? reading.output() : readNow();
        }
    }

    /** Reads the report again if a page was asked for within the time a reading is kept. */
    void refreshIfViewed() {
        Instant viewed = viewedAt;
        if (viewed != null && clock.instant().isBefore(viewed.plus(interval.multipliedBy(KEPT_INTERVALS)))) {
            synchronized (this) {
                readNow();
            }
        }
    }

    private boolean recent(Reading reading, Instant now) {
        return now.isBefore(reading.at().plus(interval.multipliedBy(KEPT_INTERVALS)));
    }

    private ReportOutput readNow() {
        Instant now = clock.instant();
        ReportOutput output = read.apply(Clock.fixed(now, clock.getZone()));
        last = new Reading(output, now);
        return output;
    }
}
