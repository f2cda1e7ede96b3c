package org.fieldstream.sink;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.kafka.common.TopicPartition;

/**
 * A {@link TableWriter} in memory for state-machine tests: keeps rows per table as written (one
 * entry per write, no replacing), recorded positions per group, and can be told to fail.
 */
final class InMemoryTableWriter implements TableWriter {

    private final Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
    private final Map<String, Map<TopicPartition, Long>> positions = new HashMap<>();
    private int failuresLeft;
    private Predicate<Map<String, Object>> refused = row -> false;
    int writeCalls;

    /** The next {@code n} calls fail as if ClickHouse were down. */
    void failNext(int n) {
        failuresLeft = n;
    }

    /** Rows matching are refused as bad data, as ClickHouse refuses an unparsable value. */
    void refuseRows(Predicate<Map<String, Object>> predicate) {
        refused = predicate;
    }

    List<Map<String, Object>> rows(String table) {
        return tables.getOrDefault(table, List.of());
    }

    int totalRows() {
        return tables.values().stream().mapToInt(List::size).sum();
    }

    Map<TopicPartition, Long> recordedPositions(String group) {
        return Map.copyOf(positions.getOrDefault(group, Map.of()));
    }

    @Override
    public void write(String table, List<Map<String, Object>> rows) {
        writeCalls++;
        failIfDown();
        if (rows.stream().anyMatch(refused)) {
            throw new WriteFailure("Code: 27 cannot parse input", null, true);
        }
        tables.computeIfAbsent(table, t -> new ArrayList<>()).addAll(rows);
    }

    @Override
    public void recordPositions(String group, Map<TopicPartition, Long> nextOffsets) {
        failIfDown();
        positions.computeIfAbsent(group, g -> new HashMap<>()).putAll(nextOffsets);
    }

    @Override
    public Map<TopicPartition, Long> positions(String group, Collection<TopicPartition> partitions) {
        failIfDown();
        Map<TopicPartition, Long> found = new HashMap<>(positions.getOrDefault(group, Map.of()));
        found.keySet().retainAll(partitions);
        return found;
    }

    @Override
    public void close() {
    }

    private void failIfDown() {
        if (failuresLeft > 0) {
            failuresLeft--;
            throw new WriteFailure("Connection refused", null, false);
        }
    }
}
