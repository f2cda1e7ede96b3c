package org.fieldstream.producers;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Physical lines of a byte stream, each at most {@code maxBytes} long: the readers of CSV and JSON
 * Lines start here, so no record can grow past the row limit whatever its quotes or brackets say.
 * A line ends at LF, CRLF or a lone CR (the terminator is not part of it); a UTF-8 byte order mark
 * before the first line is skipped. A longer line is not kept: it is read to its end, counted and
 * reported {@link #oversize()}, and the next line reads normally. Not thread safe.
 */
public final class LineReader implements Closeable {

    private static final byte[] BYTE_ORDER_MARK = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final ByteChunks in;
    private final int maxBytes;
    private boolean started;

    private byte[] line = new byte[256];
    private int length;
    private long totalBytes;
    private long number;
    private long nextNumber = 1;

    public LineReader(InputStream in, int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        this.in = new ByteChunks(in);
        this.maxBytes = maxBytes;
    }

    /** Moves to the next line; false at the end of the input. */
    public boolean next() throws IOException {
        if (!started) {
            started = true;
            in.skipPrefix(BYTE_ORDER_MARK);
        }
        if (!in.fill()) {
            return false;
        }
        number = nextNumber;
        length = 0;
        totalBytes = 0;
        while (in.fill()) {
            byte[] chunk = in.buffer();
            int start = in.position();
            int limit = in.limit();
            int end = start;
            while (end < limit && chunk[end] != '\n' && chunk[end] != '\r') {
                end++;
            }
            keep(chunk, start, end - start);
            in.skipTo(end);
            if (end < limit) {
                if (in.read() == '\r' && in.peek() == '\n') {
                    in.read();
                }
                break;
            }
        }
        nextNumber = number + 1;
        return true;
    }

    /** The line's bytes, valid up to {@link #length()} until the next call of {@link #next()}. */
    public byte[] bytes() {
        return line;
    }

    /** Bytes kept: the whole line, or 0 when it was {@link #oversize()}. */
    public int length() {
        return oversize() ? 0 : length;
    }

    /** The line's real length in bytes, also when it was too long to keep. */
    public long totalBytes() {
        return totalBytes;
    }

    public boolean oversize() {
        return totalBytes > maxBytes;
    }

    /** 1-based physical line number. */
    public long number() {
        return number;
    }

    public int maxBytes() {
        return maxBytes;
    }

    /** Whether the line is empty or holds only spaces and tabs. */
    public boolean isBlank() {
        if (oversize()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (line[i] != ' ' && line[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    private void keep(byte[] chunk, int from, int n) {
        totalBytes += n;
        if (totalBytes > maxBytes) {
            return;
        }
        if (length + n > line.length) {
            line = Arrays.copyOf(line, Math.min(maxBytes, Math.max(line.length * 2, length + n)));
        }
        System.arraycopy(chunk, from, line, length, n);
        length += n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
