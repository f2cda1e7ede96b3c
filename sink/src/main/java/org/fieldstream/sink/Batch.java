package org.fieldstream.sink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Records read since the last commit: rows per table, records to dead-letter, and per partition
 * the first offset read and the next offset to commit.
 */
final class Batch {

    /**
     * A TabSeparated row with the record it came from (kept so a row the server refuses can be
     * dead-lettered). Compared by identity: two records may encode to equal rows.
     */
    static final class Entry {
        private final ConsumerRecord<String, byte[]> source;
        private final byte[] row;

        Entry(ConsumerRecord<String, byte[]> source, byte[] row) {
            this.source = source;
            this.row = row;
        }

        ConsumerRecord<String, byte[]> source() {
            return source;
        }

        byte[] row() {
            return row;
        }
    }

    /** A record that can never be written, and why. */
    record Reject(ConsumerRecord<String, byte[]> source, String reason) {
    }

    private final Map<String, List<Entry>> rowsByTable = new LinkedHashMap<>();
    private final List<Reject> rejects = new ArrayList<>();
    /** Per partition: the first offset read and the next offset to commit. */
    private final Map<TopicPartition, long[]> offsets = new HashMap<>();
    /** The partition of the previous record and its offsets: records come in runs of one partition. */
    private TopicPartition lastPartition;
    private long[] lastOffsets;
    private int records;
    private int rows;
    private long startedAtMillis;

    void addRow(String table, ConsumerRecord<String, byte[]> source, byte[] row, long nowMillis) {
        track(source, nowMillis);
        rowsByTable.computeIfAbsent(table, t -> new ArrayList<>()).add(new Entry(source, row));
        rows++;
    }

    void addReject(ConsumerRecord<String, byte[]> source, String reason, long nowMillis) {
        track(source, nowMillis);
        rejects.add(new Reject(source, reason));
    }

    /** Moves rows the server refused from the rows to the rejects. */
    void reject(String table, List<Entry> refused, String reason) {
        List<Entry> remaining = rowsByTable.get(table);
        for (Entry entry : refused) {
            if (remaining.remove(entry)) {
                rows--;
                rejects.add(new Reject(entry.source(), reason));
            }
        }
    }

    /** Removes rows the server refused that must not be dead-lettered (dead letters themselves); their offsets still count as done. */
    void drop(String table, List<Entry> refused) {
        List<Entry> remaining = rowsByTable.get(table);
        for (Entry entry : refused) {
            if (remaining.remove(entry)) {
                rows--;
            }
        }
    }

    private void track(ConsumerRecord<String, byte[]> source, long nowMillis) {
        if (records == 0) {
            startedAtMillis = nowMillis;
        }
        records++;
        if (lastPartition == null || lastPartition.partition() != source.partition() || !lastPartition.topic().equals(source.topic())) {
            lastPartition = new TopicPartition(source.topic(), source.partition());
            lastOffsets = offsets.computeIfAbsent(lastPartition, tp -> new long[] {source.offset(), source.offset()});
        }
        lastOffsets[1] = Math.max(lastOffsets[1], source.offset() + 1);
    }

    /** Full, or holding records for at least {@code maxMillis}. */
    boolean due(int maxRecords, long maxMillis, long nowMillis) {
        return records >= maxRecords || records > 0 && nowMillis - startedAtMillis >= maxMillis;
    }

    long startedAtMillis() {
        return startedAtMillis;
    }

    boolean isEmpty() {
        return records == 0;
    }

    int records() {
        return records;
    }

    int rows() {
        return rows;
    }

    Map<String, List<Entry>> rowsByTable() {
        return rowsByTable;
    }

    List<Reject> rejects() {
        return rejects;
    }

    Map<TopicPartition, Long> nextOffsets() {
        return offsets(1);
    }

    Map<TopicPartition, Long> firstOffsets() {
        return offsets(0);
    }

    private Map<TopicPartition, Long> offsets(int which) {
        Map<TopicPartition, Long> copy = new HashMap<>();
        offsets.forEach((tp, range) -> copy.put(tp, range[which]));
        return Map.copyOf(copy);
    }

    Set<TopicPartition> partitions() {
        return Set.copyOf(offsets.keySet());
    }

    void clear() {
        rowsByTable.clear();
        rejects.clear();
        offsets.clear();
        lastPartition = null;
        lastOffsets = null;
        records = 0;
        rows = 0;
    }
}
