package org.fieldstream.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fieldstream.clickhouse.ClickHouseGateway;

/**
 * A dialogue's attendance explained: the attendees of a held dialogue as v_dialogue_attendance counts
 * them (every current attendance record, by role and sex, stakeholders noted by role without a person
 * id included), one line per attendance record counted: the person id ({@code unidentified} for a
 * stakeholder noted by role), the role, then every event of the record with its state
 * (explain_dialogue_records: corrections and retractions included and marked as such).
 */
final class DialogueExplanation {

    static final String UNIDENTIFIED = "unidentified";

    private final ClickHouseGateway gateway;
    private final String db;

    DialogueExplanation(ClickHouseGateway gateway, String db) {
        this.gateway = gateway;
        this.db = db;
    }

    CohortExplanation.Result attendance(String program, String partner, String dialogue) {
        String key = SqlText.where(List.of(SqlText.equal("program_id", program), SqlText.equal("partner_id", partner),
                SqlText.equal("dialogue_id", dialogue)));
        if (gateway.query("SELECT dialogue_id FROM " + db + ".v_dialogues" + key).isEmpty()) {
            throw new ReportError("no held dialogue " + dialogue + " of partner " + partner + " in program " + program);
        }
        long value = Long.parseLong(gateway.queryValue("SELECT toString(sum(attendees)) FROM " + db + ".v_dialogue_attendance" + key));
        Map<String, String> heads = new LinkedHashMap<>();
        Map<String, List<CohortExplanation.Source>> records = new LinkedHashMap<>();
        Map<String, String> statuses = new LinkedHashMap<>();
        Map<String, Boolean> counted = new LinkedHashMap<>();
        for (Map<String, String> r : gateway.query("SELECT person_id, role, root_id, event_id, event_type, record_date, received_at, source,"
                + " source_ref, revision, record_state FROM " + db + ".explain_dialogue_records" + key
                + " ORDER BY person_id, root_id, revision, event_type, event_id")) {
            String root = r.get("root_id");
            String person = r.get("person_id").isEmpty() ? UNIDENTIFIED : r.get("person_id");
            heads.putIfAbsent(root, person);
            statuses.putIfAbsent(root, "attended role=" + r.get("role").replace(' ', '_'));
            records.computeIfAbsent(root, k -> new ArrayList<>()).add(CohortExplanation.source(r));
            counted.merge(root, r.get("record_state").equals("current"), Boolean::logicalOr);
        }
        List<CohortExplanation.Person> persons = new ArrayList<>();
        heads.forEach((root, head) -> {
            if (counted.get(root)) {
                persons.add(new CohortExplanation.Person(head, statuses.get(root), List.copyOf(records.get(root))));
            }
        });
        return new CohortExplanation.Result("attendance", value, List.copyOf(persons));
    }
}
