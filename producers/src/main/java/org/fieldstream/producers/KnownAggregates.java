package org.fieldstream.producers;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

import org.fieldstream.events.DialogueHeld;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.SessionHeld;
import org.fieldstream.events.TrainingCohortRegistered;

/**
 * The cohorts, dialogues and session dates the ingest has seen, keyed by aggregate id (namespaced by
 * program and partner, see {@link org.fieldstream.events.AggregateIds}), so a row can be checked
 * against the aggregate it names (exists, session within planned sessions) and dated by its session. Filled by the ingest from what it publishes, and optionally preloaded from the
 * events topic at startup.
 *
 * <p>Bounded: each map keeps at most {@code maxEntries} entries and forgets the least recently used,
 * so memory stays flat however long the log grows; a forgotten cohort only weakens validation (a row
 * naming it is treated as naming an unknown cohort); it never lets another partner in. Thread safe (HTTP handlers share it).
 */
public final class KnownAggregates {

    public record Cohort(String programId, String partnerId, String orgUnitId, int plannedSessions, LocalDate startDate) {
    }

    public record Dialogue(String programId, String partnerId, String orgUnitId, LocalDate heldOn) {
    }

    private final Map<String, Cohort> cohorts;
    private final Map<String, Dialogue> dialogues;
    private final Map<String, LocalDate> sessionDates;
    private final KnownAggregates parent;

    public KnownAggregates(int maxEntries) {
        this(maxEntries, null);
    }

    private KnownAggregates(int maxEntries, KnownAggregates parent) {
        this.cohorts = lru(maxEntries);
        this.dialogues = lru(maxEntries);
        this.sessionDates = lru(maxEntries);
        this.parent = parent;
    }

    /**
     * A view that learns on its own and falls back to this registry: an HTTP batch validates against
     * it, and only what the batch really published is taught to the shared registry afterwards.
     */
    public KnownAggregates overlay(int maxEntries) {
        return new KnownAggregates(maxEntries, this);
    }

    public Cohort cohort(String cohortId) {
        Cohort own;
        synchronized (this) {
            own = cohorts.get(cohortId);
        }
        return own != null || parent == null ? own : parent.cohort(cohortId);
    }

    public Dialogue dialogue(String dialogueId) {
        Dialogue own;
        synchronized (this) {
            own = dialogues.get(dialogueId);
        }
        return own != null || parent == null ? own : parent.dialogue(dialogueId);
    }

    public LocalDate sessionDate(String cohortId, int sessionNumber) {
        LocalDate own;
        synchronized (this) {
            own = sessionDates.get(sessionKey(cohortId, sessionNumber));
        }
        return own != null || parent == null ? own : parent.sessionDate(cohortId, sessionNumber);
    }

    public synchronized void putCohort(String cohortId, Cohort cohort) {
        cohorts.put(cohortId, cohort);
    }

    public synchronized void putDialogue(String dialogueId, Dialogue dialogue) {
        dialogues.put(dialogueId, dialogue);
    }

    public synchronized void putSession(String cohortId, int sessionNumber, LocalDate heldOn) {
        sessionDates.put(sessionKey(cohortId, sessionNumber), heldOn);
    }

    /** Teaches {@code target} everything this registry learnt itself (an overlay's own entries). */
    public void teach(KnownAggregates target) {
        Map<String, Cohort> ownCohorts;
        Map<String, Dialogue> ownDialogues;
        Map<String, LocalDate> ownSessions;
        synchronized (this) {
            ownCohorts = new LinkedHashMap<>(cohorts);
            ownDialogues = new LinkedHashMap<>(dialogues);
            ownSessions = new LinkedHashMap<>(sessionDates);
        }
        synchronized (target) {
            target.cohorts.putAll(ownCohorts);
            target.dialogues.putAll(ownDialogues);
            target.sessionDates.putAll(ownSessions);
        }
    }

    public synchronized int size() {
        return cohorts.size() + dialogues.size() + sessionDates.size();
    }

    /** Learns from an accepted event; other payload types teach nothing. */
    public void learn(FieldEvent event) {
        Object payload = event.getPayload();
        if (payload instanceof TrainingCohortRegistered c) {
            putCohort(event.getAggregateId(), new Cohort(event.getProgramId(), event.getPartnerId(), event.getOrgUnitId(),
                    c.getPlannedSessions(), c.getStartDate()));
        } else if (payload instanceof DialogueHeld d) {
            putDialogue(event.getAggregateId(), new Dialogue(event.getProgramId(), event.getPartnerId(), event.getOrgUnitId(),
                    d.getHeldOn()));
        } else if (payload instanceof SessionHeld s) {
            putSession(event.getAggregateId(), s.getSessionNumber(), s.getHeldOn());
        }
    }

    private static String sessionKey(String cohortId, int sessionNumber) {
        return cohortId + '\u001F' + sessionNumber;
    }

    private static <V> Map<String, V> lru(int maxEntries) {
        return new LinkedHashMap<>(1024, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > maxEntries;
            }
        };
    }
}
