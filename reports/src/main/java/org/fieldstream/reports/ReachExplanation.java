package org.fieldstream.reports;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fieldstream.clickhouse.ClickHouseGateway;

/**
 * An outreach cell explained: people_reached of a program, or of one of its partners, in a month (sex
 * and age band 'all'), as v_outreach holds it (0 when the cell has no row), and the persons it counts
 * with every record that reached them that month (explain_reach_records: presences at held sessions,
 * identified attendances at held dialogues, current records only).
 */
final class ReachExplanation {

    private final ClickHouseGateway gateway;
    private final String db;

    ReachExplanation(ClickHouseGateway gateway, String db) {
        this.gateway = gateway;
        this.db = db;
    }

    /** {@code partner} null: the program's cell. */
    CohortExplanation.Result explain(String program, String partner, YearMonth month) {
        String dimension = partner == null ? "program" : "partner";
        String cell = SqlText.where(List.of(SqlText.equal("program_id", program), "period_kind = 'month'",
                SqlText.equal("period", month.toString()), SqlText.equal("dimension", dimension),
                SqlText.equal("dimension_id", partner == null ? program : partner), "sex = 'all'", "age_band = 'all'"));
        String value = gateway.queryValue("SELECT toString(sum(people_reached)) FROM " + db + ".v_outreach" + cell);
        List<String> conditions = new ArrayList<>(List.of(SqlText.equal("program_id", program),
                "month = toDate(" + SqlText.literal(month.atDay(1).toString()) + ")"));
        if (partner != null) {
            conditions.add(SqlText.equal("partner_id", partner));
        }
        Map<String, List<CohortExplanation.Source>> persons = new LinkedHashMap<>();
        for (Map<String, String> r : gateway.query("SELECT person_id, event_id, event_type, record_date, received_at, source, source_ref,"
                + " revision FROM " + db + ".explain_reach_records" + SqlText.where(conditions)
                + " ORDER BY person_id, record_date, event_id")) {
            persons.computeIfAbsent(r.get("person_id"), p -> new ArrayList<>()).add(new CohortExplanation.Source(r.get("event_id"),
                    r.get("event_type"), r.get("record_date"), CohortExplanation.utc(r.get("received_at")), r.get("source"),
                    r.get("source_ref"), Integer.parseInt(r.get("revision")), "current"));
        }
        List<CohortExplanation.Person> listed = new ArrayList<>();
        persons.forEach((person, records) -> listed.add(new CohortExplanation.Person(person, "reached", List.copyOf(records))));
        return new CohortExplanation.Result("people_reached", Long.parseLong(value), List.copyOf(listed));
    }
}
