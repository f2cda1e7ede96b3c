package org.fieldstream.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.clickhouse.ClickHouseSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dq_* measures and the scorecard's status on hand-made field_events and rejected_rows, on
 * ClickHouse 18.16 and on the current engine (chDB), against figures worked out by hand below.
 * Record dates are Asia/Dhaka days (occurred_at 00:00 there); received_at is 10:00 in Dhaka. Program
 * p1: reporting_deadline_days 5 (January's deadline is 5 February), dq_min_on_time_share 0.8,
 * dq_max_rejected_share 0.25, dq_max_duplicate_share 0.05, dq_max_late_edits 0.
 *
 * Partner a, cohort c1 (2026-01-05 .. 2026-02-28, 3 planned, 1 held, no exit: open after its end,
 * month February): P1 enrolled; session 1 held 01-10; P1 present at 1 (corrected to absent, received
 * 02-10: a late correction of January), P1 present at session 2 (never held: waiting, received 02-03),
 * P2 present at 1 (retracted, received 03-01: a late retraction of January). Cohort c2 (March, 1
 * planned, 1 held: not open) with P3 and P4 present. Rows rejected: 3 of a in January, 1 without a
 * partner in January, 1 of b in April.
 *
 * Partner b, cohort d1: 5 sessions with 1, 2, 3, 4 (April) and 30 (May) present: median 3 (rank 2 of
 * the sorted counts), |x - 3| = 2 1 0 1 27, MAD 1; 30 has 0.6745 * 27 = 18.2 > 3.5, an outlier; 1 has
 * 1.35. Session 1 of d1 was sent twice, its one attendance three times: 2 of b's 15 April records
 * were sent more than once (3 extra copies), a share of 0.1333 above 0.05. Partner c, cohort e1 (April, everything received 06-01, late): 3 sessions with 2, 2, 3
 * present: median 2, MAD 0, so 3 is an outlier; days to receipt 61, 60 x 3, 53 x 3, 46 x 4, 32 (exit).
 */
class QualityMeasuresIT {

    private static final String DB = "it_dq_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);

    private static BothEngines engines;
    private static ClickHouseGateway old;
    private static Chdb current;
    private static long offset;

    @BeforeAll
    static void load() {
        engines = BothEngines.migrated(DB);
        old = engines.old();
        List<Map<String, Object>> events = new ArrayList<>();
        String c1 = "p1/a/c1";
        events.add(cohort("a1", c1, "2026-01-05", "2026-01-06", "2026-01-05", "2026-02-28", 3));
        events.add(enrolled("a2", c1, "P1", "2026-01-05", "2026-01-06"));
        events.add(held("a3", c1, 1, "2026-01-10", "2026-01-11"));
        events.add(attended("a4", "a4", 1, c1, 1, "P1", "present", "2026-01-10", "2026-01-11"));
        events.add(attended("a5", "a5", 1, c1, 2, "P1", "present", "2026-01-17", "2026-02-03"));
        events.add(attended("a6", "a4", 2, c1, 1, "P1", "absent", "2026-01-10", "2026-02-10"));
        events.add(attended("a7", "a7", 1, c1, 1, "P2", "present", "2026-01-10", "2026-01-11"));
        events.add(event("a8", "a7", 2, c1, "record_retracted", utcOf("2026-03-01"), "2026-03-01"));
        String c2 = "p1/a/c2";
        events.add(cohort("a9", c2, "2026-03-01", "2026-03-02", "2026-03-01", "2026-03-31", 1));
        events.add(held("a10", c2, 1, "2026-03-05", "2026-03-06"));
        events.add(attended("a11", "a11", 1, c2, 1, "P3", "present", "2026-03-05", "2026-03-06"));
        events.add(attended("a12", "a12", 1, c2, 1, "P4", "present", "2026-03-05", "2026-03-06"));
        String d1 = "p1/b/d1";
        events.add(cohort("b0", d1, "2026-04-01", "2026-04-02", "2026-04-01", "2026-06-30", 5));
        String[] bDays = {"2026-04-01", "2026-04-08", "2026-04-15", "2026-04-22", "2026-05-06"};
        int[] bPresent = {1, 2, 3, 4, 30};
        for (int s = 0; s < bDays.length; s++) {
            String received = LocalDate.parse(bDays[s]).plusDays(1).toString();
            events.add(held("b-s" + (s + 1), d1, s + 1, bDays[s], received));
            for (int p = 1; p <= bPresent[s]; p++) {
                events.add(attended("b-s" + (s + 1) + "-" + p, "b-s" + (s + 1) + "-" + p, 1, d1, s + 1, "B" + p, "present", bDays[s], received));
            }
        }
        String e1 = "p1/c/e1";
        events.add(cohort("c0", e1, "2026-04-01", "2026-06-01", "2026-04-01", "2026-04-30", 3));
        String[] cDays = {"2026-04-02", "2026-04-09", "2026-04-16"};
        int[] cPresent = {2, 2, 3};
        for (int s = 0; s < cDays.length; s++) {
            events.add(held("c-s" + (s + 1), e1, s + 1, cDays[s], "2026-06-01"));
            for (int p = 1; p <= cPresent[s]; p++) {
                events.add(attended("c-s" + (s + 1) + "-" + p, "c-s" + (s + 1) + "-" + p, 1, e1, s + 1, "C" + p, "present", cDays[s], "2026-06-01"));
            }
        }
        Map<String, Object> exit = event("c-exit", "c-exit", 1, e1, "participant_exited", utcOf("2026-04-30"), "2026-06-01");
        exit.putAll(Map.of("cohort_id", "e1", "person_id", "C1", "reason", "completed", "exited_on", "2026-04-30"));
        events.add(exit);
        old.insertJsonEachRow(DB, "field_events", events);
        List<Map<String, Object>> copies = new ArrayList<>();
        for (String id : List.of("b-s1", "b-s1-1", "b-s1-1")) {
            Map<String, Object> copy = new LinkedHashMap<>(events.stream().filter(e -> e.get("event_id").equals(id)).findFirst().orElseThrow());
            offset++;
            copy.putAll(Map.of("source_offset", offset, "version", offset, "source_ref", "hand-again.csv:" + offset));
            copies.add(copy);
        }
        old.insertJsonEachRow(DB, "field_events", copies);
        old.insertJsonEachRow(DB, "rejected_rows", List.of(
                rejected("a", "csv", "enrolled_on", "not_a_date", "2026-01-20 04:00:00"),
                rejected("a", "csv", "enrolled_on", "not_a_date", "2026-01-20 05:00:00"),
                rejected("a", "csv", "person_key", "missing_value", "2026-01-20 06:00:00"),
                rejected("", "json", "", "malformed_row", "2026-01-20 07:00:00"),
                rejected("b", "csv", "status", "not_allowed_value", "2026-04-10 04:00:00")));
        Map<String, Object> program = Map.ofEntries(Map.entry("program_id", "p1"), Map.entry("name", "P1"), Map.entry("start_date", "2025-10-01"),
                Map.entry("dropout_missed_sessions", 3), Map.entry("completion_attendance", 0.8), Map.entry("reporting_deadline_days", 5),
                Map.entry("dq_min_on_time_share", 0.8), Map.entry("dq_max_rejected_share", 0.25), Map.entry("dq_max_duplicate_share", 0.05),
                Map.entry("dq_max_late_edits", 0), Map.entry("version", 1));
        old.insertJsonEachRow(DB, "programs", List.of(program));
        current = engines.copy();
    }

    @AfterAll
    static void drop() {
        engines.close();
    }

    @Test
    void attendanceWaitingForASessionNeverHeld() {
        same("program_id, partner_id, toString(month) AS month, attendance_records, attendance_waiting, sessions_waiting", "dq_attendance_waiting",
                "p1 a 2026-01-01 2 1 1", "p1 a 2026-03-01 2 0 0", "p1 b 2026-04-01 10 0 0", "p1 b 2026-05-01 30 0 0", "p1 c 2026-04-01 7 0 0");
    }

    @Test
    void cohortsPastTheirEndWithoutExitsOrAllSessions() {
        same("program_id, partner_id, toString(month) AS month, cohorts_ended, cohorts_open_after_end", "dq_cohorts_overdue",
                "p1 a 2026-02-01 1 1", "p1 a 2026-03-01 1 0", "p1 b 2026-06-01 1 0", "p1 c 2026-04-01 1 0");
    }

    @Test
    void correctionsAndRetractionsAfterTheirMonthsDeadline() {
        same("program_id, partner_id, toString(month) AS month, corrections, late_corrections, retractions, late_retractions, late_edits",
                "dq_late_edits", "p1 a 2026-01-01 1 1 1 1 2");
    }

    @Test
    void rowsRejectedByReasonPerPartnerAndMonth() {
        same("program_id, partner_id, toString(month) AS month, source, field, reason_code, rows_rejected", "dq_rejected_rows",
                "p1  2026-01-01 json  malformed_row 1", "p1 a 2026-01-01 csv person_key missing_value 1",
                "p1 a 2026-01-01 csv enrolled_on not_a_date 2", "p1 b 2026-04-01 csv status not_allowed_value 1");
    }

    @Test
    void attendanceOutliersAgainstThePartnersOwnHistory() {
        same("program_id, partner_id, toString(month) AS month, sessions, outlier_sessions, median_present, mad_present",
                "dq_attendance_outliers", "p1 a 2026-01-01 1 0 2 2", "p1 a 2026-03-01 1 0 2 2", "p1 b 2026-04-01 4 0 3 1",
                "p1 b 2026-05-01 1 1 3 1", "p1 c 2026-04-01 3 1 2 0");
    }

    @Test
    void rowsSentMoreThanOnce() {
        same("program_id, partner_id, toString(month) AS month, records, records_sent_more_than_once, extra_copies,"
                        + " round(duplicate_share, 4) AS share", "dq_duplicates", "p1 a 2026-01-01 7 0 0 0", "p1 a 2026-03-01 5 0 0 0",
                "p1 b 2026-04-01 15 2 3 0.1333", "p1 b 2026-05-01 31 0 0 0", "p1 c 2026-04-01 12 0 0 0");
    }

    @Test
    void theOnTimeShareUsesTheProgramsDeadline() {
        same("program_id, partner_id, toString(month) AS month, records, median_days_to_receipt, p90_days_to_receipt,"
                + " round(on_time_share, 4) AS on_time", "dq_partner_month", "p1 a 2026-01-01 7 1 31 0.8571", "p1 a 2026-03-01 4 1 1 1",
                "p1 b 2026-04-01 15 1 1 1", "p1 b 2026-05-01 31 1 1 1", "p1 c 2026-04-01 12 53 60 0");
    }

    @Test
    void theScorecardGivesEveryMeasureAndTheStatusAgainstTheProgramsThresholds() {
        same("program_id, partner_id, toString(month) AS month, records, round(on_time_share, 4) AS on_time, rows_received, rows_rejected,"
                        + " round(rejected_share, 4) AS rejected, records_sent_more_than_once, round(duplicate_share, 4) AS duplicates,"
                        + " late_edits, attendance_waiting, cohorts_open_after_end, outlier_sessions, status, outside_measures", "dq_scorecard",
                "p1  2026-01-01 0 0 0 1 1 0 0 0 0 0 0 outside rejected_share",
                "p1 a 2026-01-01 7 0.8571 5 3 0.375 0 0 2 1 0 0 outside rejected_share,late_edits",
                "p1 a 2026-02-01 0 0 2 0 0 0 0 0 0 1 0 within ",
                "p1 a 2026-03-01 4 1 5 0 0 0 0 0 0 0 0 within ",
                "p1 b 2026-04-01 15 1 15 1 0.0625 2 0.1333 0 0 0 0 outside duplicate_share",
                "p1 b 2026-05-01 31 1 31 0 0 0 0 0 0 0 1 within ",
                "p1 b 2026-06-01 0 0 0 0 0 0 0 0 0 0 0 within ",
                "p1 c 2026-04-01 12 0 0 0 0 0 0 0 0 0 1 outside on_time_share",
                "p1 c 2026-06-01 0 0 12 0 0 0 0 0 0 0 0 within ");
    }

    private static void same(String columns, String view, String... expected) {
        String sql = "SELECT " + columns + " FROM " + DB + "." + view + " ORDER BY program_id, partner_id, month"
                + (view.equals("dq_rejected_rows") ? ", reason_code" : "");
        for (ClickHouseSql side : List.of(old, current)) {
            assertEquals(List.of(expected), lines(side.query(sql)), view + " on " + (side == old ? "18.16" : current.version().toString()));
        }
    }

    private static List<String> lines(List<Map<String, String>> rows) {
        return rows.stream().map(row -> String.join(" ", row.values().stream().map(QualityMeasuresIT::plain).toList())).toList();
    }

    private static String plain(String value) {
        return value.matches("-?\\d+\\.\\d+") ? value.replaceAll("0+$", "").replaceAll("\\.$", "") : value;
    }

    private static Map<String, Object> rejected(String partner, String source, String field, String code, String at) {
        offset++;
        return new LinkedHashMap<>(Map.of("program_id", "p1", "partner_id", partner, "source", source, "field", field, "reason_code", code,
                "rejected_at", at, "version", offset, "source_topic", "hand", "source_partition", 0, "source_offset", offset));
    }

    private static Map<String, Object> cohort(String id, String aggregate, String day, String received, String start, String end, int planned) {
        Map<String, Object> e = event(id, id, 1, aggregate, "training_cohort_registered", utcOf(day), received);
        e.putAll(Map.of("cohort_id", cohortOf(aggregate), "planned_sessions", planned, "start_date", start, "end_date", end));
        return e;
    }

    private static Map<String, Object> enrolled(String id, String aggregate, String person, String day, String received) {
        Map<String, Object> e = event(id, id, 1, aggregate, "participant_enrolled", utcOf(day), received);
        e.putAll(Map.of("cohort_id", cohortOf(aggregate), "person_id", person, "enrolled_on", day, "sex", "female", "age", 20));
        return e;
    }

    private static Map<String, Object> held(String id, String aggregate, int session, String day, String received) {
        Map<String, Object> e = event(id, id, 1, aggregate, "session_held", utcOf(day), received);
        e.putAll(Map.of("cohort_id", cohortOf(aggregate), "session_number", session, "held_on", day));
        return e;
    }

    private static Map<String, Object> attended(String id, String root, int revision, String aggregate, int session, String person,
                                                String status, String day, String received) {
        Map<String, Object> e = event(id, root, revision, aggregate, "attendance_recorded", utcOf(day), received);
        e.putAll(Map.of("cohort_id", cohortOf(aggregate), "session_number", session, "person_id", person, "status", status));
        return e;
    }

    private static String cohortOf(String aggregate) {
        return aggregate.substring(aggregate.lastIndexOf('/') + 1);
    }

    /** An event of program p1 and the aggregate's partner, received at 10:00 in Dhaka on {@code received}. */
    private static Map<String, Object> event(String id, String root, int revision, String aggregate, String type, String occurredAt,
                                             String received) {
        offset++;
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("event_id", id);
        e.put("root_id", root);
        e.put("revision", revision);
        e.put("program_id", "p1");
        e.put("partner_id", aggregate.split("/")[1]);
        e.put("aggregate_id", aggregate);
        e.put("occurred_at", occurredAt);
        e.put("received_at", received + " 04:00:00");
        e.put("source", "csv");
        e.put("source_ref", "hand.csv:" + offset);
        e.put("event_type", type);
        e.put("source_topic", "hand");
        e.put("source_partition", 0);
        e.put("source_offset", offset);
        e.put("version", offset);
        return e;
    }

    /** 00:00 in Asia/Dhaka (UTC+6) of a day, in UTC. */
    private static String utcOf(String day) {
        return LocalDate.parse(day).minusDays(1) + " 18:00:00";
    }
}
