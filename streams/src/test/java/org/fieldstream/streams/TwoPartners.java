package org.fieldstream.streams;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.avro.specific.SpecificRecordBase;
import org.fieldstream.events.DialogueKind;
import org.fieldstream.events.ExitReason;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.ParticipantEnrolled;
import org.fieldstream.events.Sex;
import org.fieldstream.metrics.OutreachCount;

/**
 * Two partners of one program recording the same persons (person ids are shared across a program's
 * partners): partner {@link #OWNER} with its own cohort and dialogue, and partner {@link #OTHER},
 * whose records name the owner's persons with another sex and birth year, more recently, and reach
 * them earlier (December) and later. Every cohort and dialogue id is {@code <program>/<partner>/<id>}.
 */
final class TwoPartners {

    static final String OWNER = "mms";
    static final String OTHER = "ndp";

    private TwoPartners() {
    }

    /**
     * The owner's records, org unit upz-1: cohort c1 (3 planned; sessions Jan 5, Jan 12, Feb 2): k1
     * (female, 22) present at 1-3; k2 (female, 34) at 1 and 3; k3 (male, 16) at 2, absent at 3; k4
     * (female, 40) at 1, then dropped out. Dialogue d1 on Feb 20: k1 as a member and an official
     * noted by role.
     */
    static List<FieldEvent> owner(String program) {
        TestEvents ev = new TestEvents(program, OWNER, "upz-1");
        String c1 = program + "/" + OWNER + "/c1";
        String d1 = program + "/" + OWNER + "/d1";
        LocalDate jan5 = LocalDate.of(2026, 1, 5);
        List<FieldEvent> list = new ArrayList<>();
        list.add(ev.registered(c1, 3, jan5));
        list.add(ev.held(c1, 1, jan5));
        list.add(ev.held(c1, 2, LocalDate.of(2026, 1, 12)));
        list.add(ev.held(c1, 3, LocalDate.of(2026, 2, 2)));
        list.add(ev.enrolled(c1, "k1", Sex.FEMALE, 22, jan5));
        list.add(ev.enrolled(c1, "k2", Sex.FEMALE, 34, jan5));
        list.add(ev.enrolled(c1, "k3", Sex.MALE, 16, jan5));
        list.add(ev.enrolled(c1, "k4", Sex.FEMALE, 40, jan5));
        list.add(ev.present(c1, 1, "k1"));
        list.add(ev.present(c1, 2, "k1"));
        list.add(ev.present(c1, 3, "k1"));
        list.add(ev.present(c1, 1, "k2"));
        list.add(ev.present(c1, 3, "k2"));
        list.add(ev.present(c1, 2, "k3"));
        list.add(ev.absent(c1, 3, "k3"));
        list.add(ev.present(c1, 1, "k4"));
        list.add(ev.exited(c1, "k4", ExitReason.DROPPED_OUT));
        list.add(ev.dialogueHeld(d1, DialogueKind.COMMUNITY_CONSULTATION, LocalDate.of(2026, 2, 20)));
        list.add(ev.dialogueAttended(d1, "1", "k1", "member", Sex.FEMALE, 22));
        list.add(ev.dialogueAttended(d1, "2", null, "official", Sex.MALE, null));
        return list;
    }

    /**
     * The other partner's records naming the owner's persons, org unit upz-2: cohort c7 (sessions
     * Dec 8 2025 and Jan 19 2026) enrolling k1, k2 and k3 on Jan 19 as male, born 1980 (more recent
     * than the owner's enrolments), k1 present in December (before the owner reached anyone), k2 and
     * k3 in January, k4 present without an enrolment, k1 dropped out there; dialogue d9 on Mar 3 with
     * k2 (other, 60) and k4 (male, 70).
     */
    static List<FieldEvent> other(String program) {
        TestEvents ev = new TestEvents(program, OTHER, "upz-2");
        String c7 = program + "/" + OTHER + "/c7";
        String d9 = program + "/" + OTHER + "/d9";
        LocalDate jan19 = LocalDate.of(2026, 1, 19);
        List<FieldEvent> list = new ArrayList<>();
        list.add(ev.registered(c7, 2, LocalDate.of(2025, 12, 8)));
        list.add(ev.held(c7, 1, LocalDate.of(2025, 12, 8)));
        list.add(ev.held(c7, 2, jan19));
        for (String person : new String[] {"k1", "k2", "k3"}) {
            list.add(ev.event(c7, TestEvents.enrolmentRoot(c7, person), 1, ParticipantEnrolled.newBuilder().setCohortId(c7)
                    .setPersonId(person).setSex(Sex.MALE).setBirthYear(1980).setAge(null).setEnrolledOn(jan19).build()));
        }
        list.add(ev.present(c7, 1, "k1"));
        list.add(ev.present(c7, 2, "k2"));
        list.add(ev.present(c7, 1, "k3"));
        list.add(ev.present(c7, 2, "k3"));
        list.add(ev.present(c7, 2, "k4"));
        list.add(ev.exited(c7, "k1", ExitReason.DROPPED_OUT));
        list.add(ev.dialogueHeld(d9, DialogueKind.VILLAGE_GRADING, LocalDate.of(2026, 3, 3)));
        list.add(ev.dialogueAttended(d9, "1", "k2", "member", Sex.OTHER, 60));
        list.add(ev.dialogueAttended(d9, "2", "k4", "member", Sex.MALE, 70));
        return list;
    }

    /**
     * True for a metric row that belongs to {@code partner}: an outreach cell of dimension partner
     * and that id, or any other row whose partner_id is the partner.
     */
    static boolean ofPartner(SpecificRecordBase row, String partner) {
        if (row instanceof OutreachCount c) {
            return c.getDimension().equals("partner") && c.getDimensionId().equals(partner);
        }
        return partner.equals(String.valueOf(row.get("partner_id")));
    }

    /** As {@link #ofPartner} for a row rendered by {@link TopologyHarness#render}. */
    static boolean renderedOfPartner(String rendered, String partner) {
        return rendered.contains(" partner_id=" + partner + " ") || rendered.contains(" dimension=partner dimension_id=" + partner + " ");
    }

    /** The partner's rows of every topic, keyed {@code <topic>/<key>}, whole (version and updated_at included). */
    static Map<String, SpecificRecordBase> rowsOf(Map<String, Map<String, SpecificRecordBase>> metrics, String partner) {
        Map<String, SpecificRecordBase> out = new TreeMap<>();
        metrics.forEach((topic, rows) -> rows.forEach((key, row) -> {
            if (ofPartner(row, partner)) {
                out.put(topic + "/" + key, row);
            }
        }));
        return out;
    }

    /** The topics among {@code rows}' keys ({@code <topic>/<key>}). */
    static java.util.Set<String> topicsOf(Map<String, ?> rows) {
        java.util.Set<String> topics = new java.util.TreeSet<>();
        rows.keySet().forEach(k -> topics.add(k.substring(0, k.indexOf('/'))));
        return topics;
    }
}
