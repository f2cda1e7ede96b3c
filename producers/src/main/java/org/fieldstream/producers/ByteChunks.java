package org.fieldstream.producers;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * A byte stream read in chunks of 64 KiB: the readers of partner files walk its bytes either one at a
 * time ({@link #peek()}, {@link #read()}) or a chunk at a time ({@link #buffer()} between
 * {@link #position()} and {@link #limit()}, then {@link #skipTo(int)}). Not thread safe.
 */
public final class ByteChunks implements Closeable {

    private static final int CHUNK = 64 * 1024;

    private final InputStream in;
    private final byte[] chunk = new byte[CHUNK];
    private int position;
    private int limit;
    private boolean eof;

    public ByteChunks(InputStream in) {
        this.in = in;
    }

    /** Whether a byte is available, reading the next chunk when needed. */
    public boolean fill() throws IOException {
        if (position < limit) {
            return true;
        }
        if (eof) {
            return false;
        }
        int n;
        do {
            n = in.read(chunk, 0, CHUNK);
        } while (n == 0);
        if (n < 0) {
            eof = true;
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    /** The next byte without consuming it, or -1 at the end. */
    public int peek() throws IOException {
        return fill() ? chunk[position] & 0xFF : -1;
    }

    /** The next byte, or -1 at the end. */
    public int read() throws IOException {
        return fill() ? chunk[position++] & 0xFF : -1;
    }

    /** The current chunk; its unread bytes run from {@link #position()} to {@link #limit()}. */
    public byte[] buffer() {
        return chunk;
    }

    public int position() {
        return position;
    }

    public int limit() {
        return limit;
    }

    /** Consumes the bytes of the current chunk up to {@code newPosition}. */
    public void skipTo(int newPosition) {
        if (newPosition < position || newPosition > limit) {
            throw new IndexOutOfBoundsException(newPosition);
        }
        position = newPosition;
    }

    /**
     * Consumes {@code prefix} when the next bytes are exactly it, reading on until that many bytes are
     * at hand (or the input ends) even when the prefix is split over two reads of the stream.
     */
    public boolean skipPrefix(byte[] prefix) throws IOException {
        if (fill() && limit - position < prefix.length && !eof) {
            int n = limit - position;
            System.arraycopy(chunk, position, chunk, 0, n);
            position = 0;
            limit = n;
            while (limit < prefix.length) {
                int read = in.read(chunk, limit, CHUNK - limit);
                if (read < 0) {
                    eof = true;
                    break;
                }
                limit += read;
            }
        }
        if (limit - position < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (chunk[position + i] != prefix[i]) {
                return false;
            }
        }
        position += prefix.length;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
