package org.fieldstream.producers.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Copies a request body to a temporary file (owner-only, deleted after the batch), so the batch can be
 * read twice (checked, then published) in bounded memory, and a slow client holds nothing but its
 * own connection while it sends. Counts while copying: past {@code maxBytes} the body is refused,
 * and past the deadline too (checked after each read; a single read waits at most the body read
 * timeout).
 */
final class BodySpool {

    /** The body is longer than the limit. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(long limit) {
            super("request body larger than " + limit + " bytes");
        }
    }

    /** The body did not arrive in time. */
    static final class TooSlow extends IOException {
        private static final long serialVersionUID = 1L;

        TooSlow(long millis) {
            super("request body not received within " + millis + " ms");
        }
    }

    private BodySpool() {
    }

    static Path spool(InputStream body, long maxBytes, long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        Path file = Files.createTempFile("fieldstream-push-", ".body");
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                total += n;
                if (total > maxBytes) {
                    throw new TooLarge(maxBytes);
                }
                if (System.nanoTime() > deadline) {
                    throw new TooSlow(timeoutMillis);
                }
                out.write(buffer, 0, n);
            }
            return file;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }
}
