package org.fieldstream.streams;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.Serde;

/**
 * The {@link Compact} layout of a {@link PersonState}: enrolments, presences per session, exits,
 * dialogue attendance records, the {@link Derived} figures last counted (when any), the participant
 * row's state and version, and the reach last sent (program, then its fingerprint when one was sent).
 */
final class PersonStateSerde {

    private PersonStateSerde() {
    }

    static Serde<PersonState> serde() {
        return Compact.serde(PersonStateSerde::write, PersonStateSerde::read);
    }

    static void write(Compact.Writer out, PersonState p) {
        out.writeInt(p.enrolments.size());
        for (PersonState.Enrolment e : p.enrolments) {
            out.writeString(e.eventId());
            out.writeInt(e.day());
            out.writeByte(e.sex());
            out.writeByte(e.band());
        }
        p.present.writeTo(out);
        out.writeInt(p.exits.size());
        for (PersonState.Exit x : p.exits) {
            out.writeByte(x.reason());
            out.writeInt(x.day());
            out.writeInt(x.count());
        }
        out.writeInt(p.attendees.size());
        for (PersonState.Attendee a : p.attendees) {
            out.writeString(a.eventId());
            out.writeByte(a.sex());
            out.writeByte(a.band());
        }
        out.writeBoolean(p.derived != null);
        if (p.derived != null) {
            writeDerived(out, p.derived);
        }
        out.writeBoolean(p.rowLive);
        out.writeLong(p.rowVersion);
        out.writeString(p.sentProgram);
        if (p.sentProgram != null) {
            out.writeLong(p.sentFingerprint);
        }
    }

    static PersonState read(Compact.Reader in) {
        int n = in.readInt();
        List<PersonState.Enrolment> enrolments = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            enrolments.add(new PersonState.Enrolment(in.readString(), in.readInt(), in.readByte(), in.readByte()));
        }
        Counts present = Counts.read(in);
        n = in.readInt();
        List<PersonState.Exit> exits = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            exits.add(new PersonState.Exit(in.readByte(), in.readInt(), in.readInt()));
        }
        n = in.readInt();
        List<PersonState.Attendee> attendees = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            attendees.add(new PersonState.Attendee(in.readString(), in.readByte(), in.readByte()));
        }
        PersonState s = new PersonState(enrolments, present, exits, attendees);
        s.derived = in.readBoolean() ? readDerived(in) : null;
        s.rowLive = in.readBoolean();
        s.rowVersion = in.readLong();
        s.sentProgram = in.readString();
        s.sentFingerprint = s.sentProgram == null ? 0L : in.readLong();
        return s;
    }

    private static void writeDerived(Compact.Writer out, Derived d) {
        out.writeByte(d.status());
        out.writeByte(d.sex());
        out.writeByte(d.band());
        out.writeInt(d.enrolledOn());
        out.writeInt(d.expected());
        out.writeInt(d.attended());
        out.writeInt(d.lastPresent());
        out.writeInt(d.ownDay());
        out.writeInt(d.asOfDay());
    }

    private static Derived readDerived(Compact.Reader in) {
        return new Derived(in.readByte(), in.readByte(), in.readByte(), in.readInt(), in.readInt(), in.readInt(),
                in.readInt(), in.readInt(), in.readInt());
    }
}
