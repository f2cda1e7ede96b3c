package org.fieldstream.sink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.kafka.common.TopicPartition;
import org.fieldstream.clickhouse.TabSeparated;

/**
 * A {@link TableWriter} in memory for state-machine tests: keeps rows per table as written (one
 * entry per row written, no replacing; decoded from TabSeparated), recorded positions per group,
 * and can be told to fail.
 */
final class InMemoryTableWriter implements TableWriter {

    private final Map<String, List<Map<String, String>>> tables = new LinkedHashMap<>();
    private final Map<String, Map<TopicPartition, Long>> positions = new HashMap<>();
    private int failuresLeft;
    private Predicate<Map<String, String>> refused = row -> false;
    int writeCalls;

    /** The next {@code n} calls fail as if ClickHouse were down. */
    void failNext(int n) {
        failuresLeft = n;
    }

    /** Rows matching are refused as bad data, as ClickHouse refuses an unparsable value. */
    void refuseRows(Predicate<Map<String, String>> predicate) {
        refused = predicate;
    }

    List<Map<String, String>> rows(String table) {
        return tables.getOrDefault(table, List.of());
    }

    int totalRows() {
        return tables.values().stream().mapToInt(List::size).sum();
    }

    Map<TopicPartition, Long> recordedPositions(String group) {
        return Map.copyOf(positions.getOrDefault(group, Map.of()));
    }

    @Override
    public void write(String table, List<String> columns, List<byte[]> lines) {
        writeCalls++;
        failIfDown();
        List<Map<String, String>> rows = lines.stream().map(line -> decode(columns, line)).toList();
        if (rows.stream().anyMatch(refused)) {
            throw new WriteFailure("Code: 27 cannot parse input", null, true);
        }
        tables.computeIfAbsent(table, t -> new ArrayList<>()).addAll(rows);
    }

    /** A row as the server would read it: column name to text value, SQL NULL as null. */
    static Map<String, String> decode(List<String> columns, byte[] line) {
        if (line.length == 0 || line[line.length - 1] != '\n') {
            throw new IllegalArgumentException("a row must end in a newline");
        }
        return TabSeparated.parseRow(columns, new String(line, 0, line.length - 1, StandardCharsets.UTF_8));
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
