package org.fieldstream.producers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.RecordRetracted;

/**
 * What one partner of one program already has on the events topic, so a run's summary can tell its
 * accepted rows apart: <b>new</b> (an event not on the topic, at or above its record's top revision),
 * <b>already there</b> (the same event id is on the topic: sending it again changes nothing) and
 * <b>superseded</b> (a revision below one already on the topic, of the record or of its form submission:
 * it lands, but the record's current version stays the later one). Events accepted during the run are learnt as they go, so a file sent
 * twice in one run counts its second copy as already there.
 *
 * <p>It also keeps, per form submission (see {@link Submissions}), the records tied to it, so that a
 * version of the submission can tell which records of its other versions to retract: {@link #superseded}.
 */
public final class LandedRecords {

    /** How an accepted event stands against what is already on the topic. */
    public enum Standing { NEW, ALREADY_THERE, SUPERSEDED }

    private final String aggregatePrefix;
    private final Set<String> eventIds = new HashSet<>();
    private final Map<String, Integer> topRevision = new HashMap<>();
    /** Submission key to its records by root id. */
    private final Map<String, Map<String, Submissions.Tied>> submissions = new HashMap<>();

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
        String key = Submissions.key(event.getSourceRef());
        if (key != null) {
            boolean retraction = event.getPayload() instanceof RecordRetracted;
            Submissions.Tied seen = new Submissions.Tied(event.getRootId(), event.getAggregateId(), event.getOrgUnitId(),
                    event.getRevision(), retraction);
            submissions.computeIfAbsent(key, k -> new HashMap<>()).merge(event.getRootId(), seen, (old, now) ->
                    now.revision() > old.revision() || now.revision() == old.revision() && now.retracted() ? now : old);
        }
    }

    /**
     * The records of a submission to retract once {@code version} of it is learnt (its accepted rows
     * included), and the revision to retract them with. The submission's latest version is the highest
     * revision known of it, this one's included; a record that latest version does not give (no event
     * of that revision) and not voided already is superseded, and a retraction at that revision voids it. So whatever order
     * versions arrive in, the records left are exactly the latest version's: an older version ingested
     * after a newer one retracts the records only it gives, at the newer revision; a version ingested
     * again finds nothing to do.
     */
    public synchronized Superseded superseded(Submissions.Version version) {
        Map<String, Submissions.Tied> records = submissions.getOrDefault(version.key(), Map.of());
        int latest = version.revision();
        for (Submissions.Tied record : records.values()) {
            latest = Math.max(latest, record.revision());
        }
        List<Submissions.Tied> retract = new ArrayList<>();
        for (Submissions.Tied record : records.values()) {
            if (record.revision() < latest && !record.retracted()) {
                retract.add(record);
            }
        }
        retract.sort(java.util.Comparator.comparing(Submissions.Tied::rootId));
        return new Superseded(latest, List.copyOf(retract));
    }

    /** The highest revision of any record of the event's submission, or MIN_VALUE. */
    private int submissionTop(FieldEvent event) {
        String key = Submissions.key(event.getSourceRef());
        int top = Integer.MIN_VALUE;
        if (key != null) {
            for (Submissions.Tied record : submissions.getOrDefault(key, Map.of()).values()) {
                top = Math.max(top, record.revision());
            }
        }
        return top;
    }

    /** Records of a submission to retract, at {@code revision} (its latest version's). */
    public record Superseded(int revision, List<Submissions.Tied> records) {
    }

    /** Where an accepted event stands, then learns it. */
    public synchronized Standing standing(FieldEvent event) {
        Standing standing;
        if (eventIds.contains(event.getEventId())) {
            standing = Standing.ALREADY_THERE;
        } else if (Math.max(topRevision.getOrDefault(event.getRootId(), Integer.MIN_VALUE), submissionTop(event))
                > event.getRevision()) {
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
