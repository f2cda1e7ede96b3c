package org.fieldstream.seeds;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.fieldstream.events.Sex;

/** Row values of records as partners write them (spelling of sex varies, as in real exports). */
final class Rows {

    private Rows() {
    }

    static Map<String, String> cohort(FieldRecord.Cohort c) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("cohort_id", c.cohortId());
        v.put("topic", c.topic());
        v.put("planned_sessions", Integer.toString(c.plannedSessions()));
        v.put("start_date", c.startDate().toString());
        v.put("end_date", c.endDate() == null ? null : c.endDate().toString());
        v.put("target_group", c.targetGroup());
        v.put("org_unit_id", c.orgUnitId());
        return v;
    }

    static Map<String, String> enrolment(FieldRecord.Enrolment e, People.Person p, boolean nationalId, SplittableRandom r) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("cohort_id", e.cohortId());
        v.put("person_key", e.personKey());
        v.put("name", p.name());
        v.put("phone", p.phone());
        if (nationalId) {
            v.put("national_id", Long.toString(1_000_000_000L + Math.floorMod(p.key().hashCode(), 900_000_000)));
        }
        v.put("sex", sex(e.sex(), r));
        v.put("birth_year", e.birthYear() == null ? null : e.birthYear().toString());
        v.put("age", e.age() == null ? null : e.age().toString());
        v.put("enrolled_on", e.enrolledOn().toString());
        return v;
    }

    static Map<String, String> session(FieldRecord.Session s) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("cohort_id", s.cohortId());
        v.put("session_number", Integer.toString(s.sessionNumber()));
        v.put("held_on", s.heldOn().toString());
        return v;
    }

    static Map<String, String> attendance(FieldRecord.Attendance a) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("cohort_id", a.cohortId());
        v.put("session_number", Integer.toString(a.sessionNumber()));
        v.put("person_key", a.personKey());
        v.put("status", a.status().name().toLowerCase(Locale.ROOT));
        return v;
    }

    static Map<String, String> exit(FieldRecord.Exit x) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("cohort_id", x.cohortId());
        v.put("person_key", x.personKey());
        v.put("reason", x.reason().name().toLowerCase(Locale.ROOT));
        v.put("exited_on", x.exitedOn() == null ? null : x.exitedOn().toString());
        return v;
    }

    static Map<String, String> dialogue(FieldRecord.Dialogue d) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("dialogue_id", d.dialogueId());
        v.put("kind", d.kind().name().toLowerCase(Locale.ROOT));
        v.put("topic", d.topic());
        v.put("held_on", d.heldOn().toString());
        v.put("org_unit_id", d.orgUnitId());
        return v;
    }

    static Map<String, String> attendee(FieldRecord.DialogueAttendee a, People.Person p, SplittableRandom r) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("dialogue_id", a.dialogueId());
        v.put("attendee_no", Integer.toString(a.attendeeNo()));
        v.put("person_key", a.personKey());
        v.put("name", p == null ? null : p.name());
        v.put("phone", p == null ? null : p.phone());
        v.put("role", a.role());
        v.put("sex", sex(a.sex(), r));
        v.put("age", a.age() == null ? null : a.age().toString());
        return v;
    }

    /** female/male/other/unknown, sometimes as F/m/Female as LAYOUTS.md allows. */
    static String sex(Sex sex, SplittableRandom r) {
        String word = sex.name().toLowerCase(Locale.ROOT);
        double u = r.nextDouble();
        if (u < 0.1 && (sex == Sex.FEMALE || sex == Sex.MALE)) {
            return word.substring(0, 1).toUpperCase(Locale.ROOT);
        }
        if (u < 0.2) {
            return word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1);
        }
        return word;
    }
}
