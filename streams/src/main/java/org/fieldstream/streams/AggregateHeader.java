package org.fieldstream.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything about one aggregate that is not per person, stored per {@code <aggregate_id>}: the live
 * registration and session records of a cohort, the live DialogueHeld records and the attendance
 * counters of a dialogue, the cohort's counters summed over its participants' {@link Derived}
 * figures (per sex x age band, with a histogram of as_of days and one of last sessions present whose
 * suffix sums give the survival curve, in total and per sex x age band), and the rows last written
 * for the aggregate's grains, so
 * that a grain writes only when it changed and a vanished one writes once more with
 * {@code deleted = true}.
 */
final class AggregateHeader implements Compact.Writable {

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
    }

    /** The row last written for one grain: its figures, its version, and whether it is live or was deleted. */
    static final class Emitted {
        long version;
        boolean live;
        long[] values;

        Emitted(long version, boolean live, long[] values) {
            this.version = version;
            this.live = live;
            this.values = values;
        }
    }

    /** Per group: persons, then the enrolled, active, completed, dropped out, transferred, present and expected counts. */
    static final int PERSONS = 0;
    static final int ENROLLED = 1;
    static final int ACTIVE = 2;
    static final int COMPLETED = 3;
    static final int DROPPED_OUT = 4;
    static final int TRANSFERRED = 5;
    static final int PRESENT = 6;
    static final int EXPECTED = 7;
    static final int COUNTERS = 8;

    final List<Registration> registrations = new ArrayList<>(1);
    /** Session number -> held days of its live SessionHeld records (the earliest is the session's date). */
    final TreeMap<Integer, Counts> sessions = new TreeMap<>();
    final int[][] groups = new int[Groups.COUNT][];
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
    Emitted totals;
    final Emitted[] groupRows = new Emitted[Groups.COUNT];
    /** Survival points written, by session number: the cohort's total curve and each group's. */
    final TreeMap<Integer, Emitted> curve = new TreeMap<>();
    final List<TreeMap<Integer, Emitted>> groupCurves = groupCurves();
    Envelope dialogueEnvelope;
    Emitted summary;
    final TreeMap<String, Emitted> attendance = new TreeMap<>();

    private static List<TreeMap<Integer, Emitted>> groupCurves() {
        List<TreeMap<Integer, Emitted>> curves = new ArrayList<>(Groups.COUNT);
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
            groups[g] = new int[COUNTERS];
            groupDays[g] = new Counts();
            groupLastPresent[g] = new Counts();
        }
        int[] c = groups[g];
        c[PERSONS] += sign;
        switch (d.status()) {
            case Derived.TRANSFERRED -> c[TRANSFERRED] += sign;
            case Derived.COMPLETED -> c[COMPLETED] += sign;
            case Derived.DROPPED_OUT -> c[DROPPED_OUT] += sign;
            default -> c[ACTIVE] += sign;
        }
        if (!d.transferred()) {
            c[ENROLLED] += sign;
            c[PRESENT] += sign * d.attended();
            c[EXPECTED] += sign * d.expected();
            if (d.lastPresent() != Derived.NO_SESSION) {
                lastPresent.add(d.lastPresent(), sign);
                groupLastPresent[g].add(d.lastPresent(), sign);
            }
        }
        groupDays[g].add(d.ownDay(), sign);
        if (c[PERSONS] == 0) {
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
            if (groups[g] != null || live(groupRows[g]) || groupCurves.get(g).values().stream().anyMatch(AggregateHeader::live)) {
                return false;
            }
        }
        return curve.values().stream().noneMatch(AggregateHeader::live)
                && attendance.values().stream().noneMatch(AggregateHeader::live);
    }

    static boolean live(Emitted e) {
        return e != null && e.live;
    }

    @Override
    public void writeTo(Compact.Writer out) {
        out.writeInt(registrations.size());
        for (Registration r : registrations) {
            out.writeString(r.eventId());
            out.writeLong(r.occurredAt());
            out.writeString(r.program());
            out.writeString(r.partner());
            out.writeString(r.orgUnit());
            out.writeString(r.cohortId());
            out.writeInt(r.planned());
            out.writeInt(r.startDay());
        }
        out.writeInt(sessions.size());
        for (Map.Entry<Integer, Counts> s : sessions.entrySet()) {
            out.writeInt(s.getKey());
            s.getValue().writeTo(out);
        }
        for (int g = 0; g < Groups.COUNT; g++) {
            out.writeBoolean(groups[g] != null);
            if (groups[g] != null) {
                for (int v : groups[g]) {
                    out.writeInt(v);
                }
                groupDays[g].writeTo(out);
                groupLastPresent[g].writeTo(out);
            }
        }
        lastPresent.writeTo(out);
        out.writeInt(helds.size());
        for (Held h : helds) {
            out.writeString(h.eventId());
            out.writeLong(h.occurredAt());
            out.writeString(h.program());
            out.writeString(h.partner());
            out.writeString(h.orgUnit());
            out.writeString(h.dialogueId());
            out.writeString(h.kind());
            out.writeString(h.topic());
            out.writeInt(h.day());
        }
        out.writeInt(attendees);
        for (int v : attendeesBySex) {
            out.writeInt(v);
        }
        out.writeInt(attendeesByRoleSex.size());
        attendeesByRoleSex.forEach((k, v) -> {
            out.writeString(k);
            out.writeInt(v);
        });
        out.writeInt(identified);
        writeEnvelope(out, cohortEnvelope);
        writeEmitted(out, totals);
        for (Emitted e : groupRows) {
            writeEmitted(out, e);
        }
        writeCurve(out, curve);
        for (TreeMap<Integer, Emitted> c : groupCurves) {
            writeCurve(out, c);
        }
        writeEnvelope(out, dialogueEnvelope);
        writeEmitted(out, summary);
        out.writeInt(attendance.size());
        attendance.forEach((k, e) -> {
            out.writeString(k);
            writeEmitted(out, e);
        });
    }

    static AggregateHeader read(Compact.Reader in) {
        AggregateHeader h = new AggregateHeader();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            h.registrations.add(new Registration(in.readString(), in.readLong(), in.readString(), in.readString(),
                    in.readString(), in.readString(), in.readInt(), in.readInt()));
        }
        n = in.readInt();
        for (int i = 0; i < n; i++) {
            h.sessions.put(in.readInt(), Counts.read(in));
        }
        for (int g = 0; g < Groups.COUNT; g++) {
            if (in.readBoolean()) {
                int[] c = new int[COUNTERS];
                for (int i = 0; i < COUNTERS; i++) {
                    c[i] = in.readInt();
                }
                h.groups[g] = c;
                h.groupDays[g] = Counts.read(in);
                h.groupLastPresent[g] = Counts.read(in);
            }
        }
        h.lastPresent = Counts.read(in);
        n = in.readInt();
        for (int i = 0; i < n; i++) {
            h.helds.add(new Held(in.readString(), in.readLong(), in.readString(), in.readString(), in.readString(),
                    in.readString(), in.readString(), in.readString(), in.readInt()));
        }
        h.attendees = in.readInt();
        for (int i = 0; i < h.attendeesBySex.length; i++) {
            h.attendeesBySex[i] = in.readInt();
        }
        n = in.readInt();
        for (int i = 0; i < n; i++) {
            h.attendeesByRoleSex.put(in.readString(), in.readInt());
        }
        h.identified = in.readInt();
        h.cohortEnvelope = readEnvelope(in);
        h.totals = readEmitted(in);
        for (int g = 0; g < Groups.COUNT; g++) {
            h.groupRows[g] = readEmitted(in);
        }
        readCurve(in, h.curve);
        for (TreeMap<Integer, Emitted> c : h.groupCurves) {
            readCurve(in, c);
        }
        h.dialogueEnvelope = readEnvelope(in);
        h.summary = readEmitted(in);
        n = in.readInt();
        for (int i = 0; i < n; i++) {
            h.attendance.put(in.readString(), readEmitted(in));
        }
        return h;
    }

    private static void writeCurve(Compact.Writer out, TreeMap<Integer, Emitted> curve) {
        out.writeInt(curve.size());
        curve.forEach((k, e) -> {
            out.writeInt(k);
            writeEmitted(out, e);
        });
    }

    private static void readCurve(Compact.Reader in, TreeMap<Integer, Emitted> curve) {
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            curve.put(in.readInt(), readEmitted(in));
        }
    }

    private static void writeEnvelope(Compact.Writer out, Envelope e) {
        out.writeBoolean(e != null);
        if (e != null) {
            out.writeString(e.program());
            out.writeString(e.partner());
            out.writeString(e.orgUnit());
            out.writeString(e.id());
            out.writeString(e.kind());
            out.writeString(e.topic());
        }
    }

    private static Envelope readEnvelope(Compact.Reader in) {
        return in.readBoolean()
                ? new Envelope(in.readString(), in.readString(), in.readString(), in.readString(), in.readString(), in.readString())
                : null;
    }

    private static void writeEmitted(Compact.Writer out, Emitted e) {
        out.writeBoolean(e != null);
        if (e != null) {
            out.writeLong(e.version);
            out.writeBoolean(e.live);
            out.writeInt(e.values.length);
            for (long v : e.values) {
                out.writeLong(v);
            }
        }
    }

    private static Emitted readEmitted(Compact.Reader in) {
        if (!in.readBoolean()) {
            return null;
        }
        long version = in.readLong();
        boolean live = in.readBoolean();
        long[] values = new long[in.readInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readLong();
        }
        return new Emitted(version, live, values);
    }
}
