package org.fieldstream.streams;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.ParticipantExited;
import org.fieldstream.events.RecordRetracted;

/**
 * The current state of every record of an aggregate, keyed {@code <aggregate_id>|<root_id>}.
 *
 * <p>Invariant: for each root id the store holds the event that {@link #wins} over every other event
 * of that root id seen so far, so the content does not depend on arrival order or duplicates. A
 * retraction is kept (not deleted) so that a lower revision arriving later cannot revive the record.
 */
final class CurrentRecords {

    private final KeyValueStore<String, FieldEvent> store;

    CurrentRecords(KeyValueStore<String, FieldEvent> store) {
        this.store = store;
    }

    /** Applies an event; true when the aggregate's current state changed. */
    boolean apply(FieldEvent event) {
        String key = Keys.join(event.getAggregateId(), event.getRootId());
        FieldEvent current = store.get(key);
        if (current != null && !wins(event, current)) {
            return false;
        }
        store.put(key, event);
        return true;
    }

    /** The current, non-retracted records of an aggregate, plus the latest event time of all of them. */
    Snapshot snapshot(String aggregateId) {
        List<FieldEvent> live = new ArrayList<>();
        long asOf = 0;
        long reachAsOf = 0;
        try (KeyValueIterator<String, FieldEvent> it = store.prefixScan(Keys.prefix(aggregateId),
                org.apache.kafka.common.serialization.Serdes.String().serializer())) {
            while (it.hasNext()) {
                KeyValue<String, FieldEvent> entry = it.next();
                FieldEvent event = entry.value;
                asOf = Math.max(asOf, event.getOccurredAt().toEpochMilli());
                if (!(event.getPayload() instanceof ParticipantExited)) {
                    reachAsOf = Math.max(reachAsOf, event.getOccurredAt().toEpochMilli());
                }
                if (!isRetraction(event)) {
                    live.add(event);
                }
            }
        }
        return new Snapshot(live, asOf, reachAsOf);
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

    /**
     * Live records of one aggregate; {@code asOf} is the latest event time among all its stored events,
     * {@code reachAsOf} the same without exits (which change no outreach figure).
     */
    record Snapshot(List<FieldEvent> records, long asOf, long reachAsOf) {
    }
}
