package org.fieldstream.seeds;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.fieldstream.events.DialogueKind;
import org.fieldstream.events.Sex;

/**
 * Dialogues, consultations and meetings with their attendees: trained persons come back (so
 * distinct counting matters), new community members join, officials are noted by role only (no
 * person_key), Community of Practice sessions gather 25-30 staff. With duplicates, corrections,
 * retractions and planted malformed rows like the cohorts.
 */
final class DialogueSimulator {

    /** A partner that holds dialogues, drawing returning persons from a trained pool. */
    record DialoguePartner(String partnerId, String programId, String keyPrefix, People.Kind trainedKind,
                           List<DialogueKind> kinds, List<String> villages, List<String> unions, List<String> upazilas,
                           String district) {
    }

    static final int MALFORMED_KINDS = 4;
    static final int STAFF_POOL = 60;

    private static final List<String> OFFICIALS = List.of("upazila_nirbahi_officer", "upazila_education_officer",
            "head_teacher", "smc_chair", "union_parishad_chairman", "district_primary_education_officer");
    private static final List<String> STAFF_ROLES = List.of("program_manager", "upazila_coordinator", "me_officer",
            "technical_officer", "regional_coordinator");

    private final Emitter out;
    private final People people;
    private final PersonCounters counters;

    DialogueSimulator(Emitter out, People people, PersonCounters counters) {
        this.out = out;
        this.people = people;
        this.counters = counters;
    }

    void simulate(int index, DialoguePartner dp, SplittableRandom r) {
        DialogueKind kind = People.pick(r, dp.kinds());
        String dialogueId = dp.partnerId() + "-dlg-" + String.format("%05d", index);
        LocalDate heldOn = CohortSimulator.workday(LocalDate.of(2026, 1, 4).plusDays(r.nextInt(0, 176)));
        if (heldOn.isAfter(Emitter.CUTOFF)) {
            heldOn = LocalDate.of(2026, 6, 30);
        }
        FieldRecord.Dialogue d = new FieldRecord.Dialogue(dp.programId(), dp.partnerId(), dialogueId, kind, topic(kind, r),
                heldOn, orgUnit(kind, dp, r));
        out.emit(d, heldOn, Rows.dialogue(d));
        int no = 0;
        for (Attendee a : attendees(kind, dp, heldOn, r)) {
            no++;
            FieldRecord.DialogueAttendee rec = new FieldRecord.DialogueAttendee(dp.programId(), dp.partnerId(), dialogueId,
                    no, a.person == null ? null : a.person.key(), a.role, a.sex, a.age);
            attend(rec, a.person, heldOn, r);
        }
        if (index < MALFORMED_KINDS || index % 5 == 0) {
            plantMalformed(index % MALFORMED_KINDS, d, no + 1);
        }
    }

    private record Attendee(People.Person person, String role, Sex sex, Integer age) {
    }

    private List<Attendee> attendees(DialogueKind kind, DialoguePartner dp, LocalDate heldOn, SplittableRandom r) {
        List<Attendee> list = new java.util.ArrayList<>();
        if (kind == DialogueKind.COMMUNITY_OF_PRACTICE) {
            Set<Integer> staff = new LinkedHashSet<>();
            int size = r.nextInt(25, 31);
            while (staff.size() < size) {
                staff.add(r.nextInt(STAFF_POOL));
            }
            for (int i : staff) {
                People.Person p = people.person(People.key(dp.keyPrefix(), People.Kind.STAFF, i), People.Kind.STAFF);
                list.add(new Attendee(p, STAFF_ROLES.get(i % STAFF_ROLES.size()), p.sex(), age(p, heldOn, r)));
            }
            return list;
        }
        int officials = kind == DialogueKind.POLICY_DIALOGUE ? r.nextInt(5, 9)
                : kind == DialogueKind.STAKEHOLDER_MEETING || kind == DialogueKind.ANNUAL_GENERAL_MEETING ? r.nextInt(1, 4) : 0;
        int size = switch (kind) {
            case ANNUAL_GENERAL_MEETING -> r.nextInt(30, 51);
            case VILLAGE_GRADING -> r.nextInt(10, 21);
            default -> r.nextInt(15, 31);
        };
        for (int i = 0; i < officials; i++) {
            list.add(new Attendee(null, People.pick(r, OFFICIALS), r.nextDouble() < 0.7 ? Sex.MALE : Sex.FEMALE, null));
        }
        Set<String> seen = new LinkedHashSet<>();
        while (list.size() < size) {
            int trained = counters.count(dp.keyPrefix(), dp.trainedKind());
            People.Kind k;
            int idx;
            if (trained > 0 && r.nextDouble() < 0.45) {
                k = dp.trainedKind();
                idx = r.nextInt(trained);
            } else {
                k = People.Kind.COMMUNITY;
                int known = counters.count(dp.keyPrefix(), k);
                idx = known > 0 && r.nextDouble() < 0.3 ? r.nextInt(known) : counters.next(dp.keyPrefix(), k);
            }
            String key = People.key(dp.keyPrefix(), k, idx);
            if (seen.add(key)) {
                People.Person p = people.person(key, k);
                String role = k == People.Kind.CBO ? "cbo_member" : k == People.Kind.YOUTH ? "youth" : "community_member";
                list.add(new Attendee(p, role, p.sex(), age(p, heldOn, r)));
            }
        }
        return list;
    }

