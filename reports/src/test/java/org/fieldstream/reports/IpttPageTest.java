package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

class IpttPageTest {

    @Test
    void theQueryNamesAProgramAndMaybeAFiscalYear() {
        assertEquals(new IpttPage.Key("p-oct", 2026), IpttPage.parse("program=p-oct&fiscal_year=FY2026"));
        assertEquals(new IpttPage.Key("p-oct", 2027), IpttPage.parse("program=p-oct&fiscal_year=2027"));
        assertEquals(new IpttPage.Key("p-oct", null), IpttPage.parse("program=p-oct"));
        assertEquals("the IPTT page needs a program: /iptt?program=P&fiscal_year=FY2026",
                assertThrows(ReportError.class, () -> IpttPage.parse("fiscal_year=FY2026")).getMessage());
        assertTrue(assertThrows(ReportError.class, () -> IpttPage.parse("program=p-oct&fiscal_year=26")).getMessage()
                .contains("is not a year such as FY2026 or 2026"));
        assertThrows(ReportError.class, () -> IpttPage.parse("program=p-oct&partner=x"));
        assertThrows(ReportError.class, () -> IpttPage.parse("program=%3Cb%3E"));
        assertEquals("/iptt?program=p-oct&fiscal_year=FY2026", IpttPage.href("p-oct", 2026));
    }

    @Test
    void todayFallsInTheFiscalYearNamedByTheYearItEndsIn() {
        assertEquals(2026, IpttReport.fiscalYearOf(LocalDate.of(2025, 10, 1), 10));
        assertEquals(2025, IpttReport.fiscalYearOf(LocalDate.of(2025, 9, 30), 10));
        assertEquals(2026, IpttReport.fiscalYearOf(LocalDate.of(2026, 6, 30), 7));
        assertEquals(2027, IpttReport.fiscalYearOf(LocalDate.of(2026, 7, 1), 7));
        assertEquals(2026, IpttReport.fiscalYearOf(LocalDate.of(2026, 3, 31), 4));
        assertEquals(2026, IpttReport.fiscalYearOf(LocalDate.of(2026, 12, 31), 1));
    }

    @Test
    void figuresAlignRightFlagsShowAndTextIsEscaped() {
        Double[] none = {null, null, null, null};
        List<IpttReport.Row> rows = List.of(
                new IpttReport.Row("retention_rate", "", "", true, 0.7, null, 0.5, 0.8, 0.5, 0.625, new Double[] {0.5, null, null, null},
                        "below target"),
                new IpttReport.Row("retention_rate", "sex", "female", true, null, null, 1.0, null, 1.0, null, none, ""),
                new IpttReport.Row("dialogues_held", "kind", "<script>=HYPERLINK(\"x\")", false, null, null, 2.0, null, 1.0, null,
                        new Double[] {1.0, 0.0, 0.0, 0.0}, ""));
        String page = IpttPage.render(new IpttPage.Iptt("p-oct", "Oct & co", 2026, List.of(2027, 2026), rows), 60, null);
        assertTrue(page.contains("<tr class=\"indicator\"><td class=\"label\" data-col=\"indicator\" data-value=\"retention_rate\">"), page);
        assertTrue(page.contains("<tr class=\"sub\"><td class=\"label\" data-col=\"indicator\""), "disaggregation rows are indented");
        assertTrue(page.contains("<td class=\"num\" data-col=\"fy_target\" data-value=\"80.0%\">80.0%</td>"), "a rate's target in %");
        assertTrue(page.contains("<td class=\"flag below\" data-col=\"deviation\" data-value=\"below target\">below target</td>"));
        assertTrue(page.contains("&lt;script&gt;=HYPERLINK(&quot;x&quot;)"), "the kind escaped");
        assertFalse(page.contains("<script>"));
        assertTrue(page.contains("Oct &amp; co (p-oct) · FY2026"));
        assertTrue(page.contains("<option value=\"FY2027\">FY2027</option><option value=\"FY2026\" selected>FY2026</option>"));
        assertTrue(page.contains("href=\"/iptt.csv?program=p-oct&amp;fiscal_year=FY2026\"")
                && page.contains("href=\"/iptt.xlsx?program=p-oct&amp;fiscal_year=FY2026\""), "both downloads of the year shown");
    }
}
