package org.fieldstream.streams;

import java.util.ArrayList;
import java.util.List;

/**
 * One person in one aggregate, stored per {@code <aggregate_id>|<person_id>}: what the person's
 * live records say (enrolment candidates, live presence records per session, exits, dialogue
 * attendance records), the figures last counted into the aggregate's header ({@link #derived},
 * which is also the content of the person's participant row when {@link #rowLive}), and the program
 * and {@link Reach#fingerprint} of the reach last sent to the outreach stage. Each event of the person changes one of these by a delta; the
 * derived figures are recomputed from them at the next punctuation. Its bytes: {@link PersonStateSerde}.
 */
final class PersonState {

    /** A live enrolment record: several may exist (different root ids); the earliest date wins, then the least event id. */
    record Enrolment(String eventId, int day, int sex, int band) {
        boolean before(Enrolment other) {
            return day != other.day ? day < other.day : eventId.compareTo(other.eventId) < 0;
        }
    }

    /** A live exit record's reason and date ({@link EventDays#NONE} without one), with how many records say so. */
    record Exit(int reason, int day, int count) {
    }

    /** A live dialogue attendance record of the person: the least event id gives the person's sex and age band. */
    record Attendee(String eventId, int sex, int band) {
    }

    final List<Enrolment> enrolments;
    /** Session number -> live records saying the person was present. */
    final Counts present;
    final List<Exit> exits;
    final List<Attendee> attendees;
    Derived derived;
    boolean rowLive;
    long rowVersion;
    /** Program of the reach last sent (null: none sent, or withdrawn). */
    String sentProgram;
    long sentFingerprint;

    PersonState() {
        this(new ArrayList<>(1), new Counts(), new ArrayList<>(0), new ArrayList<>(0));
    }

    PersonState(List<Enrolment> enrolments, Counts present, List<Exit> exits, List<Attendee> attendees) {
        this.enrolments = enrolments;
        this.present = present;
        this.exits = exits;
        this.attendees = attendees;
    }

    Enrolment enrolment() {
        Enrolment best = null;
        for (Enrolment e : enrolments) {
            if (best == null || e.before(best)) {
                best = e;
            }
        }
        return best;
    }

    Attendee attendee() {
        Attendee best = null;
        for (Attendee a : attendees) {
            if (best == null || a.eventId().compareTo(best.eventId()) < 0) {
                best = a;
            }
        }
        return best;
    }

    void removeEnrolment(String eventId) {
        enrolments.removeIf(e -> e.eventId().equals(eventId));
    }

    void removeAttendee(String eventId) {
        attendees.removeIf(a -> a.eventId().equals(eventId));
    }

    void addExit(int reason, int day, int delta) {
        for (int i = 0; i < exits.size(); i++) {
            Exit x = exits.get(i);
            if (x.reason() == reason && x.day() == day) {
                int now = x.count() + delta;
                if (now == 0) {
                    exits.remove(i);
                } else {
                    exits.set(i, new Exit(reason, day, now));
                }
                return;
            }
        }
        if (delta < 0) {
            throw new IllegalStateException("no exit to take back");
        }
        exits.add(new Exit(reason, day, delta));
    }

    /** Nothing left to remember: no live record, no row in the metric topics, no reach sent. */
    boolean isEmpty() {
        return enrolments.isEmpty() && present.isEmpty() && exits.isEmpty() && attendees.isEmpty()
                && derived == null && !rowLive && sentProgram == null;
    }
}
