package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class IpttReportTest {

    @Test
    void anActualOutsideTheThresholdOfItsTargetIsFlagged() {
        assertEquals("", IpttReport.deviation(100.0, 90, 0.1), "exactly 10 % below");
        assertEquals("below target", IpttReport.deviation(100.0, 89, 0.1));
        assertEquals("", IpttReport.deviation(100.0, 110, 0.1));
        assertEquals("above target", IpttReport.deviation(100.0, 111, 0.1));
        assertEquals("above target", IpttReport.deviation(100.0, 106, 0.05));
        assertEquals("", IpttReport.deviation(null, 500, 0.1), "no target, no flag");
    }

    @Test
    void theCsvStartsWithAByteOrderMarkAndNeutralisesFormulas() {
        IpttReport.Row row = new IpttReport.Row("=HYPERLINK(\"http://x\",\"y\")", "", "", false, 12.0, 1000.0, 640.0, 500.0, 425.0, 0.85,
                new Double[] {100.0, 125.0, 200.0, 0.0}, "below target");
        String csv = IpttReport.csv(List.of(row));
        assertTrue(csv.startsWith("\uFEFFindicator,disaggregation,category,baseline,lop_target,lop_actual,fy_target,fy_actual,fy_achieved,"),
                csv);
        String[] lines = csv.split("\r\n");
        assertEquals("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",,,12,1000,640,500,425,85.0%,100,125,200,0,below target,", lines[1]);
    }

    @Test
    void ratesArePercentagesAndDisaggregatesNotAvailableLeaveTheFiguresEmpty() {
        IpttReport.Row rate = new IpttReport.Row("retention_rate", "sex", "female", true, null, null, 0.75, null, 2.0 / 3, null,
                new Double[] {1.0, null, 0.5, null}, "");
        assertEquals(List.of("retention_rate", "sex", "female", "", "", "75.0%", "", "66.7%", "", "100.0%", "", "50.0%", "", "", ""),
                rate.cells());
        IpttReport.Row dna = new IpttReport.Row("dialogues_held", "age_band", IpttReport.DNA, false, null, null, null, null, null, null,
                new Double[4], "");
        assertEquals(List.of("dialogues_held", "age_band", "DNA", "", "", "", "", "", "", "", "", "", "", "", ""), dna.cells());
        assertTrue(IpttReport.available("people_reached", IpttReport.AGE_BAND));
        assertTrue(IpttReport.available("dropout_rate", IpttReport.SEX));
        assertTrue(IpttReport.available("dialogue_attendance", IpttReport.SEX));
        assertFalse(IpttReport.available("dialogue_attendance", IpttReport.AGE_BAND), "dialogue rows hold no age");
        assertFalse(IpttReport.available("dialogues_held", IpttReport.SEX), "a dialogue has no sex");
    }

    @Test
    void theRequestNamesAProgramAndAFiscalYear() {
        IpttRequest request = IpttRequest.parse(new String[] {"iptt", "--program", "shouhardo3", "--fiscal-year", "FY2026"});
        assertEquals("shouhardo3", request.program());
        assertEquals(2026, request.fiscalYear());
        assertEquals(2027, IpttRequest.parse(new String[] {"iptt", "--program", "p", "--fiscal-year", "2027"}).fiscalYear());
        assertEquals("--fiscal-year 'FY26' is not a year such as FY2026 or 2026", assertThrows(ReportError.class,
                () -> IpttRequest.parse(new String[] {"iptt", "--program", "p", "--fiscal-year", "FY26"})).getMessage());
        IpttRequest years = IpttRequest.parse(new String[] {"iptt", "--program", "p", "--fiscal-year", "FY2026", "--fiscal-year", "2025",
            "--fiscal-year", "2026", "--xlsx", "out/iptt.xlsx"});
        assertEquals(List.of(2026, 2025), years.fiscalYears(), "in the order asked, once each");
        assertEquals(2026, years.fiscalYear());
        assertEquals(java.nio.file.Path.of("out/iptt.xlsx"), years.xlsx());
        assertEquals("--csv writes one fiscal year; ask one --fiscal-year or use --xlsx for several", assertThrows(ReportError.class,
                () -> IpttRequest.parse(new String[] {"iptt", "--program", "p", "--fiscal-year", "2026", "--fiscal-year", "2025", "--csv", "x.csv"}))
                .getMessage());
        assertEquals("iptt needs --program P and --fiscal-year Y", assertThrows(ReportError.class,
                () -> IpttRequest.parse(new String[] {"iptt", "--program", "p"})).getMessage());
    }
}
