package org.fieldstream.streams;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keys whose metrics must be recomputed. Kept in a store (not a field) so that, under exactly-once,
 * a mark committed with the input offsets survives a crash and the recomputation still happens; the
 * keys marked since the last drain are also remembered in memory, so marking one again costs no
 * store access.
 */
final class DirtyAggregates {

    private final KeyValueStore<String, Long> store;
    private final Set<String> marked = new HashSet<>();

    DirtyAggregates(KeyValueStore<String, Long> store) {
        this.store = store;
    }

    void mark(String key) {
        if (marked.add(key)) {
            store.put(key, 0L);
        }
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
        marked.clear();
        return keys;
    }
}
