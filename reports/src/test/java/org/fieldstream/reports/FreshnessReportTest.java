package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class FreshnessReportTest {

    @Test
    void readsClickHouseTimesAsUtc() {
        assertEquals(Instant.parse("2026-03-01T10:15:30Z"), FreshnessReport.utc("2026-03-01 10:15:30"));
        assertThrows(IllegalStateException.class, () -> FreshnessReport.utc("yesterday"));
    }

    @Test
    void aZeroTimeIsNoTime() {
        assertEquals(true, FreshnessReport.noTime("0000-00-00 00:00:00"), "18.16's DateTime 0");
        assertEquals(true, FreshnessReport.noTime("1970-01-01 00:00:00"), "current releases' DateTime 0");
        assertEquals(false, FreshnessReport.noTime("2026-03-01 10:15:30"));
    }

    @Test
    void formatsLagFromSecondsToDays() {
        assertEquals("0m 05s", FreshnessReport.lag(Duration.ofSeconds(5)));
        assertEquals("4m 05s", FreshnessReport.lag(Duration.ofSeconds(245)));
        assertEquals("3h 04m 05s", FreshnessReport.lag(Duration.ofSeconds(3 * 3600 + 245)));
        assertEquals("2d 03h 04m 05s", FreshnessReport.lag(Duration.ofSeconds(2 * 86400 + 3 * 3600 + 245)));
        assertEquals("-1m 00s", FreshnessReport.lag(Duration.ofSeconds(-60)));
    }
}
