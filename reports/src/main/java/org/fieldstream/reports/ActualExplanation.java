package org.fieldstream.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fieldstream.clickhouse.ClickHouseGateway;

/**
 * A target's actual explained: the actual of an indicator for a program, partner, district or upazila
 * in a period as actuals_by_period holds it (0 when it has no row), and what it counts.
 * people_reached and new_people_reached are the outreach cell of all sexes and age bands
 * ({@link ReachExplanation}). enrolled, completed and dropped_out count participant rows
 * (explain_actual_records, the rows actuals_by_period counts): one line per person and cohort, the
 * person id first, then the cohort, status and the person's records in that cohort
 * (explain_person_records). dialogues_held counts held dialogues: one line per dialogue, starting
 * with {@code dialogue:<id>}, then its partner and date.
 */
final class ActualExplanation {

    static final Set<String> INDICATORS = Set.of("enrolled", "completed", "dropped_out", "dialogues_held", "people_reached",
            "new_people_reached");

    private final ClickHouseGateway gateway;
    private final String db;

    ActualExplanation(ClickHouseGateway gateway, String db) {
        this.gateway = gateway;
        this.db = db;
    }

    CohortExplanation.Result explain(ReachExplanation.Cell cell, String indicator) {
        String value = gateway.queryValue("SELECT toString(toInt64(sum(actual))) FROM " + db + ".actuals_by_period"
                + SqlText.where(List.of(SqlText.equal("program_id", cell.program()), SqlText.equal("indicator", indicator),
                        SqlText.equal("period", cell.period().actualName()), SqlText.equal("dimension", cell.dimension()),
                        SqlText.equal("dimension_id", cell.dimensionId()))));
        long actual = Long.parseLong(value);
        if (indicator.endsWith("people_reached")) {
            return new CohortExplanation.Result(indicator, actual,
                    new ReachExplanation(gateway, db).persons(cell, indicator.equals("new_people_reached")));
        }
        String where = " WHERE " + cell.recordCondition() + " AND " + SqlText.equal("indicator", indicator) + " AND "
                + cell.period().dayCondition("day");
        List<CohortExplanation.Person> persons = new ArrayList<>();
        if (indicator.equals("dialogues_held")) {
            for (Map<String, String> r : gateway.query("SELECT dialogue_id, partner_id, day FROM " + db
                    + ".explain_actual_records" + where + " ORDER BY partner_id, dialogue_id")) {
                persons.add(new CohortExplanation.Person("dialogue:" + r.get("dialogue_id"),
                        "held partner=" + r.get("partner_id") + " held_on=" + r.get("day"), List.of()));
            }
            return new CohortExplanation.Result(indicator, actual, List.copyOf(persons));
        }
        Map<String, List<CohortExplanation.Source>> records = new LinkedHashMap<>();
        Map<String, String> heads = new LinkedHashMap<>();
        for (Map<String, String> r : gateway.query("SELECT person_id, partner_id, cohort_id, day FROM " + db
                + ".explain_actual_records" + where + " ORDER BY person_id, partner_id, cohort_id")) {
            String key = r.get("partner_id") + "/" + r.get("cohort_id") + "/" + r.get("person_id");
            heads.put(key, r.get("person_id") + "\t" + indicator + " partner=" + r.get("partner_id") + " cohort=" + r.get("cohort_id")
                    + " on=" + r.get("day"));
            records.put(key, new ArrayList<>());
        }
        if (!heads.isEmpty()) {
            String recordWhere = SqlText.where(List.of(SqlText.equal("program_id", cell.program())))
                    + (cell.dimension().equals("partner") ? " AND " + SqlText.equal("partner_id", cell.dimensionId()) : "");
            for (Map<String, String> r : gateway.query("SELECT partner_id, cohort_id, person_id, event_id, event_type, record_date,"
                    + " received_at, source, source_ref, revision, record_state FROM " + db + ".explain_person_records" + recordWhere
                    + " ORDER BY person_id, record_date, event_type, root_id, revision, event_id")) {
                List<CohortExplanation.Source> of = records.get(r.get("partner_id") + "/" + r.get("cohort_id") + "/" + r.get("person_id"));
                if (of != null) {
                    of.add(CohortExplanation.source(r));
                }
            }
        }
        heads.forEach((key, head) -> {
            String[] parts = head.split("\t", 2);
            persons.add(new CohortExplanation.Person(parts[0], parts[1], List.copyOf(records.get(key))));
        });
        return new CohortExplanation.Result(indicator, actual, List.copyOf(persons));
    }
}
