package org.fieldstream.producers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Writes to the original stream and to a capture: what a privacy test scans of this JVM's console and logs. */
final class TeeStream extends OutputStream {
    private final OutputStream first;
    private final ByteArrayOutputStream second;

    TeeStream(OutputStream first, ByteArrayOutputStream second) {
        this.first = first;
        this.second = second;
    }

    @Override
    public void write(int b) {
        synchronized (second) {
            second.write(b);
        }
        try {
            first.write(b);
        } catch (IOException ignored) {
            // the console is best effort
        }
    }

    @Override
    public void write(byte[] b, int off, int len) {
        synchronized (second) {
            second.write(b, off, len);
        }
        try {
            first.write(b, off, len);
        } catch (IOException ignored) {
            // the console is best effort
        }
    }
}
