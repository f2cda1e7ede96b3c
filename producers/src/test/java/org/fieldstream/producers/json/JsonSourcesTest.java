package org.fieldstream.producers.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.fieldstream.producers.Layout;
import org.fieldstream.producers.RowSource;
import org.fieldstream.producers.SourceRow;
import org.junit.jupiter.api.Test;

class JsonSourcesTest {

    private static List<SourceRow> lines(byte[] body) throws IOException {
        return all(new JsonLinesSource(new ByteArrayInputStream(body), "f.jsonl", null, false, false, 1024));
    }

    private static List<SourceRow> array(String body) throws Exception {
        return all(JsonArraySource.open(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), "req", null, 1024));
    }

    private static List<SourceRow> all(RowSource source) throws IOException {
        List<SourceRow> rows = new ArrayList<>();
        try (source) {
            for (SourceRow r = source.next(); r != null; r = source.next()) {
                rows.add(r);
            }
        }
        return rows;
    }

    @Test
    void aBrokenLineIsRejectedWithoutQuotingItsTokensAndTheNextLineReads() throws IOException {
        List<SourceRow> rows = lines(("{\"layout\":\"enrolments\",\"name\": Shahnaz Parvin}\n"
                + "{\"layout\":\"sessions\",\"cohort_id\":\"C1\",\"session_number\":1,\"held_on\":\"2026-02-02\"}\n")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(2, rows.size());
        assertTrue(rows.get(0).malformed().startsWith("not valid JSON: unexpected content at column"), rows.get(0).malformed());
        assertFalse(rows.get(0).malformed().contains("Shahnaz"));
        assertEquals("f.jsonl:1", rows.get(0).sourceRef());
        assertNull(rows.get(1).malformed());
        assertEquals("C1", rows.get(1).get("cohort_id"));
    }

    @Test
    void invalidUtf8NamesTheFieldAndValuesUnderPersonalKeysAreMarkedPersonal() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"layout\":\"enrolments\",\"cohort_id\":\"C1\",\"person_key\":\"PK-9\",\"sex\":\"f".getBytes(StandardCharsets.UTF_8));
        out.write(0xFF);
        out.writeBytes("\",\"enrolled_on\":\"2026-02-01\",\"guardian\":{\"name\":\"x\"},\"name\":\"Rokeya\"}\n".getBytes(StandardCharsets.UTF_8));
        SourceRow row = lines(out.toByteArray()).get(0);
        assertTrue(row.malformed().startsWith("not valid UTF-8"), row.malformed());
        assertEquals("sex", row.malformedField());
        assertEquals(java.util.Set.of("PK-9", "Rokeya"), row.personal());
    }

    @Test
    void aLineOverTheRowLimitAndAnUnpairedSurrogateAreRejectedRows() throws IOException {
        String big = "{\"layout\":\"sessions\",\"cohort_id\":\"" + "x".repeat(2000) + "\"}\n";
        String surrogate = "{\"layout\":\"attendance\",\"cohort_id\":\"C1\",\"person_key\":\"PK\\ud800\"}\n";
        List<SourceRow> rows = lines((big + surrogate).getBytes(StandardCharsets.UTF_8));
        assertTrue(rows.get(0).malformed().contains("more than the row limit of 1,024 bytes"), rows.get(0).malformed());
        assertEquals("person_key", rows.get(1).malformedField());
        assertTrue(rows.get(1).malformed().contains("unpaired surrogate"));
    }

    @Test
    void unknownLayoutIsNotQuoted() throws IOException {
        SourceRow row = lines("{\"layout\":\"Rokeya Begum\"}\n".getBytes(StandardCharsets.UTF_8)).get(0);
        assertFalse(row.malformed().contains("Rokeya"), row.malformed());
        assertEquals("layout", row.malformedField());
    }

    @Test
    void arrayElementsAreSplitOnBytesSoAnOversizeOrBrokenElementIsOneRow() throws Exception {
        String body = " [ {\"layout\":\"sessions\",\"cohort_id\":\"C,1]\",\"session_number\":1,\"held_on\":\"2026-02-02\"},\n"
                + "{\"layout\":\"sessions\",\"topic\":\"" + "y".repeat(5000) + "\"},"
                + "{\"layout\":\"sessions\",\"cohort_id\": Shahnaz},"
                + "{\"layout\":\"sessions\",\"cohort_id\":\"C2\",\"session_number\":2,\"held_on\":\"2026-02-03\"} ]  ";
        List<SourceRow> rows = array(body);
        assertEquals(4, rows.size());
        assertEquals("C,1]", rows.get(0).get("cohort_id"));
        assertTrue(rows.get(1).malformed().contains("more than the row limit"), rows.get(1).malformed());
        assertTrue(rows.get(2).malformed().startsWith("not valid JSON"), rows.get(2).malformed());
        assertFalse(rows.get(2).malformed().contains("Shahnaz"));
        assertEquals("req#4", rows.get(3).sourceRef());
        assertEquals("C2", rows.get(3).get("cohort_id"));
        assertEquals(Layout.SESSIONS, rows.get(3).layout());
    }

    @Test
    void anArrayNotClosedOrFollowedByContentIsAMalformedBody() {
        assertThrows(JsonLinesSource.MalformedBody.class, () -> array("[{\"layout\":\"sessions\"}"));
        assertThrows(JsonLinesSource.MalformedBody.class, () -> array("[{\"layout\":\"sessions\"}] trailing"));
    }
}
