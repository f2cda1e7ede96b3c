package org.fieldstream.producers;

/**
 * Strict UTF-8 validation. Input that is not valid UTF-8 is a rejected row, never silently replaced:
 * replacement characters would let two different person keys become the same person.
 */
public final class Utf8 {

    private Utf8() {
    }

    /**
     * The offset of the first byte in {@code bytes[from, to)} that does not start or continue a valid
     * sequence (overlong forms, surrogates and code points past U+10FFFF included), or -1 if all is valid.
     */
    public static int invalidAt(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int need;
            int lo = 0x80;
            int hi = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                need = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                need = 2;
                if (b == 0xE0) {
                    lo = 0xA0;
                } else if (b == 0xED) {
                    hi = 0x9F;
                }
            } else if (b >= 0xF0 && b <= 0xF4) {
                need = 3;
                if (b == 0xF0) {
                    lo = 0x90;
                } else if (b == 0xF4) {
                    hi = 0x8F;
                }
            } else {
                return i;
            }
            if (i + need >= to) {
                return i; // the sequence is cut off by the end of the input
            }
            int second = bytes[i + 1] & 0xFF;
            if (second < lo || second > hi) {
                return i;
            }
            for (int k = 2; k <= need; k++) {
                int c = bytes[i + k] & 0xFF;
                if (c < 0x80 || c > 0xBF) {
                    return i;
                }
            }
            i += need + 1;
        }
        return -1;
    }
}
