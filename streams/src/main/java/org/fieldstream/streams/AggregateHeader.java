package org.fieldstream.streams;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

/**
 * Everything about one aggregate that is not per person, stored per {@code <aggregate_id>}: the live
 * registration and session records of a cohort, the live DialogueHeld records and the attendance
 * counters of a dialogue, the cohort's counters summed over its participants' {@link Derived}
 * figures (per sex x age band, with a histogram of as_of days and one of last sessions present whose
 * suffix sums give the survival curve, in total and per sex x age band), and the rows last written
 * for the aggregate's grains, so
 * that a grain writes only when it changed and a vanished one writes once more with
 * {@code deleted = true}. Its bytes: {@link AggregateHeaderSerde}.
 */
final class AggregateHeader {

    /** A live registration record: the latest (occurred_at, then event id) is the cohort's. */
    record Registration(String eventId, long occurredAt, String program, String partner, String orgUnit, String cohortId,
                        int planned, int startDay) {
        boolean after(Registration other) {
            return occurredAt != other.occurredAt ? occurredAt > other.occurredAt : eventId.compareTo(other.eventId) > 0;
        }
    }

    /** A live DialogueHeld record: the latest (occurred_at, then event id) is the dialogue's. */
    record Held(String eventId, long occurredAt, String program, String partner, String orgUnit, String dialogueId,
                String kind, String topic, int day) {
        boolean after(Held other) {
            return occurredAt != other.occurredAt ? occurredAt > other.occurredAt : eventId.compareTo(other.eventId) > 0;
        }
    }

    /** The fields every row of an aggregate shares; for a cohort {@code kind} and {@code topic} are null. */
    record Envelope(String program, String partner, String orgUnit, String id, String kind, String topic) {

        String programId() {
            return program;
        }

        String partnerId() {
            return partner;
        }

        String orgUnitId() {
            return orgUnit;
        }
    }

    /** The row last written for one grain: its figures, its version, and whether it is live or was deleted. */
    static final class Emitted<F> {
        long version;
        boolean live;
        F figures;

        Emitted(long version, boolean live, F figures) {
            this.version = version;
            this.live = live;
            this.figures = figures;
        }
    }

    /** One sex x age band group's participants: persons, then enrolled (not transferred), by status, present and expected sessions. */
    static final class GroupCounts {
        int persons;
        int enrolled;
        int active;
        int completed;
        int droppedOut;
        int transferred;
        int present;
        int expected;

        void add(GroupCounts other) {
            persons += other.persons;
            enrolled += other.enrolled;
            active += other.active;
            completed += other.completed;
            droppedOut += other.droppedOut;
            transferred += other.transferred;
            present += other.present;
            expected += other.expected;
        }

        /** Adds ({@code sign} 1) or takes back (-1) a participant's figures. */
        void count(Derived d, int sign) {
            persons += sign;
            switch (d.status()) {
                case Derived.TRANSFERRED -> transferred += sign;
                case Derived.COMPLETED -> completed += sign;
                case Derived.DROPPED_OUT -> droppedOut += sign;
                default -> active += sign;
            }
            if (!d.transferred()) {
                enrolled += sign;
                present += sign * d.attended();
                expected += sign * d.expected();
            }
        }
    }

    final List<Registration> registrations = new ArrayList<>(1);
    /** Session number -> held days of its live SessionHeld records (the earliest is the session's date). */
    final TreeMap<Integer, Counts> sessions = new TreeMap<>();
    final GroupCounts[] groups = new GroupCounts[Groups.COUNT];
    /** Per group: the persons' own days (enrolment, dated exits), for as_of. */
    final Counts[] groupDays = new Counts[Groups.COUNT];
    /** Persons counted (not transferred) by the last session they were present at. */
    Counts lastPresent = new Counts();
    /** The same per group: the persons of the group counted in {@link #lastPresent}. */
    final Counts[] groupLastPresent = new Counts[Groups.COUNT];

    final List<Held> helds = new ArrayList<>(1);
    int attendees;
    final int[] attendeesBySex = new int[Groups.SEXES.size()];
    /** {@code role|sex} -> attendee records. */
    final TreeMap<String, Integer> attendeesByRoleSex = new TreeMap<>();
    /** Persons with at least one live attendance record carrying their person id. */
    int identified;

