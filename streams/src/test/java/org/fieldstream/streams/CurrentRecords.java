package org.fieldstream.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.RecordRetracted;

/**
 * Test oracle: the current state of every record, keyed {@code <aggregate_id>|<root_id>}, kept whole
 * (the streams application once stored every event like this and recomputed from it).
 *
 * <p>Invariant: for each root id it holds the event that {@link #wins} over every other event of that
 * root id seen so far, so the content does not depend on arrival order or duplicates. A retraction is
 * kept so that a lower revision arriving later cannot revive the record.
 */
final class CurrentRecords {

    private final Map<String, FieldEvent> records = new TreeMap<>();

    void apply(FieldEvent event) {
        String key = Keys.join(event.getAggregateId(), event.getRootId());
        FieldEvent current = records.get(key);
        if (current == null || wins(event, current)) {
            records.put(key, event);
        }
    }

    /** The live (not retracted) records of every aggregate, by aggregate id. */
    Map<String, List<FieldEvent>> liveByAggregate() {
        Map<String, List<FieldEvent>> out = new TreeMap<>();
        for (FieldEvent e : records.values()) {
            List<FieldEvent> list = out.computeIfAbsent(e.getAggregateId(), a -> new ArrayList<>());
            if (!isRetraction(e)) {
                list.add(e);
            }
        }
        return out;
    }

    /**
     * Higher revision wins. On equal revisions a different event (same revision sent with other
     * content) is ordered deterministically: a retraction first, then the greater event id; the
     * very same event again is a duplicate and never wins.
     */
    static boolean wins(FieldEvent candidate, FieldEvent current) {
        if (candidate.getRevision() != current.getRevision()) {
            return candidate.getRevision() > current.getRevision();
        }
        boolean candidateRetracts = isRetraction(candidate);
        if (candidateRetracts != isRetraction(current)) {
            return candidateRetracts;
        }
        return candidate.getEventId().compareTo(current.getEventId()) > 0;
    }

    static boolean isRetraction(FieldEvent event) {
        return event.getPayload() instanceof RecordRetracted;
    }
}
