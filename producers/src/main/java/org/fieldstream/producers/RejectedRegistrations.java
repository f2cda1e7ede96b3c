package org.fieldstream.producers;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.fieldstream.events.DialogueHeld;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.RecordRetracted;
import org.fieldstream.events.TrainingCohortRegistered;

/**
 * Cohorts and dialogues whose registration row was rejected in one run, so that the run can report the
 * rows that can only wait: an accepted enrolment, attendance or dialogue attendance of such a cohort or
 * dialogue counts nowhere until a registration lands (attendance and dialogue attendance also stay
 * undated), and with the registration rejected (e.g. dated before the program's start) it may never.
 */
public final class RejectedRegistrations {

    private final Set<String> aggregates = ConcurrentHashMap.newKeySet();

    /** Notes a rejected row: a cohort's or dialogue's registration names its aggregate. */
    public void rejected(SourceRow row, String programId, String partnerId) {
        if (row.layout() != Layout.COHORTS && row.layout() != Layout.DIALOGUES) {
            return;
        }
        String id = row.get(row.layout().aggregateColumn());
        if (id != null) {
            aggregates.add(org.fieldstream.events.AggregateIds.of(programId, partnerId, id));
        }
    }

    /** Whether an accepted event waits for a registration that was rejected in this run and is not known otherwise. */
    public boolean waits(FieldEvent event, KnownAggregates known) {
        Object payload = event.getPayload();
        if (payload instanceof TrainingCohortRegistered || payload instanceof DialogueHeld || payload instanceof RecordRetracted) {
            return false;
        }
        String aggregate = event.getAggregateId();
        return aggregates.contains(aggregate) && known.cohort(aggregate) == null && known.dialogue(aggregate) == null;
    }
}
