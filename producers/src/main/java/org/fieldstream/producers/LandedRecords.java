package org.fieldstream.producers;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.fieldstream.events.FieldEvent;

/**
 * What one partner of one program already has on the events topic, so a run's summary can tell its
 * accepted rows apart: <b>new</b> (an event not on the topic, at or above its record's top revision),
 * <b>already there</b> (the same event id is on the topic: sending it again changes nothing) and
 * <b>superseded</b> (a revision below one already on the topic: it lands, but the record's current
 * version stays the later one). Events accepted during the run are learnt as they go, so a file sent
 * twice in one run counts its second copy as already there.
 */
public final class LandedRecords {

    /** How an accepted event stands against what is already on the topic. */
    public enum Standing { NEW, ALREADY_THERE, SUPERSEDED }

    private final String aggregatePrefix;
    private final Set<String> eventIds = new HashSet<>();
    private final Map<String, Integer> topRevision = new HashMap<>();

    public LandedRecords(String programId, String partnerId) {
        this.aggregatePrefix = programId + "/" + partnerId + "/";
    }

    /** Learns an event of the topic (events of other programs and partners are ignored). */
    public synchronized void learn(FieldEvent event) {
        if (event.getAggregateId() == null || !event.getAggregateId().startsWith(aggregatePrefix)) {
            return;
        }
        eventIds.add(event.getEventId());
        topRevision.merge(event.getRootId(), event.getRevision(), Math::max);
    }

    /** Where an accepted event stands, then learns it. */
    public synchronized Standing standing(FieldEvent event) {
        Standing standing;
        if (eventIds.contains(event.getEventId())) {
            standing = Standing.ALREADY_THERE;
        } else if (topRevision.getOrDefault(event.getRootId(), Integer.MIN_VALUE) > event.getRevision()) {
            standing = Standing.SUPERSEDED;
        } else {
            standing = Standing.NEW;
        }
        learn(event);
        return standing;
    }

    public synchronized int size() {
        return eventIds.size();
    }
}
