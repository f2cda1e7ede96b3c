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
        assertEquals("unknown parameter 'order': the dashboard takes program, partner, district, from, to, sort, q, page, page-<table>", refused("order=enrolled"));
        assertEquals("unknown parameter 'Program': the dashboard takes program, partner, district, from, to, sort, q, page, page-<table>", refused("Program=x"));
        assertEquals("parameter partner given twice", refused("partner=ndp&partner=mms"));
        assertEquals("malformed query string: 'nd%zz'", refused("partner=nd%zz"));
        assertEquals("invalid from '2026-1': expected a month as yyyy-MM, e.g. 2026-03", refused("from=2026-1"));
        assertEquals("--from 2026-04 is after --to 2026-03", refused("from=2026-04&to=2026-03"));
        assertEquals("the query string is longer than 1024 characters", refused("program=" + "a".repeat(1100)));
    }

    @Test
    void readsTheListingAndWritesItBackWithTheFilters() {
        DashboardQuery.Request request = DashboardQuery.request("program=shouhardo3&sort=size&q=c-%27x&page=2&page-survival-points=3");
        assertEquals(new DashboardListing("size", "c-'x", java.util.Map.of("retention-per-cohort", 2, "survival-points", 3)), request.listing());
        assertEquals(25 * 2, request.listing().offset("retention-per-cohort"));
        assertEquals("enrolled DESC, program_id, partner_id, cohort_id", request.listing().orderBy());
        assertEquals("program=shouhardo3&sort=size&q=c-%27x&page=2&page-survival-points=3", request.listing().query(request.filters()));
        assertEquals("program=shouhardo3&sort=size&q=c-%27x&page-survival-points=3",
                request.listing().withPage("retention-per-cohort", 0).query(request.filters()));
        assertEquals(DashboardListing.DEFAULT, DashboardQuery.request("sort=&q=&page=0").listing());
        assertEquals("dropout_rate DESC, attendance_rate ASC, program_id, partner_id, cohort_id", DashboardListing.DEFAULT.orderBy());
        assertEquals("sort 'retention_rate' is none of risk, retention, low-retention, dropout, size", refused("sort=retention_rate"));
        assertEquals("page must be a page number from 0, not '1e3'", refused("page=1e3"));
        assertEquals("unknown parameter 'page-freshness'", refused("page-freshness=1").substring(0, 34));
        assertEquals("the search is longer than 64 characters", refused("q=" + "a".repeat(65)));
    }

    @Test
    void writesCsvFieldsQuotedWhereTheyMustBe() {
        assertEquals("c-1", CsvTable.field("c-1"));
        assertEquals("\"a,b\"", CsvTable.field("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", CsvTable.field("say \"hi\""));
        assertEquals("\"two\nlines\"", CsvTable.field("two\nlines"));
        java.util.List<Column> columns = java.util.List.of(new Column("cohort_id", "Cohort", Col.Kind.TEXT),
                new Column("enrolled", "Enrolled", Col.Kind.COUNT));
        assertEquals("\uFEFFcohort_id,enrolled\r\n\"x,\"\"y\"\"\",12\r\n",
                CsvTable.write(columns, java.util.List.of(java.util.Map.of("cohort_id", "x,\"y\"", "enrolled", "12"))));
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
