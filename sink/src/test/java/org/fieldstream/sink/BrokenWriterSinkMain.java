package org.fieldstream.sink;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * The real sink ({@code SinkMain --config FILE}) whose ClickHouse writer fails every row write with
 * a NullPointerException, as a bug in row rendering would: not a write failure the loop retries, so
 * the loop dies. Its positions are read and written as usual.
 */
public final class BrokenWriterSinkMain {

    private BrokenWriterSinkMain() {
    }

    public static void main(String[] args) throws Exception {
        int code = SinkMain.run(SinkSettings.load(Path.of(args[1]), System.getenv()), Broken::new);
        System.exit(code);
    }

    private record Broken(TableWriter real) implements TableWriter {
        @Override
        public void write(String table, List<String> columns, List<byte[]> rows) {
            throw new NullPointerException("row of " + table + " rendered as null");
        }

        @Override
        public void recordPositions(String group, Map<TopicPartition, Long> nextOffsets) {
            real.recordPositions(group, nextOffsets);
        }

        @Override
        public Map<TopicPartition, Long> positions(String group, Collection<TopicPartition> partitions) {
            return real.positions(group, partitions);
        }

        @Override
        public void close() {
            real.close();
        }
    }
}
