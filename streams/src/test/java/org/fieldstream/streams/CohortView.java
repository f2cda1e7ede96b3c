package org.fieldstream.streams;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.fieldstream.events.AttendanceRecorded;
import org.fieldstream.events.AttendanceStatus;
import org.fieldstream.events.ExitReason;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.ParticipantEnrolled;
import org.fieldstream.events.ParticipantExited;
import org.fieldstream.events.SessionHeld;
import org.fieldstream.events.TrainingCohortRegistered;

/**
 * Test oracle: the live records of one training cohort, resolved into one registration, one
 * enrolment per person, one held date per session and the presences. Conflicting live records of
 * different root ids are resolved deterministically (so any arrival order gives the same view): the
 * latest registration, the earliest enrolment of a person, the earliest date of a session, present
 * if any record says so.
 */
final class CohortView {

    private static final Comparator<FieldEvent> BY_TIME_THEN_ID = Comparator
            .comparing((FieldEvent e) -> e.getOccurredAt()).thenComparing(FieldEvent::getEventId);

    /** The aggregate id (namespaced by program and partner): store and topic keys, tie-breaks. */
    final String aggregateId;
    FieldEvent registration;
    /** person id -> enrolment event. */
    final Map<String, FieldEvent> enrolments = new TreeMap<>();
    /** session number -> held date. */
    final TreeMap<Integer, LocalDate> sessions = new TreeMap<>();
    /** "session|person" of every live PRESENT record, and its event. */
    final Map<String, FieldEvent> presences = new TreeMap<>();
    final Map<String, Set<ExitReason>> exits = new TreeMap<>();
    /** person -> the dates of the person's live exit records that carry one. */
    final Map<String, List<LocalDate>> exitDates = new TreeMap<>();

    private CohortView(String aggregateId) {
        this.aggregateId = aggregateId;
    }

    static CohortView of(String aggregateId, List<FieldEvent> live) {
        CohortView view = new CohortView(aggregateId);
        List<FieldEvent> records = new ArrayList<>(live);
        records.sort(Comparator.comparing(FieldEvent::getEventId));
        records.forEach(view::add);
        return view;
    }

    private void add(FieldEvent event) {
        Object payload = event.getPayload();
        if (payload instanceof TrainingCohortRegistered) {
            if (registration == null || BY_TIME_THEN_ID.compare(event, registration) > 0) {
                registration = event;
            }
        } else if (payload instanceof ParticipantEnrolled enrolled) {
            FieldEvent other = enrolments.get(enrolled.getPersonId());
            if (other == null || enrolledOn(event).isBefore(enrolledOn(other))) {
                enrolments.put(enrolled.getPersonId(), event);
            }
        } else if (payload instanceof SessionHeld held) {
            LocalDate other = sessions.get(held.getSessionNumber());
            if (other == null || held.getHeldOn().isBefore(other)) {
                sessions.put(held.getSessionNumber(), held.getHeldOn());
            }
        } else if (payload instanceof AttendanceRecorded attendance) {
            if (attendance.getStatus() == AttendanceStatus.PRESENT) {
                presences.putIfAbsent(Keys.join(Integer.toString(attendance.getSessionNumber()), attendance.getPersonId()), event);
            }
        } else if (payload instanceof ParticipantExited exited) {
            exits.computeIfAbsent(exited.getPersonId(), p -> EnumSet.noneOf(ExitReason.class)).add(exited.getReason());
            if (exited.getExitedOn() != null) {
                exitDates.computeIfAbsent(exited.getPersonId(), p -> new ArrayList<>()).add(exited.getExitedOn());
            }
        }
    }

    static LocalDate enrolledOn(FieldEvent enrolment) {
        return ((ParticipantEnrolled) enrolment.getPayload()).getEnrolledOn();
    }

    boolean present(int session, String person) {
        return presences.containsKey(Keys.join(Integer.toString(session), person));
    }

    /** The partner's own cohort id, as rows show it; known once the cohort is registered. */
    String cohortId() {
        return ((TrainingCohortRegistered) registration.getPayload()).getCohortId();
    }

    int plannedSessions() {
        return registration == null ? 0 : ((TrainingCohortRegistered) registration.getPayload()).getPlannedSessions();
    }

    /** All planned sessions are held; unknown (false) until the cohort's registration is known. */
    boolean allHeld() {
        return registration != null && plannedSessions() > 0 && sessions.size() >= plannedSessions();
    }

    /** The latest date of the cohort itself: its registration's start and its held sessions. */
    LocalDate cohortDate() {
        LocalDate latest = registration == null ? null : ((TrainingCohortRegistered) registration.getPayload()).getStartDate();
        for (LocalDate d : sessions.values()) {
            latest = later(latest, d);
        }
        return latest;
    }

    /** The latest date of a person's own records: the enrolment and the exits that carry a date. */
    LocalDate personDate(String person) {
        LocalDate latest = enrolledOn(enrolments.get(person));
        for (LocalDate d : exitDates.getOrDefault(person, List.of())) {
            latest = later(latest, d);
        }
        return latest;
    }

    static LocalDate later(LocalDate a, LocalDate b) {
        return a == null || (b != null && b.isAfter(a)) ? b : a;
    }

    /**
     * The envelope that names the cohort's program, partner and org unit: its registration. A cohort
     * has no retention rows until it is registered (its other records wait for it).
     */
    FieldEvent envelope() {
        return registration;
    }
}
