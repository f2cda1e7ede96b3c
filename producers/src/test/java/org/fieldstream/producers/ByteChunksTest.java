package org.fieldstream.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.junit.jupiter.api.Test;

class ByteChunksTest {

    private static final byte[] MARK = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** Hands out one byte per read, with an empty read before each. */
    private static InputStream trickle(byte... bytes) {
        return new InputStream() {
            private int next;
            private boolean empty = true;

            @Override
            public int read() {
                return next < bytes.length ? bytes[next++] & 0xFF : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                empty = !empty;
                if (empty) {
                    return 0;
                }
                int c = read();
                if (c < 0) {
                    return -1;
                }
                b[off] = (byte) c;
                return 1;
            }
        };
    }

    @Test
    void readsAndPeeksEveryByteThenReportsTheEnd() throws IOException {
        ByteChunks chunks = new ByteChunks(trickle((byte) 'a', (byte) 0xFF));
        assertEquals('a', chunks.peek());
        assertEquals('a', chunks.read());
        assertEquals(0xFF, chunks.read());
        assertEquals(-1, chunks.peek());
        assertEquals(-1, chunks.read());
        assertFalse(chunks.fill());
    }

    @Test
    void skipsAPrefixSplitOverSeveralReads() throws IOException {
        ByteChunks chunks = new ByteChunks(trickle((byte) 0xEF, (byte) 0xBB, (byte) 0xBF, (byte) 'x'));
        assertTrue(chunks.skipPrefix(MARK));
        assertEquals('x', chunks.read());
        assertEquals(-1, chunks.read());
    }

    @Test
    void keepsTheBytesWhenThePrefixDoesNotMatchOrTheInputIsShorter() throws IOException {
        ByteChunks other = new ByteChunks(trickle((byte) 0xEF, (byte) 'y', (byte) 0xBF));
        assertFalse(other.skipPrefix(MARK));
        assertEquals(0xEF, other.read());
        assertEquals('y', other.read());

        ByteChunks shorter = new ByteChunks(new ByteArrayInputStream(new byte[] {(byte) 0xEF, (byte) 0xBB}));
        assertFalse(shorter.skipPrefix(MARK));
        assertEquals(0xEF, shorter.read());
        assertEquals(0xBB, shorter.read());
        assertEquals(-1, shorter.read());
    }

    @Test
    void walksAChunkInPlace() throws IOException {
        ByteChunks chunks = new ByteChunks(new ByteArrayInputStream("abc".getBytes()));
        assertTrue(chunks.fill());
        assertEquals(0, chunks.position());
        assertEquals(3, chunks.limit());
        assertEquals('b', chunks.buffer()[1]);
        chunks.skipTo(2);
        assertEquals('c', chunks.read());
    }
}
