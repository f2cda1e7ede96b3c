package org.fieldstream.producers.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class CsvReaderTest {

    private static List<CsvReader.CsvRecord> read(String text) throws IOException {
        return read(text.getBytes(StandardCharsets.UTF_8), 64 * 1024);
    }

    private static List<CsvReader.CsvRecord> read(byte[] bytes, int maxRow) throws IOException {
        List<CsvReader.CsvRecord> records = new ArrayList<>();
        try (CsvReader reader = new CsvReader(new ByteArrayInputStream(bytes), maxRow)) {
            for (CsvReader.CsvRecord r = reader.next(); r != null; r = reader.next()) {
                records.add(r);
            }
        }
        return records;
    }

    @Test
    void skipsByteOrderMarkBeforeTheHeader() throws IOException {
        List<CsvReader.CsvRecord> records = read("\uFEFFcohort_id,topic\nC1,x\n");
        assertEquals(List.of("cohort_id", "topic"), records.get(0).fields());
        assertEquals(List.of("C1", "x"), records.get(1).fields());
    }

    @Test
    void readsQuotedCommasDoubledQuotesAndSpacesAroundQuotes() throws IOException {
        List<CsvReader.CsvRecord> records = read("a,b,c\n\"x, y\",\"say \"\"hi\"\"\", \"Begum, Rokeya\" \nlast,1,2\n");
        assertEquals(List.of("x, y", "say \"hi\"", "Begum, Rokeya"), records.get(1).fields());
        assertNull(records.get(1).malformed());
        assertEquals(3, records.get(2).line());
    }

    @Test
    void tellsQuotedFieldsAndKeepsTheSpacesAfterAnUnquotedFieldsSeparator() throws IOException {
        CsvReader.CsvRecord r = read("D1,Begum, Rokeya, \"chair\"\n").get(0);
        assertEquals(List.of("D1", "Begum", " Rokeya", "chair"), r.fields());
        assertEquals("{3}", r.quoted().toString());
    }

    @Test
    void aQuoteLeftOpenIsOneMalformedLineAndTheNextLinesAreRead() throws IOException {
        List<CsvReader.CsvRecord> records = read("a,b,c\nC1,\"open,1\nC2,x,2\nC3,y,3\n");
        assertEquals(4, records.size());
        CsvReader.CsvRecord open = records.get(1);
        assertEquals(2, open.line());
        assertTrue(open.malformed().contains("not closed on its line"), open.malformed());
        assertEquals(1, open.field());
        assertEquals(1, open.openQuote());
        assertEquals(List.of("C2", "x", "2"), records.get(2).fields());
        assertNull(records.get(2).malformed());
        assertEquals(List.of("C3", "y", "3"), records.get(3).fields());
    }

    @Test
    void aQuoteClosedTwoLinesLaterRejectsBothEndsAndKeepsTheLineBetween() throws IOException {
        List<CsvReader.CsvRecord> records = read("a,b,c\nC1,\"PK-1,f\nC1,PK-2,f\nC1,PK-3\",f\nC1,PK-4,f\n");
        assertEquals(List.of(2L, 3L, 4L, 5L), records.subList(1, 5).stream().map(CsvReader.CsvRecord::line).toList());
        assertTrue(records.get(1).malformed().contains("not closed"));
        assertNull(records.get(2).malformed());
        assertTrue(records.get(3).malformed().contains("double quote inside an unquoted value"), records.get(3).malformed());
        assertEquals(1, records.get(3).field());
        assertNull(records.get(4).malformed());
    }

    @Test
    void textAfterAClosingQuoteIsMalformed() throws IOException {
        CsvReader.CsvRecord r = read("a,b\n\"Begum\" Rokeya,2\n").get(1);
        assertTrue(r.malformed().contains("text after the closing quote"), r.malformed());
        assertEquals(0, r.field());
        assertEquals(List.of("Begum Rokeya", "2"), r.fields());
    }

    @Test
    void countsLinesWithCrLfAndLoneCrEvenWhenSplitBetweenReads() throws IOException {
        byte[] bytes = "h1,h2\r\na,b\r\nc,d\re,f".getBytes(StandardCharsets.UTF_8);
        List<CsvReader.CsvRecord> records = new ArrayList<>();
        try (CsvReader reader = new CsvReader(oneByteAtATime(bytes), 1024)) {
            for (CsvReader.CsvRecord r = reader.next(); r != null; r = reader.next()) {
                records.add(r);
            }
        }
        assertEquals(List.of(1L, 2L, 3L, 4L), records.stream().map(CsvReader.CsvRecord::line).toList());
        assertEquals(List.of("e", "f"), records.get(3).fields());
    }

    @Test
    void keepsBanglaTextIntact() throws IOException {
        List<CsvReader.CsvRecord> records = read("topic\n\"নারী নেতৃত্ব, প্রশিক্ষণ\"\nস্বাস্থ্য\n");
        assertEquals("নারী নেতৃত্ব, প্রশিক্ষণ", records.get(1).fields().get(0));
        assertEquals("স্বাস্থ্য", records.get(2).fields().get(0));
    }

    @Test
    void keepsEmptyFields() throws IOException {
        List<CsvReader.CsvRecord> records = read("a,b,c\n,,\n");
        assertEquals(List.of("", "", ""), records.get(1).fields());
        assertNull(records.get(1).malformed());
    }

    @Test
    void aLineOverTheRowLimitIsMalformedAndTheNextLineReads() throws IOException {
        String longValue = "x".repeat(200_000);
        List<CsvReader.CsvRecord> records = read(("a,b\n\"" + longValue + "\",2\nok,3\n").getBytes(StandardCharsets.UTF_8), 64 * 1024);
        assertEquals(3, records.size());
        assertTrue(records.get(1).malformed().contains("200,004 bytes, more than the row limit of 65,536 bytes"),
                records.get(1).malformed());
        assertTrue(records.get(1).fields().isEmpty());
        assertEquals(List.of("ok", "3"), records.get(2).fields());
        assertEquals(3, records.get(2).line());
    }

    @Test
    void readsFieldsUpToTheRowLimit() throws IOException {
        String longValue = "x".repeat(60_000);
        List<CsvReader.CsvRecord> records = read("a,b\n\"" + longValue + "\",2\n");
        assertEquals(longValue, records.get(1).fields().get(0));
        assertEquals("2", records.get(1).fields().get(1));
    }

    @Test
    void invalidUtf8IsMalformedNamingTheField() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("a,b,c\nC1,\"Ra".getBytes(StandardCharsets.UTF_8));
        out.write(0xC3); // a lead byte without its continuation
        out.writeBytes("hima\",x\nC2,ok,y\n".getBytes(StandardCharsets.UTF_8));
        List<CsvReader.CsvRecord> records = read(out.toByteArray(), 1024);
        assertTrue(records.get(1).malformed().startsWith("not valid UTF-8 (byte 7"), records.get(1).malformed());
        assertEquals(1, records.get(1).field());
        assertNull(records.get(2).malformed());
    }

    private static InputStream oneByteAtATime(byte[] bytes) {
        return new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(1, len));
            }
        };
    }
}
