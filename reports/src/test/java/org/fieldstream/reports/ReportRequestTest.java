package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReportRequestTest {

    @Test
    void parsesEveryOption() {
        ReportRequest request = ReportRequest.parse(new String[] {"retention", "--program", "shouhardo3", "--partner", "ndp",
                "--district", "bd-sirajganj", "--from", "2026-01", "--to", "2026-03", "--html", "out/r.html"});
        assertEquals(ReportRequest.Kind.RETENTION, request.kind());
        assertEquals(new Filters("shouhardo3", "ndp", "bd-sirajganj", LocalDate.of(2026, 1, 1), LocalDate.of(2026, 3, 31)),
                request.filters());
        assertEquals(Path.of("out/r.html"), request.html());
    }

    @Test
    void publishReadsEveryRowAndIsRefusedWhereItHidesNothing() {
        ReportRequest request = ReportRequest.parse(new String[] {"outreach", "--program", "shouhardo3", "--publish"});
        assertTrue(request.publish() && request.full(), "a published report has every row");
        assertEquals(false, ReportRequest.parse(new String[] {"outreach"}).publish());
        assertEquals("--publish applies to retention, outreach and iptt, not to quality",
                assertThrows(ReportError.class, () -> ReportRequest.parse(new String[] {"quality", "--publish"})).getMessage());
        assertEquals("--html draws charts from exact figures; publish with --publish alone",
                assertThrows(ReportError.class, () -> ReportRequest.parse(new String[] {"retention", "--publish", "--html", "r.html"}))
                        .getMessage());
        assertTrue(IpttRequest.parse(new String[] {"iptt", "--program", "p", "--fiscal-year", "2026", "--publish"}).publish());
    }

    @Test
    void aBareReportHasNoFilters() {
        ReportRequest request = ReportRequest.parse(new String[] {"freshness"});
        assertTrue(request.filters().isEmpty());
        assertNull(request.html());
    }

    @ParameterizedTest
    @ValueSource(strings = {"' OR 1=1 --", "ndp' OR '1'='1", "ndp\\", "a\\'b", "ndp\u2019", "nd\u0000p", "ndp; DROP TABLE x",
            "", "ndp\n", "ক", "x12345678901234567890123456789012345678901234567890123456789012345"})
    void refusesIdsThatAreNotPlainIds(String hostile) {
        for (String option : new String[] {"--program", "--partner", "--district"}) {
            ReportError e = assertThrows(ReportError.class,
                    () -> ReportRequest.parse(new String[] {"retention", option, hostile}));
            assertTrue(e.getMessage().startsWith("invalid " + option), e.getMessage());
            assertTrue(e.getMessage().contains("A-Z a-z 0-9 _ . : -"), e.getMessage());
            // the refused value is echoed printable-ASCII only
            assertTrue(e.getMessage().chars().allMatch(c -> c >= 0x20 && c < 0x7f), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-13", "2026-1", "26-01", "2026-01-01", "2026-01' --", "２０２６-01", "now"})
    void refusesMonthsThatAreNotYearMonth(String month) {
        ReportError e = assertThrows(ReportError.class, () -> ReportRequest.parse(new String[] {"outreach", "--from", month}));
        assertTrue(e.getMessage().contains("yyyy-MM"), e.getMessage());
    }

    @Test
    void refusesAPeriodThatEndsBeforeItStarts() {
        ReportError e = assertThrows(ReportError.class,
                () -> ReportRequest.parse(new String[] {"outreach", "--from", "2026-04", "--to", "2026-03"}));
        assertEquals("--from 2026-04 is after --to 2026-03", e.getMessage());
    }

    @Test
    void refusesUnknownReportsOptionsAndMissingValues() {
        assertThrows(ReportError.class, () -> ReportRequest.parse(new String[] {}));
        assertTrue(assertThrows(ReportError.class, () -> ReportRequest.parse(new String[] {"dropouts"}))
                .getMessage().contains("unknown report"));
        assertTrue(assertThrows(ReportError.class, () -> ReportRequest.parse(new String[] {"retention", "--cohort", "c1"}))
                .getMessage().contains("unknown option"));
        assertEquals("--partner needs a value",
                assertThrows(ReportError.class, () -> ReportRequest.parse(new String[] {"retention", "--partner"})).getMessage());
        assertEquals("--partner given twice", assertThrows(ReportError.class,
                () -> ReportRequest.parse(new String[] {"retention", "--partner", "a", "--partner", "b"})).getMessage());
    }

    @Test
    void freshnessTakesNoFiltersAndOutreachOneDimension() {
        assertThrows(ReportError.class, () -> ReportRequest.parse(new String[] {"freshness", "--program", "p"}));
        ReportError e = assertThrows(ReportError.class,
                () -> ReportRequest.parse(new String[] {"outreach", "--partner", "ndp", "--district", "bd-sirajganj"}));
        assertTrue(e.getMessage().contains("not by both"), e.getMessage());
    }
}
