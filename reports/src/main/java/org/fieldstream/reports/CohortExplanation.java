package org.fieldstream.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.fieldstream.clickhouse.ClickHouseGateway;

/**
 * A cohort figure explained: the figure as the streams' cohort row holds it (v_cohort_retention), the
 * persons it counts (v_participant_progress: a figure's status, or every status but transferred for
 * enrolled) and, per person, every record behind their status (explain_person_records), corrections and
 * retractions included and marked as such.
 */
final class CohortExplanation {

    /** The cohort figures that count persons, as named in v_cohort_retention. */
    enum Figure {
        ENROLLED, ACTIVE, COMPLETED, DROPPED_OUT, TRANSFERRED;

        String column() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The condition on participant_progress.status that selects the persons counted. */
        String statusCondition() {
            return this == ENROLLED ? "status != 'transferred'" : SqlText.equal("status", column());
        }

        static Figure of(String name) {
            for (Figure figure : values()) {
                if (figure.column().equals(name)) {
                    return figure;
                }
            }
            throw new ReportError("unknown figure " + Filters.shown(name) + ": expected one of " + ExplainCommand.FIGURES);
        }
    }

    /** One record of a person: an event of field_events and whether it counts (current) or was replaced. */
    record Source(String eventId, String eventType, String recordDate, String receivedAt, String source, String sourceRef,
                  int revision, String state) {

        String printed() {
            return "event_id=" + eventId + " type=" + eventType + " record_date=" + recordDate + " received_at=" + receivedAt
                    + " source=" + source + " source_ref=" + sourceRef + " revision=" + revision + " state=" + state;
        }
    }

    /** A person counted by the figure, their status and their records in record date order. */
    record Person(String personId, String status, List<Source> records) {

        String printed() {
            StringBuilder line = new StringBuilder(personId).append(" status=").append(status);
            records.forEach(r -> line.append(" | ").append(r.printed()));
            return line.toString();
        }
    }

    /** The figure's value in the cohort row and the persons it counts. */
    record Result(String figure, long value, List<Person> persons) {
    }

    private final ClickHouseGateway gateway;
    private final String db;

    CohortExplanation(ClickHouseGateway gateway, String db) {
        this.gateway = gateway;
        this.db = db;
    }

    Result explain(String program, String partner, String cohort, Figure figure) {
        String cohortKey = SqlText.where(List.of(SqlText.equal("program_id", program), SqlText.equal("partner_id", partner),
                SqlText.equal("cohort_id", cohort)));
        List<Map<String, String>> row = gateway.query("SELECT " + figure.column() + " AS figure FROM " + db + ".v_cohort_retention" + cohortKey);
        if (row.isEmpty()) {
            throw new ReportError("no cohort " + cohort + " of partner " + partner + " in program " + program);
        }
        long value = Long.parseLong(row.get(0).get("figure"));
        return new Result(figure.column(), value, persons(cohortKey, figure.statusCondition()));
    }

    /**
     * A survival point explained: the persons of the cohort's grain (sex and age band, 'all' for the
     * total) surviving at held session {@code session} as v_retention_curve counts them (surviving),
     * that is the grain's persons not transferred present at an expected session numbered
     * {@code session} or later (v_participant_progress.last_session_present), each with their records.
     */
    Result survival(String program, String partner, String cohort, int session, String sex, String ageBand) {
        List<String> key = List.of(SqlText.equal("program_id", program), SqlText.equal("partner_id", partner),
                SqlText.equal("cohort_id", cohort));
        List<String> point = new ArrayList<>(key);
        point.addAll(List.of("session_number = " + session, SqlText.equal("sex", sex), SqlText.equal("age_band", ageBand)));
        List<Map<String, String>> row = gateway.query("SELECT surviving FROM " + db + ".v_retention_curve" + SqlText.where(point));
        if (row.isEmpty()) {
            throw new ReportError("no survival point at session " + session + " for sex " + sex + " and age band " + ageBand
                    + " of cohort " + cohort + " of partner " + partner + " in program " + program);
        }
        String condition = "status != 'transferred' AND ifNull(last_session_present, 0) >= " + session
                + ("all".equals(sex) ? "" : " AND " + SqlText.equal("sex", sex))
                + ("all".equals(ageBand) ? "" : " AND " + SqlText.equal("age_band", ageBand));
        return new Result("survival", Long.parseLong(row.get(0).get("surviving")), persons(SqlText.where(key), condition));
    }

    /** The persons of the cohort whose participant row meets {@code condition}, with their records. */
    private List<Person> persons(String cohortKey, String condition) {
        Map<String, String> statuses = new LinkedHashMap<>();
        for (Map<String, String> p : gateway.query("SELECT person_id, status FROM " + db + ".v_participant_progress" + cohortKey
                + " AND " + condition + " ORDER BY person_id")) {
            statuses.put(p.get("person_id"), p.get("status"));
        }
        Map<String, List<Source>> records = new LinkedHashMap<>();
        statuses.keySet().forEach(person -> records.put(person, new ArrayList<>()));
        for (Map<String, String> r : gateway.query("SELECT person_id, event_id, event_type, record_date, received_at, source, source_ref,"
                + " revision, record_state FROM " + db + ".explain_person_records" + cohortKey
                + " ORDER BY person_id, record_date, event_type, root_id, revision, event_id")) {
            List<Source> of = records.get(r.get("person_id"));
            if (of != null) {
                of.add(source(r));
            }
        }
        List<Person> persons = new ArrayList<>();
        statuses.forEach((person, status) -> persons.add(new Person(person, status, List.copyOf(records.get(person)))));
        return List.copyOf(persons);
    }

    /** A record as the explain views give it (event_id ... revision, record_state). */
    static Source source(Map<String, String> r) {
        return new Source(r.get("event_id"), r.get("event_type"), r.get("record_date"), utc(r.get("received_at")),
                r.get("source"), r.get("source_ref"), Integer.parseInt(r.get("revision")), r.get("record_state"));
    }

    /** "2026-01-06 10:00:00" (UTC, as ClickHouse prints it) as 2026-01-06T10:00:00Z. */
    static String utc(String dateTime) {
        return dateTime.replace(' ', 'T') + "Z";
    }
}
