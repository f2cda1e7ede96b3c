package org.fieldstream.seeds;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Dialogue families of the expected metrics: one dialogues row per held (current) dialogue with
 * every current attendee counted by sex and its distinct identified persons, and one
 * dialogue_attendance row per dialogue x role x sex present. Attendees of a dialogue with no
 * current DialogueHeld wait: no row.
 */
final class DialogueExpectation {

    private final Function<String, String> pseudonym;
    private final Map<MetricFamily, Map<String, Map<String, Object>>> out;

    DialogueExpectation(Function<String, String> pseudonym, Map<MetricFamily, Map<String, Map<String, Object>>> out) {
        this.pseudonym = pseudonym;
        this.out = out;
    }

    void compute(Ledger ledger) {
        Map<String, List<FieldRecord.DialogueAttendee>> attendees = new HashMap<>();
        for (FieldRecord.DialogueAttendee a : ledger.current(FieldRecord.DialogueAttendee.class)) {
            attendees.computeIfAbsent(a.dialogueId(), k -> new ArrayList<>()).add(a);
        }
        for (FieldRecord.Dialogue d : ledger.current(FieldRecord.Dialogue.class)) {
            List<FieldRecord.DialogueAttendee> list = attendees.getOrDefault(d.dialogueId(), List.of());
            summary(d, list);
            Map<String, Integer> byRoleSex = new TreeMap<>();
            for (FieldRecord.DialogueAttendee a : list) {
                byRoleSex.merge(a.role() + '|' + AgeBand.sex(a.sex()), 1, Integer::sum);
            }
            for (Map.Entry<String, Integer> e : byRoleSex.entrySet()) {
                String[] roleSex = e.getKey().split("\\|");
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("program_id", d.programId());
                row.put("partner_id", d.partnerId());
                row.put("dialogue_id", d.dialogueId());
                row.put("kind", kind(d));
                row.put("held_on", d.heldOn());
                row.put("role", roleSex[0]);
                row.put("sex", roleSex[1]);
                row.put("attendees", e.getValue());
                put(MetricFamily.DIALOGUE_ATTENDANCE, row);
            }
        }
    }

    private void summary(FieldRecord.Dialogue d, List<FieldRecord.DialogueAttendee> list) {
        Map<String, Integer> bySex = new HashMap<>();
        Set<String> persons = new HashSet<>();
        for (FieldRecord.DialogueAttendee a : list) {
            bySex.merge(AgeBand.sex(a.sex()), 1, Integer::sum);
            if (a.personKey() != null) {
                persons.add(pseudonym.apply(a.personKey()));
            }
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("program_id", d.programId());
        row.put("partner_id", d.partnerId());
        row.put("org_unit_id", d.orgUnitId());
        row.put("dialogue_id", d.dialogueId());
        row.put("kind", kind(d));
        row.put("topic", d.topic());
        row.put("held_on", d.heldOn());
        row.put("attendees", list.size());
        row.put("attendees_female", bySex.getOrDefault("female", 0));
        row.put("attendees_male", bySex.getOrDefault("male", 0));
        row.put("attendees_other", bySex.getOrDefault("other", 0));
        row.put("attendees_unknown", bySex.getOrDefault("unknown", 0));
        row.put("identified_persons", persons.size());
        put(MetricFamily.DIALOGUES, row);
    }

    private static String kind(FieldRecord.Dialogue d) {
        return d.kind().name().toLowerCase(Locale.ROOT);
    }

    private void put(MetricFamily family, Map<String, Object> row) {
        family.check(row);
        out.computeIfAbsent(family, f -> new TreeMap<>()).put(family.key(row), row);
    }
}
