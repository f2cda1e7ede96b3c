package org.fieldstream.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fieldstream.clickhouse.ClickHouseGateway;

/**
 * An outreach cell explained: people_reached or new_people_reached of a program, partner, district or
 * upazila in a period (month, quarter, year, fiscal year, to date) for a sex and age band ('all' for
 * every one), as v_outreach holds it (0 when the cell has no row); the persons it counts as
 * recompute_outreach_persons lists them (the rows recompute_outreach counts, same rules: a partner's
 * cells by its own records, the others pooled), each with every record that reached them in the
 * period and the cell's partner, district or upazila (explain_reach_records: presences at held
 * sessions, identified attendances at held dialogues, current records only).
 */
final class ReachExplanation {

    /** An outreach cell: dimension program, partner, district or upazila and its id. */
    record Cell(String program, String dimension, String dimensionId, ExplainPeriod period, String sex, String ageBand) {

        String where() {
            return SqlText.where(List.of(SqlText.equal("program_id", program), SqlText.equal("period_kind", period.outreachKind()),
                    SqlText.equal("period", period.outreachName()), SqlText.equal("dimension", dimension),
                    SqlText.equal("dimension_id", dimensionId), SqlText.equal("sex", sex), SqlText.equal("age_band", ageBand)));
        }

        /** The condition on explain_reach_records that keeps the cell's reaches (its period's months aside). */
        String recordCondition() {
            return switch (dimension) {
                case "program" -> SqlText.equal("program_id", program);
                case "partner" -> SqlText.equal("program_id", program) + " AND " + SqlText.equal("partner_id", dimensionId);
                default -> SqlText.equal("program_id", program) + " AND " + SqlText.equal(dimension + "_id", dimensionId);
            };
        }
    }

    private final ClickHouseGateway gateway;
    private final String db;

    ReachExplanation(ClickHouseGateway gateway, String db) {
        this.gateway = gateway;
        this.db = db;
    }

    /** {@code figure}: people_reached or new_people_reached, read from v_outreach. */
    CohortExplanation.Result explain(Cell cell, String figure) {
        String value = gateway.queryValue("SELECT toString(sum(" + figure + ")) FROM " + db + ".v_outreach" + cell.where());
        return new CohortExplanation.Result(figure, Long.parseLong(value), persons(cell, figure.equals("new_people_reached")));
    }

    /** The persons the cell counts (only those new in it when {@code newOnly}) with their reaches in it. */
    List<CohortExplanation.Person> persons(Cell cell, boolean newOnly) {
        Map<String, List<CohortExplanation.Source>> persons = new LinkedHashMap<>();
        for (Map<String, String> p : gateway.query("SELECT person_id FROM " + db + ".recompute_outreach_persons" + cell.where()
                + (newOnly ? " AND is_new = 1" : "") + " ORDER BY person_id")) {
            persons.put(p.get("person_id"), new ArrayList<>());
        }
        if (!persons.isEmpty()) {
            for (Map<String, String> r : gateway.query("SELECT person_id, event_id, event_type, record_date,"
                    + " received_at, source, source_ref, revision FROM " + db + ".explain_reach_records WHERE " + cell.recordCondition()
                    + " AND " + cell.period().dayCondition("month") + " ORDER BY person_id, record_date, event_id")) {
                List<CohortExplanation.Source> of = persons.get(r.get("person_id"));
                if (of != null) {
                    of.add(new CohortExplanation.Source(r.get("event_id"), r.get("event_type"), r.get("record_date"),
                            CohortExplanation.utc(r.get("received_at")), r.get("source"), r.get("source_ref"),
                            Integer.parseInt(r.get("revision")), "current"));
                }
            }
        }
        String status = newOnly ? "newly_reached" : "reached";
        List<CohortExplanation.Person> listed = new ArrayList<>();
        persons.forEach((person, records) -> listed.add(new CohortExplanation.Person(person, status, List.copyOf(records))));
        return List.copyOf(listed);
    }
}