    Envelope cohortEnvelope;
    Emitted<RetentionFigures> totals;
    /** Per group (index {@link Groups#group}): its row last written, or null. */
    final List<Emitted<RetentionFigures>> groupRows = new ArrayList<>(Collections.nCopies(Groups.COUNT, null));
    /** Survival points written, by session number: the cohort's total curve and each group's. */
    final TreeMap<Integer, Emitted<CurveFigures>> curve = new TreeMap<>();
    final List<TreeMap<Integer, Emitted<CurveFigures>>> groupCurves = groupCurves();
    Envelope dialogueEnvelope;
    Emitted<DialogueFigures> summary;
    final TreeMap<String, Emitted<AttendanceFigures>> attendance = new TreeMap<>();

    private static List<TreeMap<Integer, Emitted<CurveFigures>>> groupCurves() {
        List<TreeMap<Integer, Emitted<CurveFigures>>> curves = new ArrayList<>(Groups.COUNT);
        for (int g = 0; g < Groups.COUNT; g++) {
            curves.add(new TreeMap<>());
        }
        return List.copyOf(curves);
    }

    Registration registration() {
        Registration best = null;
        for (Registration r : registrations) {
            if (best == null || r.after(best)) {
                best = r;
            }
        }
        return best;
    }

    Held held() {
        Held best = null;
        for (Held h : helds) {
            if (best == null || h.after(best)) {
                best = h;
            }
        }
        return best;
    }

    /** The date of a session: the earliest held day among its live records, {@link EventDays#NONE} when not held. */
    int sessionDay(int session) {
        Counts days = sessions.get(session);
        return days == null ? EventDays.NONE : days.min();
    }

    /** Adds ({@code sign} 1) or takes back (-1) a held day of a session; true when the session's date changed. */
    boolean countSession(int session, int day, int sign) {
        int before = sessionDay(session);
        Counts days = sessions.computeIfAbsent(session, s -> new Counts());
        days.add(day, sign);
        if (days.isEmpty()) {
            sessions.remove(session);
        }
        return before != sessionDay(session);
    }

    /** Adds ({@code sign} 1) or takes back (-1) a dialogue attendance record's counts. */
    void countAttendee(String role, int sex, int sign) {
        attendees += sign;
        attendeesBySex[sex] += sign;
        String key = Keys.join(role, Groups.SEXES.get(sex));
        int now = attendeesByRoleSex.getOrDefault(key, 0) + sign;
        if (now == 0) {
            attendeesByRoleSex.remove(key);
        } else {
            attendeesByRoleSex.put(key, now);
        }
    }

    /** Adds ({@code sign} 1) or takes back (-1) a participant's figures. */
    void count(Derived d, int sign) {
        int g = d.group();
        if (groups[g] == null) {
            groups[g] = new GroupCounts();
            groupDays[g] = new Counts();
            groupLastPresent[g] = new Counts();
        }
        GroupCounts c = groups[g];
        c.count(d, sign);
        if (!d.transferred() && d.lastPresent() != Derived.NO_SESSION) {
            lastPresent.add(d.lastPresent(), sign);
            groupLastPresent[g].add(d.lastPresent(), sign);
        }
        groupDays[g].add(d.ownDay(), sign);
        if (c.persons == 0) {
            groups[g] = null;
            groupDays[g] = null;
            groupLastPresent[g] = null;
        }
    }

    /** Nothing live and nothing written that is still live: the header can go. */
    boolean isEmpty() {
        if (!registrations.isEmpty() || !sessions.isEmpty() || !helds.isEmpty() || attendees != 0 || identified != 0
                || !lastPresent.isEmpty() || live(totals) || live(summary)) {
            return false;
        }
        for (int g = 0; g < Groups.COUNT; g++) {
            if (groups[g] != null || live(groupRows.get(g)) || groupCurves.get(g).values().stream().anyMatch(AggregateHeader::live)) {
                return false;
            }
        }
        return curve.values().stream().noneMatch(AggregateHeader::live)
                && attendance.values().stream().noneMatch(AggregateHeader::live);
    }

    static boolean live(Emitted<?> e) {
        return e != null && e.live;
    }
}
