package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The freshness report is read apart from the pages: a page waits only for the first reading; read again while pages are asked for, rarely while nobody looks. */
class RecentReportTest {

    private final MovingClock clock = new MovingClock("2026-03-01T10:00:00Z");
    private final List<Instant> reads = new ArrayList<>();
    private RuntimeException failNext;

    /** Readings pages asked for, run when the test says (the server runs them on its refresh thread). */
    private final List<Runnable> asked = new ArrayList<>();

    private final RecentReport report = new RecentReport(at -> {
        if (failNext != null) {
            RuntimeException e = failNext;
            failNext = null;
            throw e;
        }
        reads.add(at.instant());
        return new ReportOutput("Freshness", "now " + at.instant(), List.of(), List.of());
    }, clock, Duration.ofSeconds(15), asked::add);

    private void runAsked() {
        List<Runnable> now = new ArrayList<>(asked);
        asked.clear();
        now.forEach(Runnable::run);
    }

    @Test
    void onlyTheFirstPageWaitsForAReading() {
        ReportOutput first = report.get();
        assertEquals(List.of(clock.now), reads, "nothing read yet: the first page reads");
        clock.pass(Duration.ofSeconds(59));
        assertSame(first, report.get(), "59 s old: shown");
        assertEquals(List.of(), asked, "59 s old: no new reading asked for");
        clock.pass(Duration.ofSeconds(1));
        assertSame(first, report.get(), "60 s old: still shown, the page does not wait");
        assertEquals(1, reads.size(), "the page did not read");
        assertEquals(1, asked.size(), "60 s old: a new reading asked for");
        runAsked();
        ReportOutput second = report.get();
        assertEquals(2, reads.size());
        assertEquals("now " + clock.now, second.filters(), "the next page shows the new reading, which says when it was read");
    }

    @Test
    void pagesAskingWhileAReadingRunsReadOnce() {
        report.get();
        clock.pass(Duration.ofMinutes(5));
        report.get();
        report.get();
        runAsked();
        assertEquals(2, reads.size(), "two pages asked for a new reading of the same old one: read once more, not twice");
    }

    @Test
    void theServerReadsAgainWhilePagesAreAskedForAndRarelyWhileNobodyLooks() {
        report.refresh();
        assertEquals(List.of(clock.now), reads, "at start: read, so that no page waits");
        clock.pass(Duration.ofSeconds(15));
        report.refresh();
        assertEquals(1, reads.size(), "nobody looked: not read again");
        report.get();
        clock.pass(Duration.ofSeconds(15));
        report.refresh();
        assertEquals(2, reads.size(), "a page 15 s ago: read again");
        ReportOutput refreshed = report.get();
        assertEquals(2, reads.size(), "the page shows the refreshed reading without reading");
        assertEquals("now " + clock.now, refreshed.filters());
        for (int i = 0; i < 39; i++) {
            clock.pass(Duration.ofSeconds(15));
            report.refresh();
        }
        assertEquals(5, reads.size(), "read every interval until 60 s after the last page (3 more), then nothing while nobody looks");
        clock.pass(Duration.ofSeconds(45));
        report.refresh();
        assertEquals(5, reads.size(), "the last reading 585 s old: not read");
        clock.pass(Duration.ofSeconds(15));
        report.refresh();
        assertEquals(6, reads.size(), "40 intervals without a reading: read again, so a page after a quiet spell shows one at most that old");
        assertEquals(List.of(), asked, "no page asked");
    }

    @Test
    void aFailedReadingInTheBackgroundKeepsTheLastOne() {
        ReportOutput first = report.get();
        clock.pass(Duration.ofMinutes(2));
        report.get();
        failNext = new IllegalStateException("ClickHouse did not answer");
        assertThrows(IllegalStateException.class, this::runAsked);
        assertSame(first, report.get(), "the last good reading is still shown");
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
