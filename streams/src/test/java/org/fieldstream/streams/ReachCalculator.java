package org.fieldstream.streams;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.fieldstream.events.AttendanceRecorded;
import org.fieldstream.events.DialogueAttended;
import org.fieldstream.events.DialogueHeld;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.ParticipantEnrolled;
import org.fieldstream.events.Sex;
import org.fieldstream.metrics.DialogueAttendance;
import org.fieldstream.metrics.DialogueSummary;

/**
 * Test oracle: outreach facts of one aggregate recomputed from its live records: who was reached in
 * which month (and from which day), and for a dialogue its summary and attendance by role and sex.
 * A presence counts only once its session (or dialogue) is held; the month is the session's or
 * dialogue's date. Attendees without a person id count in attendance, never in reach. A reach is
 * placed at the cohort's (dialogue's) partner and org unit; before its registration a cohort's
 * reach is in the program and partner its aggregate id {@code <program>/<partner>/<id>} names. The
 * attributes a record offers are the cohort's (dialogue's) partner's.
 * Dialogue rows' as_of is the start of the dialogue's date.
 */
final class ReachCalculator {

    private ReachCalculator() {
    }

    record Result(Map<String, Reach> reachByPerson, List<DialogueSummary> summaries, List<DialogueAttendance> attendance) {
    }

    /** True when the live records are those of a dialogue (a cohort never holds dialogue records). */
    static boolean isDialogue(List<FieldEvent> live) {
        return live.stream()
                .anyMatch(e -> e.getPayload() instanceof DialogueHeld || e.getPayload() instanceof DialogueAttended);
    }

    /**
     * A presence at a held session is a reach (enrolled or not), placed at the attendance's partner
     * and the cohort's org unit. Every live enrolment offers the person's attributes, reached here or not.
     */
    static Result cohort(CohortView view) {
        String cohortOrgUnit = view.registration == null ? null : view.registration.getOrgUnitId();
        String[] owner = owner(view.aggregateId);
        String program = view.registration != null ? view.registration.getProgramId() : owner == null ? null : owner[0];
        String partner = view.registration != null ? view.registration.getPartnerId() : owner == null ? null : owner[1];
        if (program == null) {
            return new Result(Map.of(), List.of(), List.of());
        }
        Map<String, List<Reach.Place>> places = new TreeMap<>();
        for (FieldEvent presence : view.presences.values()) {
            AttendanceRecorded attendance = (AttendanceRecorded) presence.getPayload();
            LocalDate heldOn = view.sessions.get(attendance.getSessionNumber());
            if (heldOn == null) {
                continue; // waits for its SessionHeld
            }
            places.computeIfAbsent(attendance.getPersonId(), p -> new ArrayList<>())
                    .add(new Reach.Place(Periods.month(heldOn), partner, cohortOrgUnit, (int) heldOn.toEpochDay()));
        }
        Map<String, Reach> reach = new TreeMap<>();
        for (String person : union(places.keySet(), view.enrolments.keySet())) {
            FieldEvent enrolment = view.enrolments.get(person);
            reach.put(person, new Reach(program, enrolment == null ? null : attributes(enrolment, view.aggregateId, partner),
                    List.copyOf(places.getOrDefault(person, List.of()))));
        }
        return new Result(reach, List.of(), List.of());
    }

    static String[] owner(String aggregateId) {
        String[] parts = aggregateId.split("/", 3);
        return parts.length == 3 ? parts : null;
    }

    private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.Set<String> all = new java.util.TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    /** The enrolment's attributes, as recorded by the cohort's partner. */
    private static Reach.Attributes attributes(FieldEvent enrolmentEvent, String source, String partner) {
        ParticipantEnrolled e = (ParticipantEnrolled) enrolmentEvent.getPayload();
        return new Reach.Attributes(CohortCalculator.sex(e), AgeBand.atEnrolment(e.getAge(), e.getBirthYear(), e.getEnrolledOn()),
                e.getEnrolledOn().toEpochDay(), Reach.Attributes.ENROLMENT, source, partner);
    }

