package org.fieldstream.sink;

/** JMX view of {@link SinkStats}, registered as {@code org.fieldstream:type=Sink,name=<group>}. */
public interface SinkStatsMBean {
    long getRowsWritten();

    long getBatchesWritten();

    long getWriteRetries();

    long getDeadLettered();

    /** Records behind the end of the assigned partitions; -1 before the first poll. */
    long getLag();

    /** How long the write in flight has been running, in ms; 0 when none runs. */
    long getWriteRunningMillis();

    /** True while a batch is waiting for ClickHouse to come back, or a write has run for 10 s or more. */
    boolean isBlocked();
}
