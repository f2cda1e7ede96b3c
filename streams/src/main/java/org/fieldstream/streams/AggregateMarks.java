package org.fieldstream.streams;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The aggregate processor's marks for the next punctuation: a person ({@code aggregate|person},
 * {@link #PERSON}) or an aggregate ({@code aggregate|}, its rows or every person of it). Kept in a
 * store, so that under exactly-once a mark committed with the input offsets survives a crash and the
 * recomputation still happens; the marks written since the last punctuation are also remembered in
 * memory, so marking the same key again costs no store access.
 */
final class AggregateMarks {

    /** A person; the aggregate's rows; every person of the aggregate (a higher mark includes a lower one). */
    static final byte PERSON = 0;
    static final byte ROWS = 1;
    static final byte ALL = 2;
    private static final byte[][] VALUES = {{PERSON}, {ROWS}, {ALL}};

    private final KeyValueStore<String, byte[]> store;
    private final Map<String, Byte> written = new HashMap<>();

    AggregateMarks(KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    void person(String aggregate, String person) {
        String key = Keys.join(aggregate, person);
        if (written.putIfAbsent(key, PERSON) == null) {
            store.put(key, VALUES[PERSON]);
        }
    }

    /** Marks the aggregate with {@code mark}, unless it already holds that mark or a higher one. */
    void aggregate(String aggregate, byte mark) {
        String key = aggregate + Keys.SEP;
        Byte known = written.get(key);
        if (known != null && known >= mark) {
            return;
        }
        if (known == null) {
            byte[] stored = store.get(key); // written before a restart
            known = stored == null ? null : stored[0];
        }
        byte next = known == null ? mark : (byte) Math.max(known, mark);
        if (known == null || known < next) {
            store.put(key, VALUES[next]);
        }
        written.put(key, next);
    }

    /** True when nothing was marked since the last drain (marks restored after a restart are not counted). */
    boolean isEmpty() {
        return written.isEmpty();
    }

    /** Removes and returns every mark, in key order (a key's marks for one aggregate are adjacent). */
    List<KeyValue<String, byte[]>> drain() {
        List<KeyValue<String, byte[]>> marks = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            it.forEachRemaining(marks::add);
        }
        marks.forEach(m -> store.delete(m.key));
        written.clear();
        return marks;
    }
}