    static Result dialogue(String aggregateId, List<FieldEvent> live) {
        List<FieldEvent> records = new ArrayList<>(live);
        records.sort(Comparator.comparing(FieldEvent::getEventId));
        FieldEvent heldEvent = null;
        Map<String, FieldEvent> identified = new TreeMap<>();
        List<FieldEvent> attendees = new ArrayList<>();
        for (FieldEvent e : records) {
            if (e.getPayload() instanceof DialogueHeld) {
                if (heldEvent == null || Comparator.comparing(FieldEvent::getOccurredAt).thenComparing(FieldEvent::getEventId)
                        .compare(e, heldEvent) > 0) {
                    heldEvent = e;
                }
            } else if (e.getPayload() instanceof DialogueAttended a) {
                attendees.add(e); // every attendee record counts in attendance
                if (a.getPersonId() != null) {
                    identified.putIfAbsent(a.getPersonId(), e); // records are sorted by event id
                }
            }
        }
        if (heldEvent == null) {
            return new Result(Map.of(), List.of(), List.of()); // attendance waits for its DialogueHeld
        }
        DialogueHeld held = (DialogueHeld) heldEvent.getPayload();
        String kind = held.getKind().name().toLowerCase(Locale.ROOT);
        Instant asOf = CohortCalculator.instant(held.getHeldOn());
        int[] bySex = new int[Sex.values().length];
        Map<String, Integer> byRoleSex = new TreeMap<>();
        for (FieldEvent e : attendees) {
            DialogueAttended a = (DialogueAttended) e.getPayload();
            Sex sex = a.getSex() == null ? Sex.UNKNOWN : a.getSex();
            bySex[sex.ordinal()]++;
            byRoleSex.merge(Keys.join(a.getRole(), sexName(sex)), 1, Integer::sum);
        }
        DialogueSummary summary = DialogueSummary.newBuilder()
                .setProgramId(heldEvent.getProgramId()).setPartnerId(heldEvent.getPartnerId()).setOrgUnitId(heldEvent.getOrgUnitId())
                .setDialogueId(held.getDialogueId()).setKind(kind).setTopic(held.getTopic()).setHeldOn(held.getHeldOn())
                .setAttendees(attendees.size()).setAttendeesFemale(bySex[Sex.FEMALE.ordinal()])
                .setAttendeesMale(bySex[Sex.MALE.ordinal()]).setAttendeesOther(bySex[Sex.OTHER.ordinal()])
                .setAttendeesUnknown(bySex[Sex.UNKNOWN.ordinal()]).setIdentifiedPersons(identified.size())
                .setAsOf(asOf).setUpdatedAt(Instant.EPOCH).setVersion(0L).setDeleted(false).build();
        List<DialogueAttendance> attendance = new ArrayList<>();
        for (Map.Entry<String, Integer> e : byRoleSex.entrySet()) {
            int split = e.getKey().lastIndexOf(Keys.SEP);
            attendance.add(DialogueAttendance.newBuilder()
                    .setProgramId(heldEvent.getProgramId()).setPartnerId(heldEvent.getPartnerId()).setDialogueId(held.getDialogueId())
                    .setKind(kind).setHeldOn(held.getHeldOn()).setRole(e.getKey().substring(0, split))
                    .setSex(e.getKey().substring(split + 1)).setAttendees(e.getValue())
                    .setAsOf(asOf).setUpdatedAt(Instant.EPOCH).setVersion(0L).setDeleted(false).build());
        }
        Map<String, Reach> reach = new TreeMap<>();
        String month = Periods.month(held.getHeldOn());
        for (Map.Entry<String, FieldEvent> e : identified.entrySet()) {
            DialogueAttended a = (DialogueAttended) e.getValue().getPayload();
            Reach.Attributes attributes = new Reach.Attributes(sexName(a.getSex()), AgeBand.of(a.getAge()),
                    held.getHeldOn().toEpochDay(), Reach.Attributes.DIALOGUE, aggregateId, heldEvent.getPartnerId());
            reach.put(e.getKey(), new Reach(heldEvent.getProgramId(), attributes,
                    List.of(new Reach.Place(month, heldEvent.getPartnerId(), heldEvent.getOrgUnitId(), (int) held.getHeldOn().toEpochDay()))));
        }
        return new Result(reach, List.of(summary), attendance);
    }

    static String sexName(Sex sex) {
        return sex == null ? "unknown" : sex.name().toLowerCase(Locale.ROOT);
    }

}
