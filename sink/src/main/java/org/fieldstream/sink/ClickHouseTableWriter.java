package org.fieldstream.sink;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.kafka.common.TopicPartition;
import org.fieldstream.sink.ClickHouseGateway.ClickHouseFailure;

/** {@link TableWriter} over ClickHouse: JSONEachRow inserts and the {@code sink_offsets} table. */
public final class ClickHouseTableWriter implements TableWriter {

    private final ClickHouseGateway gateway;
    private final String database;

    public ClickHouseTableWriter(ClickHouseGateway gateway, String database) {
        this.gateway = gateway;
        this.database = Sql.identifier(database);
    }

    @Override
    public void write(String table, List<Map<String, Object>> rows) {
        if (!rows.isEmpty()) {
            guard(() -> {
                gateway.insertJsonEachRow(database, table, rows);
                return null;
            });
        }
    }

    @Override
    public void recordPositions(String group, Map<TopicPartition, Long> nextOffsets) {
        if (nextOffsets.isEmpty()) {
            return;
        }
        String now = Rows.timestamp(Instant.now());
        List<Map<String, Object>> rows = nextOffsets.entrySet().stream().map(e -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("consumer_group", group);
            row.put("topic", e.getKey().topic());
            row.put("partition", e.getKey().partition());
            row.put("next_offset", e.getValue());
            row.put("written_at", now);
            return row;
        }).toList();
        write("sink_offsets", rows);
    }

    @Override
    public Map<TopicPartition, Long> positions(String group, Collection<TopicPartition> partitions) {
        Set<TopicPartition> wanted = Set.copyOf(partitions);
        List<Map<String, String>> rows = guard(() -> gateway.query(
                "SELECT topic, partition, max(next_offset) AS next_offset FROM " + Sql.qualified(database, "sink_offsets")
                        + " WHERE consumer_group = " + Sql.literal(group) + " GROUP BY topic, partition"));
        Map<TopicPartition, Long> found = new HashMap<>();
        for (Map<String, String> row : rows) {
            TopicPartition tp = new TopicPartition(row.get("topic"), Integer.parseInt(row.get("partition")));
            if (wanted.contains(tp)) {
                found.put(tp, Long.parseLong(row.get("next_offset")));
            }
        }
        return found;
    }

    @Override
    public void close() {
        gateway.close();
    }

    private static <T> T guard(Supplier<T> call) {
        try {
            return call.get();
        } catch (ClickHouseFailure e) {
            throw new WriteFailure(e.getMessage(), e, e.rejectsData());
        }
    }
}
