package org.fieldstream.streams;

import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.Serde;

/**
 * The {@link Compact} layout of an {@link AggregateHeader}: registrations, sessions, per group its
 * counters with its days and last sessions present, the cohort's last sessions present, DialogueHeld
 * records, attendance counters, then the envelopes and rows last written. A row's figures are written
 * as their count followed by each figure, in the order of the figures record's components.
 */
final class AggregateHeaderSerde {

    private static final int RETENTION_FIGURES = 10;
    private static final int CURVE_FIGURES = 4;
    private static final int DIALOGUE_FIGURES = 8;
    private static final int ATTENDANCE_FIGURES = 3;

    private AggregateHeaderSerde() {
    }

    static Serde<AggregateHeader> serde() {
        return Compact.serde(AggregateHeaderSerde::write, AggregateHeaderSerde::read);
    }

    static void write(Compact.Writer out, AggregateHeader h) {
        out.writeInt(h.registrations.size());
        for (AggregateHeader.Registration r : h.registrations) {
            out.writeString(r.eventId());
            out.writeLong(r.occurredAt());
            out.writeString(r.program());
            out.writeString(r.partner());
            out.writeString(r.orgUnit());
            out.writeString(r.cohortId());
            out.writeInt(r.planned());
            out.writeInt(r.startDay());
        }
        out.writeInt(h.sessions.size());
        for (Map.Entry<Integer, Counts> s : h.sessions.entrySet()) {
            out.writeInt(s.getKey());
            s.getValue().writeTo(out);
        }
        for (int g = 0; g < Groups.COUNT; g++) {
            AggregateHeader.GroupCounts c = h.groups[g];
            out.writeBoolean(c != null);
            if (c != null) {
                out.writeInt(c.persons);
                out.writeInt(c.enrolled);
                out.writeInt(c.active);
                out.writeInt(c.completed);
                out.writeInt(c.droppedOut);
                out.writeInt(c.transferred);
                out.writeInt(c.present);
                out.writeInt(c.expected);
                h.groupDays[g].writeTo(out);
                h.groupLastPresent[g].writeTo(out);
            }
        }
        h.lastPresent.writeTo(out);
        out.writeInt(h.helds.size());
        for (AggregateHeader.Held d : h.helds) {
            out.writeString(d.eventId());
            out.writeLong(d.occurredAt());
            out.writeString(d.program());
            out.writeString(d.partner());
            out.writeString(d.orgUnit());
            out.writeString(d.dialogueId());
            out.writeString(d.kind());
            out.writeString(d.topic());
            out.writeInt(d.day());
        }
        out.writeInt(h.attendees);
        for (int v : h.attendeesBySex) {
            out.writeInt(v);
        }
        out.writeInt(h.attendeesByRoleSex.size());
        h.attendeesByRoleSex.forEach((k, v) -> {
            out.writeString(k);
            out.writeInt(v);
        });
        out.writeInt(h.identified);
        writeEnvelope(out, h.cohortEnvelope);
        writeEmitted(out, h.totals, AggregateHeaderSerde::writeRetention);
        for (AggregateHeader.Emitted<RetentionFigures> e : h.groupRows) {
            writeEmitted(out, e, AggregateHeaderSerde::writeRetention);
        }
        writeCurve(out, h.curve);
        for (TreeMap<Integer, AggregateHeader.Emitted<CurveFigures>> c : h.groupCurves) {
            writeCurve(out, c);
        }
        writeEnvelope(out, h.dialogueEnvelope);
        writeEmitted(out, h.summary, AggregateHeaderSerde::writeDialogue);
        out.writeInt(h.attendance.size());
        h.attendance.forEach((k, e) -> {
            out.writeString(k);
            writeEmitted(out, e, AggregateHeaderSerde::writeAttendance);
        });
    }

