package org.fieldstream.streams;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The binary layout of every internal value of the streams application (state stores and
 * repartition topics): a format-version byte, then varints and length-prefixed UTF-8 strings.
 * The values never leave the application; a layout change bumps {@link #FORMAT}, which is also part
 * of the Kafka Streams application id ({@link StreamsSettings#kafkaApplicationId()}), so a new
 * layout always starts from the event log instead of reading state written in another one.
 */
final class Compact {

    /**
     * Version of the layout of every internal value; a value of another version is refused. Also
     * bumped when the cells a stored value expands into change (6: calendar and fiscal years), so the
     * cell counts are rebuilt from the log with every cell.
     */
    static final byte FORMAT = 6;

    private Compact() {
    }

    interface Writable {
        void writeTo(Writer out);
    }

    interface Reading<T> {
        T read(Reader in);
    }

    interface Writing<T> {
        void write(Writer out, T value);
    }

    /** A serde whose bytes start with {@link #FORMAT}; null stays null (a tombstone). */
    static <T extends Writable> Serde<T> serde(Reading<T> reading) {
        return Serdes.serdeFrom((topic, value) -> value == null ? null : encode(value),
                (topic, bytes) -> bytes == null ? null : decode(bytes, reading));
    }

    /** A serde whose bytes start with {@link #FORMAT}, for a value whose layout a serde class writes and reads. */
    static <T> Serde<T> serde(Writing<T> writing, Reading<T> reading) {
        return Serdes.serdeFrom((topic, value) -> value == null ? null : encode(value, writing),
                (topic, bytes) -> bytes == null ? null : decode(bytes, reading));
    }

    static byte[] encode(Writable value) {
        return encode(value, (out, v) -> v.writeTo(out));
    }

    static <T> byte[] encode(T value, Writing<T> writing) {
        Writer out = new Writer(64);
        out.writeByte(FORMAT);
        writing.write(out, value);
        return out.toByteArray();
    }

    static <T> T decode(byte[] bytes, Reading<T> reading) {
        Reader in = new Reader(bytes);
        int format = in.readByte();
        if (format != FORMAT) {
            throw new IllegalStateException("internal value in state format " + format + ", this version reads " + FORMAT
                    + ": the application id carries the format, so this state belongs to another version");
        }
        return reading.read(in);
    }

    /** Appends to a growing array. */
    static final class Writer {
        private byte[] buf;
        private int size;

        Writer(int capacity) {
            buf = new byte[capacity];
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        void writeByte(int b) {
            ensure(1);
            buf[size++] = (byte) b;
        }

        void writeBoolean(boolean b) {
            writeByte(b ? 1 : 0);
        }

        /** Unsigned LEB128 of the zig-zag encoding: small magnitudes of either sign take one byte. */
        void writeInt(int v) {
            writeLong(v);
        }

        void writeLong(long v) {
            long z = (v << 1) ^ (v >> 63);
            ensure(10);
            while ((z & ~0x7FL) != 0) {
                buf[size++] = (byte) ((z & 0x7F) | 0x80);
                z >>>= 7;
            }
            buf[size++] = (byte) z;
        }

        /** A string or null: length + 1 (0 for null), then UTF-8. */
        void writeString(String s) {
            if (s == null) {
                writeInt(0);
                return;
            }
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            writeInt(utf8.length + 1);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, buf, size, utf8.length);
            size += utf8.length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }
    }

    /** Reads what a {@link Writer} wrote, in the same order. */
    static final class Reader {
        private final byte[] buf;
        private int pos;

        Reader(byte[] buf) {
            this.buf = buf;
        }

        int readByte() {
            return buf[pos++];
        }

        boolean readBoolean() {
            return buf[pos++] != 0;
        }

        int readInt() {
            return (int) readLong();
        }

        long readLong() {
            long z = 0;
            int shift = 0;
            while (true) {
                byte b = buf[pos++];
                z |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    break;
                }
                shift += 7;
            }
            return (z >>> 1) ^ -(z & 1);
        }

        String readString() {
            int n = readInt();
            if (n == 0) {
                return null;
            }
            String s = new String(buf, pos, n - 1, StandardCharsets.UTF_8);
            pos += n - 1;
            return s;
        }

        boolean atEnd() {
            return pos >= buf.length;
        }
    }
}