    private static Integer age(People.Person p, LocalDate heldOn, SplittableRandom r) {
        return r.nextDouble() < 0.75 ? Integer.valueOf(heldOn.getYear() - p.birthYear()) : null;
    }

    private void attend(FieldRecord.DialogueAttendee a, People.Person p, LocalDate heldOn, SplittableRandom r) {
        double u = r.nextDouble();
        if (u < 0.02) {
            FieldRecord.DialogueAttendee wrong = new FieldRecord.DialogueAttendee(a.programId(), a.partnerId(), a.dialogueId(),
                    a.attendeeNo(), a.personKey(), a.role(), Sex.UNKNOWN, null);
            out.emit(wrong, heldOn, Rows.attendee(wrong, p, r));
            out.correct(a, heldOn, Rows.attendee(a, p, r), 2, false);
            return;
        }
        Map<String, String> row = Rows.attendee(a, p, r);
        out.emit(a, heldOn, row);
        if (u < 0.04) {
            out.correct(a, heldOn, row, 2, true);
        } else if (u < 0.07) {
            out.duplicate(a, heldOn, row);
        }
    }

    private void plantMalformed(int kind, FieldRecord.Dialogue d, int attendeeNo) {
        Map<String, String> v = new LinkedHashMap<>();
        switch (kind) {
            case 0 -> {
                v.put("dialogue_id", d.dialogueId() + "-x");
                v.put("kind", "town_hall");
                v.put("topic", d.topic());
                v.put("held_on", d.heldOn().toString());
                v.put("org_unit_id", d.orgUnitId());
                out.malformed(d.partnerId(), d.heldOn(), "dialogues", v, "kind", "unknown_enum");
            }
            case 1 -> {
                v.put("dialogue_id", d.dialogueId());
                v.put("attendee_no", Integer.toString(attendeeNo));
                v.put("sex", "female");
                out.malformed(d.partnerId(), d.heldOn(), "dialogue_attendance", v, "role", "missing_required");
            }
            case 2 -> {
                v.put("dialogue_id", d.dialogueId() + "-y");
                v.put("kind", d.kind().name().toLowerCase(java.util.Locale.ROOT));
                v.put("topic", d.topic());
                v.put("held_on", String.format("%02d/%02d/%d", d.heldOn().getDayOfMonth(), d.heldOn().getMonthValue(), d.heldOn().getYear()));
                v.put("org_unit_id", d.orgUnitId());
                out.malformed(d.partnerId(), d.heldOn(), "dialogues", v, "held_on", "bad_date");
            }
            default -> {
                v.put("dialogue_id", d.dialogueId());
                v.put("attendee_no", "twelve");
                v.put("role", "community_member");
                v.put("sex", "male");
                out.malformed(d.partnerId(), d.heldOn(), "dialogue_attendance", v, "attendee_no", "not_a_number");
            }
        }
    }

    private static String orgUnit(DialogueKind kind, DialoguePartner dp, SplittableRandom r) {
        return switch (kind) {
            case COMMUNITY_CONSULTATION, VILLAGE_GRADING -> People.pick(r, dp.villages());
            case ANNUAL_GENERAL_MEETING, STAKEHOLDER_MEETING -> People.pick(r, dp.unions());
            case COMMUNITY_OF_PRACTICE -> dp.upazilas().get(0);
            case POLICY_DIALOGUE -> r.nextDouble() < 0.3 ? dp.district() : People.pick(r, dp.upazilas());
        };
    }

    private static String topic(DialogueKind kind, SplittableRandom r) {
        return switch (kind) {
            case POLICY_DIALOGUE -> People.pick(r, List.of("Teacher absenteeism in government primary schools",
                    "প্রাথমিক শিক্ষার মান ও সামাজিক জবাবদিহিতা", "School feeding, stipends and dropout"));
            case STAKEHOLDER_MEETING -> People.pick(r, List.of("School performance scorecard review", "SMC action plan follow-up"));
            case COMMUNITY_CONSULTATION -> People.pick(r, List.of("Flood preparedness on the chars", "Village development plan",
                    "Youth training: who joins, who stays"));
            case ANNUAL_GENERAL_MEETING -> People.pick(r, List.of("Village development committee AGM", "Savings group AGM"));
            case VILLAGE_GRADING -> People.pick(r, List.of("Village grading round", "গ্রাম মূল্যায়ন"));
            case COMMUNITY_OF_PRACTICE -> People.pick(r, List.of("Engaging youth in month-long trainings",
                    "Fitting consultations, AGMs and village grading into a working day", "Sharing failure cases"));
        };
    }
}