    static AggregateHeader read(Compact.Reader in) {
        AggregateHeader h = new AggregateHeader();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            h.registrations.add(new AggregateHeader.Registration(in.readString(), in.readLong(), in.readString(), in.readString(),
                    in.readString(), in.readString(), in.readInt(), in.readInt()));
        }
        n = in.readInt();
        for (int i = 0; i < n; i++) {
            h.sessions.put(in.readInt(), Counts.read(in));
        }
        for (int g = 0; g < Groups.COUNT; g++) {
            if (in.readBoolean()) {
                AggregateHeader.GroupCounts c = new AggregateHeader.GroupCounts();
                c.persons = in.readInt();
                c.enrolled = in.readInt();
                c.active = in.readInt();
                c.completed = in.readInt();
                c.droppedOut = in.readInt();
                c.transferred = in.readInt();
                c.present = in.readInt();
                c.expected = in.readInt();
                h.groups[g] = c;
                h.groupDays[g] = Counts.read(in);
                h.groupLastPresent[g] = Counts.read(in);
            }
        }
        h.lastPresent = Counts.read(in);
        n = in.readInt();
        for (int i = 0; i < n; i++) {
            h.helds.add(new AggregateHeader.Held(in.readString(), in.readLong(), in.readString(), in.readString(), in.readString(),
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
        h.totals = readEmitted(in, AggregateHeaderSerde::readRetention);
        for (int g = 0; g < Groups.COUNT; g++) {
            h.groupRows.set(g, readEmitted(in, AggregateHeaderSerde::readRetention));
        }
        readCurve(in, h.curve);
        for (TreeMap<Integer, AggregateHeader.Emitted<CurveFigures>> c : h.groupCurves) {
            readCurve(in, c);
        }
        h.dialogueEnvelope = readEnvelope(in);
        h.summary = readEmitted(in, AggregateHeaderSerde::readDialogue);
        n = in.readInt();
        for (int i = 0; i < n; i++) {
            h.attendance.put(in.readString(), readEmitted(in, AggregateHeaderSerde::readAttendance));
        }
        return h;
    }

    private static void writeRetention(Compact.Writer out, RetentionFigures f) {
        out.writeInt(RETENTION_FIGURES);
        out.writeLong(f.sessionsPlanned());
        out.writeLong(f.sessionsHeld());
        out.writeLong(f.enrolled());
        out.writeLong(f.active());
        out.writeLong(f.completed());
        out.writeLong(f.droppedOut());
        out.writeLong(f.transferred());
        out.writeLong(f.presentTotal());
        out.writeLong(f.expectedTotal());
        out.writeLong(f.asOfDay());
    }

    private static RetentionFigures readRetention(Compact.Reader in) {
        figures(in, RETENTION_FIGURES);
        return new RetentionFigures(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(),
                in.readInt(), in.readInt(), in.readInt());
    }

    private static void writeCurve(Compact.Writer out, CurveFigures f) {
        out.writeInt(CURVE_FIGURES);
        out.writeLong(f.heldOnDay());
        out.writeLong(f.enrolled());
        out.writeLong(f.surviving());
        out.writeLong(f.asOfDay());
    }

    private static CurveFigures readCurve(Compact.Reader in) {
        figures(in, CURVE_FIGURES);
        return new CurveFigures(in.readInt(), in.readInt(), in.readInt(), in.readInt());
    }

    private static void writeDialogue(Compact.Writer out, DialogueFigures f) {
        out.writeInt(DIALOGUE_FIGURES);
        out.writeLong(f.heldOnDay());
        out.writeLong(f.attendees());
        out.writeLong(f.attendeesFemale());
        out.writeLong(f.attendeesMale());
        out.writeLong(f.attendeesOther());
        out.writeLong(f.attendeesUnknown());
        out.writeLong(f.identifiedPersons());
        out.writeLong(f.asOfDay());
    }

    private static DialogueFigures readDialogue(Compact.Reader in) {
        figures(in, DIALOGUE_FIGURES);
        return new DialogueFigures(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(),
                in.readInt());
    }

    private static void writeAttendance(Compact.Writer out, AttendanceFigures f) {
        out.writeInt(ATTENDANCE_FIGURES);
        out.writeLong(f.attendees());
        out.writeLong(f.heldOnDay());
        out.writeLong(f.asOfDay());
    }

    private static AttendanceFigures readAttendance(Compact.Reader in) {
        figures(in, ATTENDANCE_FIGURES);
        return new AttendanceFigures(in.readInt(), in.readInt(), in.readInt());
    }

    private static void figures(Compact.Reader in, int expected) {
        int n = in.readInt();
        if (n != expected) {
            throw new IllegalStateException("a row's figures hold " + n + " values where this layout has " + expected);
        }
    }

    private static void writeCurve(Compact.Writer out, TreeMap<Integer, AggregateHeader.Emitted<CurveFigures>> curve) {
        out.writeInt(curve.size());
        curve.forEach((k, e) -> {
            out.writeInt(k);
            writeEmitted(out, e, AggregateHeaderSerde::writeCurve);
        });
    }

    private static void readCurve(Compact.Reader in, TreeMap<Integer, AggregateHeader.Emitted<CurveFigures>> curve) {
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            curve.put(in.readInt(), readEmitted(in, AggregateHeaderSerde::readCurve));
        }
    }

    private static void writeEnvelope(Compact.Writer out, AggregateHeader.Envelope e) {
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

    private static AggregateHeader.Envelope readEnvelope(Compact.Reader in) {
        return in.readBoolean()
                ? new AggregateHeader.Envelope(in.readString(), in.readString(), in.readString(), in.readString(), in.readString(),
                        in.readString())
                : null;
    }

    private static <F> void writeEmitted(Compact.Writer out, AggregateHeader.Emitted<F> e, Compact.Writing<F> figures) {
        out.writeBoolean(e != null);
        if (e != null) {
            out.writeLong(e.version);
            out.writeBoolean(e.live);
            figures.write(out, e.figures);
        }
    }

    private static <F> AggregateHeader.Emitted<F> readEmitted(Compact.Reader in, Compact.Reading<F> figures) {
        if (!in.readBoolean()) {
            return null;
        }
        long version = in.readLong();
        boolean live = in.readBoolean();
        return new AggregateHeader.Emitted<>(version, live, figures.read(in));
    }
}
