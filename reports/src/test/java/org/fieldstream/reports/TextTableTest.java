package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TextTableTest {

    @Test
    void alignsColumnsAndRightAlignsNumbers() {
        Map<String, String> first = new LinkedHashMap<>();
        first.put("cohort_id", "ndp-001");
        first.put("retention_rate", "0.75");
        Map<String, String> second = new LinkedHashMap<>();
        second.put("cohort_id", "x");
        second.put("retention_rate", null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TextTable.print(List.of(first, second), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(String.join("\n",
                "  cohort_id retention_rate",
                "  --------- --------------",
                "  ndp-001             0.75",
                "  x                       ", ""), bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void saysWhenThereAreNoRows() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TextTable.print(List.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals("  (no rows)\n", bytes.toString(StandardCharsets.UTF_8));
    }
}
