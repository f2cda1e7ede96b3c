package org.fieldstream.producers.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.io.Content;

/**
 * Copies a request body to a temporary file (owner-only, deleted after the batch), so the batch can be
 * read twice (checked, then published) in bounded memory. Counts while copying: past
 * {@code maxBytes} the body is refused, and so is a body that falls behind its {@link BodyPace}; a
 * wait for the next bytes lasts no longer than the pace allows, so a client that stops sending (or
 * declared more than it sends) is refused then, not when the connection's idle timeout fires.
 */
final class BodySpool {

    /** The body is longer than the limit. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(long limit) {
            super("request body larger than " + limit + " bytes");
        }
    }

    /** The body did not arrive in time, or not whole. */
    static final class TooSlow extends IOException {
        private static final long serialVersionUID = 1L;

        TooSlow(String message) {
            super(message);
        }
    }

    private BodySpool() {
    }

    static Path spool(Content.Source body, long maxBytes, BodyPace pace) throws IOException {
        Path file = Files.createTempFile("fieldstream-push-", ".body");
        Semaphore ready = new Semaphore(0);
        Runnable wake = ready::release; // one instance: a demand still pending is the same demand
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
            long total = 0;
            while (true) {
                Content.Chunk chunk = body.read();
                if (chunk == null) {
                    long slack = pace.slackNanos(total, System.nanoTime());
                    if (slack <= 0) {
                        throw new TooSlow(pace.reason(total));
                    }
                    body.demand(wake);
                    ready.tryAcquire(slack, TimeUnit.NANOSECONDS);
                    continue;
                }
                try {
                    if (Content.Chunk.isFailure(chunk)) {
                        // the connection's idle timeout or the client went away
                        throw new TooSlow("request body not received whole: " + total + " bytes arrived");
                    }
                    ByteBuffer bytes = chunk.getByteBuffer();
                    total += bytes.remaining();
                    if (total > maxBytes) {
                        throw new TooLarge(maxBytes);
                    }
                    while (bytes.hasRemaining()) {
                        out.write(bytes);
                    }
                    if (chunk.isLast()) {
                        return file;
                    }
                } finally {
                    chunk.release();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Files.deleteIfExists(file);
            throw new InterruptedIOException("interrupted while receiving a request body");
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }
}
