package org.fieldstream.clickhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TabSeparatedTest {

    @Test
    void readsNamesNullsAndEscapes() {
        List<Map<String, String>> rows = TabSeparated.parseWithNames("k\tn\tv\na\\tb\t\\N\tx\\\\y\\nz\nঢাকা\t\t'q'\n");
        assertEquals(2, rows.size());
        assertEquals("a\tb", rows.get(0).get("k"));
        assertNull(rows.get(0).get("n"));
        assertEquals("x\\y\nz", rows.get(0).get("v"));
        assertEquals("ঢাকা", rows.get(1).get("k"));
        assertEquals("", rows.get(1).get("n"));
        assertEquals("'q'", rows.get(1).get("v"));
    }

    @Test
    void emptyResultHasNoRows() {
        assertEquals(List.of(), TabSeparated.parseWithNames(""));
        assertEquals(List.of(), TabSeparated.parseWithNames("a\tb\n"));
    }

    @Test
    void failsOnRaggedRows() {
        assertThrows(IllegalStateException.class, () -> TabSeparated.parseWithNames("a\tb\n1\n"));
    }
}
