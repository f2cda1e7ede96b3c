package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

class GrafanaMacrosTest {

    private static final Instant FROM = Instant.parse("2024-04-10T12:00:00Z");
    private static final Instant TO = Instant.parse("2026-04-10T12:00:00Z");

    @Test
    void expandsVariablesAndTimeMacrosForAFixedRange() {
        assertEquals("SELECT x FROM t WHERE p = 'shouhardo3' AND q = 'shouhardo3' AND at >= toDateTime(1712750400)"
                        + " AND at <= toDateTime(1775822400) AND d >= toDate('2024-04-10') AND d <= toDate('2026-04-10')",
                GrafanaMacros.expand("SELECT x FROM t WHERE p = '${program}' AND q = '$program' AND $__timeFilter(at)"
                        + " AND $__dateFilter( d )", FROM, TO, 3600, Map.of("program", "shouhardo3")));
        assertEquals("SELECT toStartOfInterval(toDateTime(at), INTERVAL 3600 second), toDateTime(1712750400), 3600",
                GrafanaMacros.expand("SELECT $__timeInterval(at), $__fromTime, $__interval_s", FROM, TO, 3600, Map.of()));
    }

    @Test
    void leavesWhatItDoesNotKnowVisible() {
        assertEquals("SELECT $__conditionalAll(x, $v), ${other}",
                GrafanaMacros.expand("SELECT $__conditionalAll(x, $v), ${other}", FROM, TO, 60, Map.of()));
    }
}
