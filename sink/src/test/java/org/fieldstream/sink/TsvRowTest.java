package org.fieldstream.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.fieldstream.events.AttendanceStatus;
import org.junit.jupiter.api.Test;

class TsvRowTest {

    /** Text the format gives meaning to, and text beyond ASCII. */
    static final List<String> TRICKY = List.of(
            "", "plain", "tab\there", "new\nline", "cr\r\nlf", "back\\slash", "\\N", "\\t not a tab", "it's \"quoted\"",
            "ঢাকা বিভাগ — লিঙ্গ সমতা", "nul\0byte", "bell\b and feed\f", "emoji 👩🏽‍🌾 pair", "trailing backslash\\",
            "\u00e9\u0301 accents", "x".repeat(2000));

    private static String line(TsvRow row) {
        return new String(row.end(), StandardCharsets.UTF_8);
    }

    @Test
    void escapesWhatTheFormatGivesMeaningTo() {
        assertEquals("a\\tb\tc\\nd\te\\\\f\tg\\r\\0h\n",
                line(new TsvRow().begin().text("a\tb").text("c\nd").text("e\\f").text("g\r\0h")));
        assertEquals("\\\\N\t\\N\t\n", line(new TsvRow().begin().text("\\N").text(null).text("")));
    }

    @Test
    void everyTrickyTextReadsBackUnchanged() {
        for (String text : TRICKY) {
            byte[] line = new TsvRow().begin().text(text).integer(7).end();
            Map<String, String> row = InMemoryTableWriter.decode(List.of("s", "n"), line);
            assertEquals(text, row.get("s"), "round trip of " + text.length() + " chars");
            assertEquals("7", row.get("n"));
            assertEquals(1, count(line, (byte) '\n'), "one newline, at the end");
        }
    }

    @Test
    void writesUtf8AsJavaDoes() {
        for (String text : List.of("ঢাকা", "€", "👩🏽‍🌾", "mixed ascii and ঢাকা and 𝄞")) {
            byte[] line = new TsvRow().begin().text(text).end();
            byte[] expected = (text + "\n").getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(expected, line);
        }
        assertEquals("a?b\n", line(new TsvRow().begin().text("a\uD800b")), "an unpaired surrogate has no UTF-8 form");
    }

    @Test
    void numbersBooleansAndSpecialFloats() {
        assertEquals("0\t-1\t2147483648\t-9223372036854775808\t9223372036854775807\n",
                line(new TsvRow().begin().integer(0).integer(-1).integer(2_147_483_648L).integer(Long.MIN_VALUE).integer(Long.MAX_VALUE)));
        assertEquals("1\t0\tnan\tinf\t-inf\t0.25\t1.0E-7\n", line(new TsvRow().begin().flag(true).flag(false)
                .floating(Double.NaN).floating(Double.POSITIVE_INFINITY).floating(Double.NEGATIVE_INFINITY).floating(0.25).floating(1e-7)));
    }

    @Test
    void valuesOfEveryAvroKind() {
        TsvRow row = new TsvRow().begin().value("a", null).value("b", true).value("c", 5L).value("d", 5).value("e", 1.5)
                .value("f", 2.5f).value("g", AttendanceStatus.PRESENT).value("h", new StringBuilder("sb"))
                .value("i", LocalDate.of(2105, 12, 31)).value("j", Instant.parse("2026-03-02T08:15:30.999Z"))
                .value("k", Instant.EPOCH).value("l", LocalDate.of(1970, 1, 1));
        assertEquals("\\N\t1\t5\t5\t1.5\t2.5\tpresent\tsb\t2105-12-31\t2026-03-02 08:15:30\t1970-01-01 00:00:00\t1970-01-01\n", line(row));
    }

    @Test
    void refusesValuesOutsideTheColumnRangesNamingTheField() {
        TsvRow row = new TsvRow().begin();
        // 18.16 silently stores later dates as 0000-00-00 (TsvInsertIT would see it)
        IllegalArgumentException date = assertThrows(IllegalArgumentException.class, () -> row.value("held_on", LocalDate.of(2106, 1, 1)));
        assertTrue(date.getMessage().contains("held_on"), date.getMessage());
        assertThrows(IllegalArgumentException.class, () -> row.value("d", LocalDate.of(1969, 12, 31)));
        IllegalArgumentException time = assertThrows(IllegalArgumentException.class,
                () -> row.value("occurred_at", Instant.parse("1969-12-31T23:59:59Z")));
        assertTrue(time.getMessage().contains("occurred_at"), time.getMessage());
        assertThrows(IllegalArgumentException.class, () -> row.value("t", Instant.parse("2106-01-01T00:00:00Z")));
        assertEquals("2105-12-31 23:59:59\n", line(new TsvRow().begin().value("t", Instant.parse("2105-12-31T23:59:59.999Z"))));
        assertThrows(IllegalArgumentException.class, () -> row.value("o", new Object()));
    }

    @Test
    void beginForgetsThePreviousRowAndLongRowsGrowTheBuffer() {
        TsvRow row = new TsvRow();
        row.begin().text("first").text("x".repeat(5000));
        assertEquals("second\t\\N\n", line(row.begin().text("second").nullValue()));
        Map<String, String> decoded = InMemoryTableWriter.decode(List.of("a", "b"), row.begin().text("ঢ".repeat(3000)).text("b").end());
        assertEquals("ঢ".repeat(3000), decoded.get("a"));
        assertNull(InMemoryTableWriter.decode(List.of("a"), new TsvRow().begin().nullValue().end()).get("a"));
    }

    private static int count(byte[] bytes, byte b) {
        int n = 0;
        for (byte x : bytes) {
            if (x == b) {
                n++;
            }
        }
        return n;
    }
}
