package org.fieldstream.seeds;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The final state of partner records under the correction rule of docs/design.md ("Ids"): per root, the highest
 * revision is the record's state whatever order revisions arrive in; a retraction with a higher
 * revision voids the record; the same revision again is a duplicate and changes nothing. The
 * generator feeds every valid row it writes (duplicates included) and the expected metrics read the
 * result; malformed rows never enter.
 */
public final class Ledger {

    private record Entry(int revision, boolean retracted, FieldRecord record) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /** Applies one row: record at a revision, retracted or not. */
    public void accept(FieldRecord record, int revision, boolean retracted) {
        String root = record.rootKey();
        Entry current = entries.get(root);
        if (current == null || revision > current.revision()) {
            entries.put(root, new Entry(revision, retracted, record));
        }
    }

    public void accept(FieldRecord record) {
        accept(record, 1, false);
    }

    /** Records of a type whose current revision is not retracted, in first-seen order. */
    public <T extends FieldRecord> List<T> current(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (!e.retracted() && type.isInstance(e.record())) {
                out.add(type.cast(e.record()));
            }
        }
        return out;
    }

    /** Number of distinct roots seen (retracted ones included). */
    public int size() {
        return entries.size();
    }
}
