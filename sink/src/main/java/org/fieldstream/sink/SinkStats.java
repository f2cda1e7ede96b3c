package org.fieldstream.sink;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one sink, readable from any thread (and over JMX through {@link SinkStatsMBean}).
 * Lag is the sum over assigned partitions of records not yet read, as last seen by the loop.
 */
public final class SinkStats implements SinkStatsMBean {

    private final AtomicLong rowsWritten = new AtomicLong();
    private final AtomicLong batchesWritten = new AtomicLong();
    private final AtomicLong writeRetries = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong lag = new AtomicLong(-1);
    private final AtomicLong writeRunning = new AtomicLong();
    private volatile boolean blocked;

    void batchWritten(int rows, int rejects) {
        rowsWritten.addAndGet(rows);
        deadLettered.addAndGet(rejects);
        batchesWritten.incrementAndGet();
    }

    void retry() {
        writeRetries.incrementAndGet();
    }

    void lag(long value) {
        lag.set(value);
    }

    void writeRunning(long millis) {
        writeRunning.set(millis);
    }

    void blocked(boolean value) {
        blocked = value;
    }

    @Override
    public long getRowsWritten() {
        return rowsWritten.get();
    }

    @Override
    public long getBatchesWritten() {
        return batchesWritten.get();
    }

    @Override
    public long getWriteRetries() {
        return writeRetries.get();
    }

    @Override
    public long getDeadLettered() {
        return deadLettered.get();
    }

    @Override
    public long getLag() {
        return lag.get();
    }

    @Override
    public long getWriteRunningMillis() {
        return writeRunning.get();
    }

    @Override
    public boolean isBlocked() {
        return blocked;
    }
}
