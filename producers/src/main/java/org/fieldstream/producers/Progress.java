package org.fieldstream.producers;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a long ingest on stderr, at most every two seconds: rows, rows/s, rejected so far.
 * Checked on each row, so it needs no thread; a silent instance prints nothing.
 */
public final class Progress {

    private static final long INTERVAL_NANOS = 2_000_000_000L;

    private final PrintStream out;
    private final LongSupplier nanoTime;
    private final long started;
    private long nextReport;
    private long rows;
    private long rejected;

    public Progress(PrintStream out, LongSupplier nanoTime) {
        this.out = out;
        this.nanoTime = nanoTime;
        this.started = nanoTime.getAsLong();
        this.nextReport = started + INTERVAL_NANOS;
    }

    public static Progress silent() {
        return new Progress(null, System::nanoTime);
    }

    public void row(boolean accepted) {
        rows++;
        if (!accepted) {
            rejected++;
        }
        if (out != null && (rows & 255) == 0) {
            long now = nanoTime.getAsLong();
            if (now >= nextReport) {
                nextReport = now + INTERVAL_NANOS;
                out.println(line(now));
            }
        }
    }

    public long rows() {
        return rows;
    }

    public long rejected() {
        return rejected;
    }

    public double rowsPerSecond() {
        return rate(nanoTime.getAsLong());
    }

    String line(long now) {
        return String.format(Locale.ROOT, "ingest: %,d rows, %,.0f rows/s, %,d rejected", rows, rate(now), rejected);
    }

    private double rate(long now) {
        double seconds = Math.max(1e-9, (now - started) / 1e9);
        return rows / seconds;
    }
}
