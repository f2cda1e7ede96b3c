package org.fieldstream.streams;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keys whose metrics must be recomputed. Kept in a store (not a field) so that, under exactly-once,
 * a mark committed with the input offsets survives a crash and the recomputation still happens.
 */
final class DirtyAggregates {

    private final KeyValueStore<String, Long> store;

    DirtyAggregates(KeyValueStore<String, Long> store) {
        this.store = store;
    }

    void mark(String key, long eventTime) {
        store.put(key, eventTime);
    }

    /** Removes and returns every marked key, in key order. */
    List<String> drain() {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, Long> entry = it.next();
                keys.add(entry.key);
            }
        }
        keys.forEach(store::delete);
        return keys;
    }
}
