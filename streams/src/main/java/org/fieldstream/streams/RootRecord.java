package org.fieldstream.streams;

import org.fieldstream.events.AttendanceRecorded;
import org.fieldstream.events.AttendanceStatus;
import org.fieldstream.events.DialogueAttended;
import org.fieldstream.events.DialogueHeld;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.ParticipantEnrolled;
import org.fieldstream.events.ParticipantExited;
import org.fieldstream.events.RecordRetracted;
import org.fieldstream.events.SessionHeld;
import org.fieldstream.events.TrainingCohortRegistered;

/**
 * The current state of one record (one {@code root_id} of an aggregate), in compact form: the
 * revision and event id that won (the latest-revision-wins rule of {@link #wins}), whether it is
 * retracted, and what its content contributes to the aggregate's state, so that a correction or a
 * retraction can take exactly that contribution back. Content that lives elsewhere (a registration
 * in the aggregate's header, an enrolment in the person's state) is found again by event id.
 *
 * <p>Stored per {@code <aggregate_id>|<root_id>}. A retraction is kept, not deleted, so that a lower
 * revision arriving later cannot revive the record.
 */
record RootRecord(int revision, String eventId, byte kind, String person, int session, int day, int code, String role)
        implements Compact.Writable {

    static final byte RETRACTED = 0;
    static final byte REGISTRATION = 1;
    static final byte ENROLMENT = 2;
    static final byte SESSION = 3;
    static final byte ATTENDANCE = 4;
    static final byte EXIT = 5;
    static final byte DIALOGUE_HELD = 6;
    static final byte DIALOGUE_ATTENDED = 7;

    /** {@code code} of an attendance: present or not. */
    static final int PRESENT = 1;

    /** The compact form of an event's record. */
    static RootRecord of(FieldEvent event) {
        Object payload = event.getPayload();
        int revision = event.getRevision();
        String id = event.getEventId();
        if (payload instanceof AttendanceRecorded a) {
            return new RootRecord(revision, id, ATTENDANCE, a.getPersonId(), a.getSessionNumber(), EventDays.NONE,
                    a.getStatus() == AttendanceStatus.PRESENT ? PRESENT : 0, null);
        } else if (payload instanceof ParticipantEnrolled e) {
            return new RootRecord(revision, id, ENROLMENT, e.getPersonId(), 0, EventDays.NONE, 0, null);
        } else if (payload instanceof SessionHeld s) {
            return new RootRecord(revision, id, SESSION, null, s.getSessionNumber(), EventDays.of(s.getHeldOn()), 0, null);
        } else if (payload instanceof ParticipantExited x) {
            return new RootRecord(revision, id, EXIT, x.getPersonId(), 0, EventDays.of(x.getExitedOn()), x.getReason().ordinal(), null);
        } else if (payload instanceof DialogueAttended d) {
            return new RootRecord(revision, id, DIALOGUE_ATTENDED, d.getPersonId(), 0, EventDays.NONE,
                    Groups.sexIndex(d.getSex()), d.getRole());
        } else if (payload instanceof TrainingCohortRegistered) {
            return new RootRecord(revision, id, REGISTRATION, null, 0, EventDays.NONE, 0, null);
        } else if (payload instanceof DialogueHeld) {
            return new RootRecord(revision, id, DIALOGUE_HELD, null, 0, EventDays.NONE, 0, null);
        } else if (payload instanceof RecordRetracted) {
            return new RootRecord(revision, id, RETRACTED, null, 0, EventDays.NONE, 0, null);
        }
        throw new IllegalArgumentException("unknown payload " + payload.getClass().getSimpleName());
    }

    boolean retracted() {
        return kind == RETRACTED;
    }

    /**
     * Higher revision wins. On equal revisions a different event (same revision sent with other
     * content) is ordered deterministically: a retraction first, then the greater event id; the
     * very same event again is a duplicate and never wins.
     */
    static boolean wins(int revision, String eventId, boolean retraction, RootRecord current) {
        if (revision != current.revision) {
            return revision > current.revision;
        }
        if (retraction != current.retracted()) {
            return retraction;
        }
        return eventId.compareTo(current.eventId) > 0;
    }

    @Override
    public void writeTo(Compact.Writer out) {
        out.writeByte(kind);
        out.writeInt(revision);
        out.writeString(eventId);
        switch (kind) {
            case ATTENDANCE -> {
                out.writeString(person);
                out.writeInt(session);
                out.writeInt(code);
            }
            case ENROLMENT -> out.writeString(person);
            case SESSION -> {
                out.writeInt(session);
                out.writeInt(day);
            }
            case EXIT -> {
                out.writeString(person);
                out.writeInt(day);
                out.writeInt(code);
            }
            case DIALOGUE_ATTENDED -> {
                out.writeString(person);
                out.writeInt(code);
                out.writeString(role);
            }
            default -> {
                // registration, dialogue held, retraction: found again by event id
            }
        }
    }

    static RootRecord read(Compact.Reader in) {
        byte kind = (byte) in.readByte();
        int revision = in.readInt();
        String eventId = in.readString();
        return switch (kind) {
            case ATTENDANCE -> new RootRecord(revision, eventId, kind, in.readString(), in.readInt(), EventDays.NONE, in.readInt(), null);
            case ENROLMENT -> new RootRecord(revision, eventId, kind, in.readString(), 0, EventDays.NONE, 0, null);
            case SESSION -> new RootRecord(revision, eventId, kind, null, in.readInt(), in.readInt(), 0, null);
            case EXIT -> new RootRecord(revision, eventId, kind, in.readString(), 0, in.readInt(), in.readInt(), null);
            case DIALOGUE_ATTENDED -> new RootRecord(revision, eventId, kind, in.readString(), 0, EventDays.NONE, in.readInt(), in.readString());
            default -> new RootRecord(revision, eventId, kind, null, 0, EventDays.NONE, 0, null);
        };
    }
}
