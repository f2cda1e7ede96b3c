package org.fieldstream.producers.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class CsvReaderTest {

    private static List<CsvReader.CsvRecord> read(String text) throws IOException {
        List<CsvReader.CsvRecord> records = new ArrayList<>();
        try (CsvReader reader = new CsvReader(new StringReader(text))) {
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
    void readsQuotedCommasDoubledQuotesAndLineBreaks() throws IOException {
        List<CsvReader.CsvRecord> records = read("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\nlast,1,2\n");
        assertEquals(List.of("x, y", "say \"hi\"", "two\nlines"), records.get(1).fields());
        assertEquals(2, records.get(1).line());
        assertEquals(4, records.get(2).line(), "the record after a quoted line break starts on physical line 4");
    }

    @Test
    void countsLinesWithCrLfAndLoneCr() throws IOException {
        List<CsvReader.CsvRecord> records = read("h1,h2\r\na,b\r\nc,d\re,f");
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
    void keepsEmptyFieldsAndReportsUnterminatedQuote() throws IOException {
        List<CsvReader.CsvRecord> records = read("a,b,c\n,,\n\"open,1\n");
        assertEquals(List.of("", "", ""), records.get(1).fields());
        assertNull(records.get(1).malformed());
        assertEquals("unterminated quoted field", records.get(2).malformed());
        assertEquals(3, records.get(2).line());
    }

    @Test
    void readsFieldsLongerThanTheBuffer() throws IOException {
        String longValue = "x".repeat(200_000);
        List<CsvReader.CsvRecord> records = read("a,b\n\"" + longValue + "\",2\n");
        assertEquals(longValue, records.get(1).fields().get(0));
        assertEquals("2", records.get(1).fields().get(1));
    }
}
