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
    void aTableStartsWithAByteOrderMarkSoSpreadsheetsReadBengaliAsUtf8() {
        java.util.List<Column> columns = java.util.List.of(new Column("district_name", "District", Col.Kind.TEXT),
                new Column("people_reached", "People reached", Col.Kind.COUNT));
        String csv = CsvTable.write(columns, java.util.List.of(java.util.Map.of("district_name", "সিরাজগঞ্জ", "people_reached", "12")));
        assertEquals("\uFEFFdistrict_name,people_reached\r\nসিরাজগঞ্জ,12\r\n", csv);
        assertEquals((byte) 0xEF, csv.getBytes(java.nio.charset.StandardCharsets.UTF_8)[0]);
    }

    @Test
    void numbersKeepTheirSign() {
        assertEquals("-3", CsvTable.field("-3"));
        assertEquals("-0.25", CsvTable.field("-0.25"));
        assertEquals("1.5E-4", CsvTable.field("1.5E-4"));
    }
}
