package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

class DashboardQueryTest {

    @Test
    void readsEveryFilterAndTreatsEmptyValuesAsNone() {
        assertEquals(Filters.NONE, DashboardQuery.parse(null));
        assertEquals(Filters.NONE, DashboardQuery.parse(""));
        assertEquals(Filters.NONE, DashboardQuery.parse("program=&partner=&district=&from=&to="));
        assertEquals(new Filters("shouhardo3", "ndp", "bd-sirajganj", LocalDate.of(2026, 1, 1), LocalDate.of(2026, 3, 31)),
                DashboardQuery.parse("program=shouhardo3&partner=ndp&district=bd-sirajganj&from=2026-01&to=2026-03"));
        assertEquals(new Filters(null, "ndp", null, null, LocalDate.of(2026, 2, 28)), DashboardQuery.parse("partner=nd%70&to=2026-02"));
    }

    @Test
    void refusesUnknownRepeatedAndMalformedParameters() {
        assertEquals("unknown parameter 'sort': the dashboard takes program, partner, district, from, to", refused("sort=enrolled"));
        assertEquals("unknown parameter 'Program': the dashboard takes program, partner, district, from, to", refused("Program=x"));
        assertEquals("parameter partner given twice", refused("partner=ndp&partner=mms"));
        assertEquals("malformed query string: 'nd%zz'", refused("partner=nd%zz"));
        assertEquals("invalid from '2026-1': expected a month as yyyy-MM, e.g. 2026-03", refused("from=2026-1"));
        assertEquals("--from 2026-04 is after --to 2026-03", refused("from=2026-04&to=2026-03"));
        assertEquals("the query string is longer than 1024 characters", refused("program=" + "a".repeat(1100)));
    }

    @Test
    void refusesInjectionAttemptsBeforeAnyQuery() {
        for (String hostile : List.of("%27%20OR%201%3D1%20--", "ndp'+OR+'1'='1", "ndp%5C%27", "ndp%E2%80%99", "%3Cscript%3E", "ndp%00")) {
            assertEquals("invalid partner", refused("partner=" + hostile).substring(0, "invalid partner".length()), hostile);
        }
        assertEquals("invalid program '<script>alert(1)</script>': an id is 1 to 64 of the characters A-Z a-z 0-9 _ . : -",
                refused("program=%3Cscript%3Ealert(1)%3C/script%3E"));
    }

    private static String refused(String query) {
        return assertThrows(ReportError.class, () -> DashboardQuery.parse(query)).getMessage();
    }
}
