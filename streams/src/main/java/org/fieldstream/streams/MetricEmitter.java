package org.fieldstream.streams;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fieldstream.events.AvroCodec;

/**
 * Turns the freshly computed rows of one aggregate into upserts of a compacted metric topic.
 *
 * <p>The store keeps the last row written per output key, as {@code <kind>|<aggregate>|<output key>}.
 * A row whose content (everything but updated_at and version) did not change is not written again;
 * a key written before that is no longer computed is written once more with {@code deleted = true}
 * (the sink's ReplacingMergeTree needs a row, not a tombstone). Versions come from {@link Versions},
 * so they grow per key even across deletions and re-creations.
 */
final class MetricEmitter<T extends SpecificRecordBase> {

    private final String kind;
    private final AvroCodec<T> codec;
    private final KeyValueStore<String, byte[]> store;
    private final int versionPos;
    private final int updatedAtPos;
    private final int deletedPos;

    MetricEmitter(String kind, Class<T> type, KeyValueStore<String, byte[]> store) {
        this.kind = kind;
        this.codec = AvroCodec.of(type);
        this.store = store;
        Schema schema = codec.schema();
        this.versionPos = schema.getField("version").pos();
        this.updatedAtPos = schema.getField("updated_at").pos();
        this.deletedPos = schema.getField("deleted").pos();
    }

    /** Writes the changes between the rows last written for {@code aggregateId} and {@code rows} (output key -> row). */
    void emit(String aggregateId, Map<String, T> rows, long nowMillis, BiConsumer<String, T> forward) {
        String prefix = Keys.prefix(kind, aggregateId);
        for (Map.Entry<String, T> row : rows.entrySet()) {
            String storeKey = prefix + row.getKey();
            byte[] previousBytes = store.get(storeKey);
            T previous = previousBytes == null ? null : codec.decode(previousBytes);
            if (previous != null && !isDeleted(previous) && sameContent(previous, row.getValue())) {
                continue;
            }
            write(storeKey, row.getKey(), row.getValue(), previous, false, nowMillis, forward);
        }
        List<KeyValue<String, byte[]>> gone = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.prefixScan(prefix, Serdes.String().serializer())) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> entry = it.next();
                if (!rows.containsKey(entry.key.substring(prefix.length()))) {
                    gone.add(entry);
                }
            }
        }
        for (KeyValue<String, byte[]> entry : gone) {
            T previous = codec.decode(entry.value);
            if (!isDeleted(previous)) {
                write(entry.key, entry.key.substring(prefix.length()), codec.decode(entry.value), previous, true, nowMillis, forward);
            }
        }
    }

    private void write(String storeKey, String outputKey, T row, T previous, boolean deleted, long nowMillis,
                       BiConsumer<String, T> forward) {
        long previousVersion = previous == null ? 0L : (Long) previous.get(versionPos);
        row.put(versionPos, Versions.next(previousVersion, nowMillis));
        row.put(updatedAtPos, Instant.ofEpochMilli(nowMillis));
        row.put(deletedPos, deleted);
        store.put(storeKey, codec.encode(row));
        forward.accept(outputKey, row);
    }

    private boolean isDeleted(T row) {
        return (Boolean) row.get(deletedPos);
    }

    private boolean sameContent(T a, T b) {
        int fields = codec.schema().getFields().size();
        for (int i = 0; i < fields; i++) {
            if (i == versionPos || i == updatedAtPos) {
                continue;
            }
            if (!Objects.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
