package org.fieldstream.streams;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.streams.state.KeyValueStore;
import org.fieldstream.events.DialogueAttended;
import org.fieldstream.events.DialogueHeld;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.ParticipantEnrolled;
import org.fieldstream.events.TrainingCohortRegistered;

/**
 * What one event does to the state of its aggregate: a live record's contribution added
 * ({@code sign} 1, with its event) or taken back (-1, from its {@link RootRecord}); a correction is
 * the old record taken back and the new one added. Loads the header and the persons it touches on
 * first use, writes each once in {@link #save()}, and marks for the next punctuation the persons
 * that changed and, when the registration, a session's date or the DialogueHeld changed, every
 * person of the aggregate.
 */
final class RecordDelta {

    private final KeyValueStore<String, PersonState> persons;
    private final KeyValueStore<String, AggregateHeader> headers;
    private final AggregateMarks marks;

    private final String aggregate;
    private AggregateHeader header;
    private boolean headerChanged;
    private final Map<String, PersonState> changed = new LinkedHashMap<>(2);
    private byte aggregateMark = -1;

    RecordDelta(String aggregate, KeyValueStore<String, PersonState> persons, KeyValueStore<String, AggregateHeader> headers,
                AggregateMarks marks) {
        this.aggregate = aggregate;
        this.persons = persons;
        this.headers = headers;
        this.marks = marks;
    }

    private AggregateHeader header() {
        if (header == null) {
            header = headers.get(aggregate);
            if (header == null) {
                header = new AggregateHeader();
            }
        }
        headerChanged = true;
        return header;
    }

    private PersonState person(String personId) {
        return changed.computeIfAbsent(personId, p -> {
            PersonState s = persons.get(Keys.join(aggregate, p));
            return s == null ? new PersonState() : s;
        });
    }

    private void markAggregate(byte mark) {
        aggregateMark = (byte) Math.max(aggregateMark, mark);
    }

    /** Adds ({@code sign} 1, with its event) or takes back (-1) a live record's contribution. */
    void apply(RootRecord r, FieldEvent event, int sign) {
        switch (r.kind()) {
            case RootRecord.REGISTRATION -> {
                AggregateHeader h = header();
                AggregateHeader.Registration before = h.registration();
                if (sign > 0) {
                    h.registrations.add(registration(event));
                } else {
                    h.registrations.removeIf(x -> x.eventId().equals(r.eventId()));
                }
                if (!Objects.equals(before, h.registration())) {
                    markAggregate(AggregateMarks.ALL);
                }
            }
            case RootRecord.SESSION -> {
                if (header().countSession(r.session(), r.day(), sign)) {
                    markAggregate(AggregateMarks.ALL);
                }
            }
            case RootRecord.ENROLMENT -> {
                PersonState p = person(r.person());
                if (sign > 0) {
                    ParticipantEnrolled e = (ParticipantEnrolled) event.getPayload();
                    p.enrolments.add(new PersonState.Enrolment(r.eventId(), EventDays.of(e.getEnrolledOn()),
                            Groups.sexIndex(e.getSex()),
                            Groups.bandIndex(AgeBand.atEnrolment(e.getAge(), e.getBirthYear(), e.getEnrolledOn()))));
                } else {
                    p.removeEnrolment(r.eventId());
                }
            }
            case RootRecord.ATTENDANCE -> {
                if (r.code() == RootRecord.PRESENT) {
                    person(r.person()).present.add(r.session(), sign);
                }
            }
            case RootRecord.EXIT -> person(r.person()).addExit(r.code(), r.day(), sign);
            case RootRecord.DIALOGUE_HELD -> {
                AggregateHeader h = header();
                AggregateHeader.Held before = h.held();
                if (sign > 0) {
                    h.helds.add(held(event));
                } else {
                    h.helds.removeIf(x -> x.eventId().equals(r.eventId()));
                }
                if (!Objects.equals(before, h.held())) {
                    markAggregate(AggregateMarks.ALL);
                }
            }
            case RootRecord.DIALOGUE_ATTENDED -> {
                AggregateHeader h = header();
                h.countAttendee(r.role(), r.code(), sign);
                markAggregate(AggregateMarks.ROWS);
                if (r.person() != null) {
                    PersonState p = person(r.person());
                    boolean had = !p.attendees.isEmpty();
                    if (sign > 0) {
                        DialogueAttended a = (DialogueAttended) event.getPayload();
                        p.attendees.add(new PersonState.Attendee(r.eventId(), r.code(), Groups.bandIndex(AgeBand.of(a.getAge()))));
                    } else {
                        p.removeAttendee(r.eventId());
                    }
                    h.identified += (p.attendees.isEmpty() ? 0 : 1) - (had ? 1 : 0);
                }
            }
            default -> throw new IllegalStateException("no content to apply for record kind " + r.kind());
        }
    }

    void save() {
        if (headerChanged) {
            if (header.isEmpty()) {
                headers.delete(aggregate);
            } else {
                headers.put(aggregate, header);
            }
        }
        for (Map.Entry<String, PersonState> p : changed.entrySet()) {
            String key = Keys.join(aggregate, p.getKey());
            if (p.getValue().isEmpty()) {
                persons.delete(key);
            } else {
                persons.put(key, p.getValue());
            }
            marks.person(aggregate, p.getKey());
        }
        if (aggregateMark >= 0) {
            marks.aggregate(aggregate, aggregateMark);
        }
    }

    private static AggregateHeader.Registration registration(FieldEvent event) {
        TrainingCohortRegistered r = (TrainingCohortRegistered) event.getPayload();
        return new AggregateHeader.Registration(event.getEventId(), event.getOccurredAt().toEpochMilli(), event.getProgramId(),
                event.getPartnerId(), event.getOrgUnitId(), r.getCohortId(), r.getPlannedSessions(), EventDays.of(r.getStartDate()));
    }

    private static AggregateHeader.Held held(FieldEvent event) {
        DialogueHeld d = (DialogueHeld) event.getPayload();
        return new AggregateHeader.Held(event.getEventId(), event.getOccurredAt().toEpochMilli(), event.getProgramId(),
                event.getPartnerId(), event.getOrgUnitId(), d.getDialogueId(), d.getKind().name().toLowerCase(java.util.Locale.ROOT),
                d.getTopic(), EventDays.of(d.getHeldOn()));
    }
}
