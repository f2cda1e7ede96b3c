package org.fieldstream.clickhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlTest {

    @Test
    void acceptsPlainIdentifiers() {
        assertEquals("field_events", Sql.identifier("field_events"));
        assertEquals("_x9", Sql.identifier("_x9"));
        assertEquals("it_ab12.v_targets", Sql.qualified("it_ab12", "v_targets"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "9abc", "a-b", "a.b", "a b", "a;DROP TABLE x", "a`b", "a'b", "ঢাকা", "a\nb"})
    void rejectsAnythingElseAsIdentifier(String name) {
        assertThrows(IllegalArgumentException.class, () -> Sql.identifier(name));
    }

    @Test
    void rejectsNullIdentifier() {
        assertThrows(IllegalArgumentException.class, () -> Sql.identifier(null));
    }

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        assertEquals("'it\\'s'", Sql.literal("it's"));
        assertEquals("'a\\\\b'", Sql.literal("a\\b"));
        assertEquals("'\\\\\\''", Sql.literal("\\'"));
        assertEquals("'x\\ny\\tz\\r\\0'", Sql.literal("x\ny\tz\r\0"));
        assertEquals("'ঢাকা বিভাগ'", Sql.literal("ঢাকা বিভাগ"));
        assertEquals("NULL", Sql.literal(null));
    }

    @Test
    void literalNeverEndsEarly() {
        // whatever the input, the only unescaped quotes are the first and the last character
        String literal = Sql.literal("'); DROP TABLE t; --\\'");
        String inner = literal.substring(1, literal.length() - 1);
        for (int i = 0; i < inner.length(); i++) {
            if (inner.charAt(i) == '\\') {
                i++;
            } else {
                assertEquals(false, inner.charAt(i) == '\'', "unescaped quote at " + i + " in " + literal);
            }
        }
    }
}
