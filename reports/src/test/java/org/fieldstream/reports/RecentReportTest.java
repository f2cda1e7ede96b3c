package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The freshness report is read apart from the pages: kept for a few intervals, read again only while pages are asked for. */
class RecentReportTest {

    private final MovingClock clock = new MovingClock("2026-03-01T10:00:00Z");
    private final List<Instant> reads = new ArrayList<>();
    private RuntimeException failNext;

    private final RecentReport report = new RecentReport(at -> {
        if (failNext != null) {
            RuntimeException e = failNext;
            failNext = null;
            throw e;
        }
        reads.add(at.instant());
        return new ReportOutput("Freshness", "now " + at.instant(), List.of(), List.of());
    }, clock, Duration.ofSeconds(15));

    @Test
    void aPageShowsAReadingUpToFourIntervalsOldAndReadsItselfAfterThat() {
        ReportOutput first = report.get();
        assertEquals(List.of(clock.now), reads, "the first page reads");
        clock.pass(Duration.ofSeconds(59));
        assertSame(first, report.get(), "59 s old: kept");
        clock.pass(Duration.ofSeconds(1));
        ReportOutput second = report.get();
        assertEquals(2, reads.size(), "60 s old: read again");
        assertEquals("now " + clock.now, second.filters(), "the reading says when it was read");
    }

    @Test
    void theServerReadsAgainOnlyWhilePagesAreAskedFor() {
        report.refreshIfViewed();
        assertEquals(List.of(), reads, "nobody looked yet: nothing read");
        report.get();
        clock.pass(Duration.ofSeconds(15));
        report.refreshIfViewed();
        assertEquals(2, reads.size(), "a page 15 s ago: read again");
        ReportOutput refreshed = report.get();
        assertEquals(2, reads.size(), "the page shows the refreshed reading without reading");
        assertEquals("now " + clock.now, refreshed.filters());
        clock.pass(Duration.ofSeconds(60));
        report.refreshIfViewed();
        assertEquals(2, reads.size(), "no page for 60 s: nothing read");
    }

    @Test
    void aFailedReadIsNotKept() {
        failNext = new IllegalStateException("ClickHouse did not answer");
        assertThrows(IllegalStateException.class, report::get);
        ReportOutput next = report.get();
        assertEquals(1, reads.size(), "the next page reads again");
        assertSame(next, report.get());
    }
}
