package org.fieldstream.sink;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.kafka.common.TopicPartition;
import org.fieldstream.clickhouse.ClickHouseGateway.ClickHouseFailure;
import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.clickhouse.Sql;

/** {@link TableWriter} over ClickHouse: TabSeparated inserts and the {@code sink_offsets} table. */
public final class ClickHouseTableWriter implements TableWriter {

    private final ClickHouseGateway gateway;
    private final String database;

    public ClickHouseTableWriter(ClickHouseGateway gateway, String database) {
        this.gateway = gateway;
        this.database = Sql.identifier(database);
    }

    private static final List<String> POSITION_COLUMNS = List.of("consumer_group", "topic", "partition", "next_offset", "written_at");

    @Override
    public void write(String table, List<String> columns, List<byte[]> rows) {
        if (!rows.isEmpty()) {
            guard(() -> {
                gateway.insertTabSeparated(database, table, columns, rows);
                return null;
            });
        }
    }

    @Override
    public void recordPositions(String group, Map<TopicPartition, Long> nextOffsets) {
        if (nextOffsets.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        TsvRow row = new TsvRow();
        List<byte[]> rows = nextOffsets.entrySet().stream().map(e -> row.begin().text(group).text(e.getKey().topic())
                .integer(e.getKey().partition()).integer(e.getValue()).timestamp("written_at", now).end()).toList();
        write("sink_offsets", POSITION_COLUMNS, rows);
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
