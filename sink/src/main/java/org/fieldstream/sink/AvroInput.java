package org.fieldstream.sink;

import java.nio.charset.StandardCharsets;

/**
 * Reads Avro binary-encoded primitives from an array, as the Avro specification lays them out
 * (zig-zag varints, little-endian IEEE floats, length-prefixed strings). Reading past the end
 * throws {@link IndexOutOfBoundsException}; callers treat any failure as "not this way".
 */
final class AvroInput {

    private final byte[] bytes;
    private int pos;

    AvroInput(byte[] bytes, int offset) {
        this.bytes = bytes;
        this.pos = offset;
    }

    long readLong() {
        long raw = 0;
        int shift = 0;
        while (true) {
            byte b = bytes[pos++];
            raw |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                break;
            }
            shift += 7;
            if (shift > 63) {
                throw new IllegalStateException("varint longer than 10 bytes");
            }
        }
        return raw >>> 1 ^ -(raw & 1);
    }

    int readInt() {
        long value = readLong();
        if (value != (int) value) {
            throw new IllegalStateException("int out of range");
        }
        return (int) value;
    }

    boolean readBoolean() {
        byte b = bytes[pos++];
        if (b != 0 && b != 1) {
            throw new IllegalStateException("not a boolean");
        }
        return b == 1;
    }

    double readDouble() {
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits |= (bytes[pos + i] & 0xFFL) << 8 * i;
        }
        pos += 8;
        return Double.longBitsToDouble(bits);
    }

    float readFloat() {
        int bits = 0;
        for (int i = 0; i < 4; i++) {
            bits |= (bytes[pos + i] & 0xFF) << 8 * i;
        }
        pos += 4;
        return Float.intBitsToFloat(bits);
    }

    /** Length of the string that follows; the bytes are then at {@link #position()}. */
    int readStringLength() {
        int length = readInt();
        if (length < 0 || length > bytes.length - pos) {
            throw new IndexOutOfBoundsException("string length " + length);
        }
        return length;
    }

    void skip(int length) {
        pos += length;
    }

    int position() {
        return pos;
    }

    byte[] bytes() {
        return bytes;
    }

    String string(int from, int length) {
        return new String(bytes, from, length, StandardCharsets.UTF_8);
    }
}
