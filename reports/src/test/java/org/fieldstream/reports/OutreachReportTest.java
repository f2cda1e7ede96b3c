package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class OutreachReportTest {

    @Test
    void theChartShowsEveryMonthBetweenTheFirstAndTheLastReached() {
        List<ReportRows.ReachRow> rows = List.of(month("2026-06"), month("2025-11"), month("2026-02"), month("2026-02"));
        assertEquals(List.of("2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"),
                OutreachReport.months(rows));
        assertEquals(List.of(), OutreachReport.months(List.of()));
        assertEquals(List.of("2026-03"), OutreachReport.months(List.of(month("2026-03"))));
    }

    private static ReportRows.ReachRow month(String month) {
        return new ReportRows.ReachRow("p", "program", "p", month, 1, 1);
    }
}
