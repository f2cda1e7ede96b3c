package org.fieldstream.sink;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/** Where the sink writes rows and remembers how far its writes got. */
public interface TableWriter extends AutoCloseable {

    /**
     * Writes TabSeparated rows (see {@link TsvRow}) filling {@code columns} of one table in one
     * request. On return they are stored; on {@link WriteFailure} any subset may be stored, which is
     * harmless because rows replace by key (see {@link SinkLoop}).
     */
    void write(String table, List<String> columns, List<byte[]> rows);

    /** Records, after a batch's rows are written, the next offset to read per partition for a group. */
    void recordPositions(String group, Map<TopicPartition, Long> nextOffsets);

    /** The recorded next offsets of a group for the given partitions (absent when none recorded). */
    Map<TopicPartition, Long> positions(String group, Collection<TopicPartition> partitions);

    @Override
    void close();

    /** A failed write; {@link #rejectsData()} tells a refusal of the rows from an outage. */
    final class WriteFailure extends RuntimeException {
        private final boolean rejectsData;

        public WriteFailure(String message, Throwable cause, boolean rejectsData) {
            super(message, cause);
            this.rejectsData = rejectsData;
        }

        /** True when these rows can never be written as they are; false when a retry may succeed. */
        public boolean rejectsData() {
            return rejectsData;
        }
    }
}
