package org.fieldstream.app;

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
        first.put("enrolled", "7");
        Map<String, String> second = new LinkedHashMap<>();
        second.put("cohort_id", "x");
        second.put("enrolled", "123");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TextTable.print(List.of(first, second), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(String.join("\n",
                "  cohort_id enrolled",
                "  --------- --------",
                "  ndp-001          7",
                "  x              123", ""), bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void saysWhenThereAreNoRows() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TextTable.print(List.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals("  (no rows)\n", bytes.toString(StandardCharsets.UTF_8));
    }
}
