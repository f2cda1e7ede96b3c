package org.fieldstream.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class Utf8Test {

    private static int at(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return Utf8.invalidAt(b, 0, b.length);
    }

    @Test
    void acceptsAsciiBanglaAndFourByteSequences() {
        byte[] text = "PK-1 রোকেয়া 😀".getBytes(StandardCharsets.UTF_8);
        assertEquals(-1, Utf8.invalidAt(text, 0, text.length));
    }

    @Test
    void findsLoneContinuationsTruncatedOverlongSurrogateAndOutOfRangeSequences() {
        assertEquals(1, at('a', 0x80));
        assertEquals(1, at('a', 0xC3));
        assertEquals(0, at(0xC0, 0x80));
        assertEquals(0, at(0xE0, 0x80, 0x80));
        assertEquals(0, at(0xED, 0xA0, 0x80));
        assertEquals(0, at(0xF4, 0x90, 0x80, 0x80));
        assertEquals(0, at(0xF5, 0x80, 0x80, 0x80));
        assertEquals(2, at('a', 'b', 0xE2, 0x82));
        assertEquals(-1, at(0xE2, 0x82, 0xAC));
    }
}
