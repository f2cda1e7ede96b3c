package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CsvTableTest {

    @Test
    void quotesFieldsWithSeparatorsQuotesAndLineBreaks() {
        assertEquals("plain", CsvTable.field("plain"));
        assertEquals("\"a,b\"", CsvTable.field("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", CsvTable.field("say \"hi\""));
        assertEquals("\"two\nlines\"", CsvTable.field("two\nlines"));
    }

    @Test
    void aPartnersTextThatASpreadsheetWouldRunAsAFormulaIsKeptAsText() {
        assertEquals("'=HYPERLINK(\"http://x\")", CsvTable.field("=HYPERLINK(\"http://x\")").replace("\"\"", "\"").replaceAll("^\"|\"$", ""));
        assertEquals("'+cmd", CsvTable.field("+cmd"));
        assertEquals("'@SUM(A1)", CsvTable.field("@SUM(A1)"));
        assertEquals("'-2+3", CsvTable.field("-2+3"));
        assertEquals("'\tx", CsvTable.field("\tx"));
    }

    @Test
    void numbersKeepTheirSign() {
        assertEquals("-3", CsvTable.field("-3"));
        assertEquals("-0.25", CsvTable.field("-0.25"));
        assertEquals("1.5E-4", CsvTable.field("1.5E-4"));
    }
}
