package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.platform.TestServices;
import org.fieldstream.schema.BothEngines;
import org.fieldstream.schema.Chdb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * dq_partner_month and {@code report quality} on hand-made field_events with every measured problem
 * planted once or twice, on ClickHouse 18.16 and on the current engine (chDB), against figures worked
 * out by hand below. Record dates are Asia/Dhaka days (occurred_at is the day's 00:00 there, 18:00 UTC
 * the day before); received_at is 10:00 in Dhaka (04:00 UTC).
 *
 * ndp cohort c1 (2026-01-05 .. 2026-02-28): P1 enrolled 01-05 (received 01-06), P2 enrolled 01-05 with
 * no sex (received 01-20), P3 enrolled 01-03, before the start, with no age (received 02-15, after
 * January's deadline 02-10); session 1 held 01-10 with P1 and P2 present (received 01-11), P1's
 * attendance corrected to absent (received 02-02), P2's retracted (received 02-20); session 2 held
 * 01-17 (received 01-18) with no attendance. ndp cohort c2 (from 2026-02-01): Q1 enrolled 02-01,
 * session 1 held 02-08 with Q1 and the unenrolled Q2 present (received 02-09), Q1 exited 01-25, before
 * the start (received 02-09). mms cohort m1 registered 01-10, received 03-01.
 *
 * ndp 2026-01: 10 records, days 1 1 15 43 0 1 1 1 23 15 (sorted 0 1 1 1 1 1 15 15 23 43: rank 5 is 1,
 * rank 9 is 43), 9 of 10 on time, 1 correction, session 2 without attendance, P2 and P3 unknown,
 * P3's enrolment and Q1's exit outside their cohort's dates. ndp 2026-02: 5 records, days 0 0 1 1 1,
 * all on time, the retraction (received in February), c2's session with 2 present of 1 enrolled.
 * mms 2026-01: 1 record, 50 days, late.
 */
class QualityReportIT {

    private static final String DB = "it_quality_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final String COLUMNS = "program_id, partner_id, toString(month) AS month, records, median_days_to_receipt,"
            + " p90_days_to_receipt, on_time_share, corrections, retractions, held_sessions_without_attendance,"
            + " enrolments_unknown_sex_or_age, records_outside_cohort_dates, sessions_more_present_than_enrolled";
    private static final List<String> EXPECTED = List.of(
            "shouhardo3 mms 2026-01-01 1 50 50 0 0 0 0 0 0 0",
            "shouhardo3 ndp 2026-01-01 10 1 43 0.9 1 0 1 2 2 0",
            "shouhardo3 ndp 2026-02-01 5 1 1 1 0 1 0 0 0 1");

    private static BothEngines engines;
    private static ClickHouseGateway old;
    private static Chdb current;
    private static long offset;

    @BeforeAll
    static void load() {
        engines = BothEngines.migrated(DB);
        old = engines.old();
        List<Map<String, Object>> events = new ArrayList<>();
        String c1 = "shouhardo3/ndp/c1";
        events.add(cohort("reg-c1", c1, "c1", "2026-01-05", "2026-01-06", "2026-01-05", "2026-02-28"));
        events.add(enrolled("enr-p1", c1, "c1", "P1", "2026-01-05", "2026-01-06", "female", 20));
        events.add(enrolled("enr-p2", c1, "c1", "P2", "2026-01-05", "2026-01-20", null, 30));
        events.add(enrolled("enr-p3", c1, "c1", "P3", "2026-01-03", "2026-02-15", "male", null));
        events.add(held("ses-c1-1", c1, "c1", 1, "2026-01-10", "2026-01-10"));
        events.add(attended("att-p1-1", "att-p1-1", 1, c1, "c1", 1, "P1", "present", "2026-01-10", "2026-01-11"));
        events.add(attended("att-p2-1", "att-p2-1", 1, c1, "c1", 1, "P2", "present", "2026-01-10", "2026-01-11"));
        events.add(held("ses-c1-2", c1, "c1", 2, "2026-01-17", "2026-01-18"));
        events.add(attended("att-p1-1-r2", "att-p1-1", 2, c1, "c1", 1, "P1", "absent", "2026-01-10", "2026-02-02"));
        events.add(event("ret-p2-1", "att-p2-1", 2, c1, "record_retracted", "2026-02-20 04:00:00", "2026-02-20"));
        String c2 = "shouhardo3/ndp/c2";
        events.add(cohort("reg-c2", c2, "c2", "2026-02-01", "2026-02-01", "2026-02-01", null));
        events.add(enrolled("enr-q1", c2, "c2", "Q1", "2026-02-01", "2026-02-01", "female", 25));
        events.add(held("ses-c2-1", c2, "c2", 1, "2026-02-08", "2026-02-09"));
        events.add(attended("att-q1-1", "att-q1-1", 1, c2, "c2", 1, "Q1", "present", "2026-02-08", "2026-02-09"));
        events.add(attended("att-q2-1", "att-q2-1", 1, c2, "c2", 1, "Q2", "present", "2026-02-08", "2026-02-09"));
        Map<String, Object> exit = event("exit-q1", "exit-q1", 1, c2, "participant_exited", utcOf("2026-01-25"), "2026-02-09");
        exit.putAll(Map.of("cohort_id", "c2", "person_id", "Q1", "reason", "dropped_out", "exited_on", "2026-01-25"));
        events.add(exit);
        Map<String, Object> mms = cohort("reg-m1", "shouhardo3/mms/m1", "m1", "2026-01-10", "2026-03-01", "2026-01-10", null);
        mms.put("partner_id", "mms");
        events.add(mms);
        old.insertJsonEachRow(DB, "field_events", events);
        // the sink writes every field of a Program, defaults included (JSONEachRow on 18.16 fills an omitted one with zero)
        old.insertJsonEachRow(DB, "programs", List.of(Map.ofEntries(Map.entry("program_id", "shouhardo3"), Map.entry("name", "SHOUHARDO III"),
                Map.entry("start_date", "2025-10-01"), Map.entry("dropout_missed_sessions", 3), Map.entry("completion_attendance", 0.8),
                Map.entry("reporting_deadline_days", 10), Map.entry("dq_min_on_time_share", 0.8), Map.entry("dq_max_rejected_share", 0.05),
                Map.entry("dq_max_duplicate_share", 0.05), Map.entry("dq_max_late_edits", 0), Map.entry("version", 1))));
        old.insertJsonEachRow(DB, "partners", List.of(
                Map.of("partner_id", "ndp", "program_id", "shouhardo3", "name", "NDP", "org_unit_id", "bd-sirajganj-sadar", "version", 1),
                Map.of("partner_id", "mms", "program_id", "shouhardo3", "name", "MMS", "org_unit_id", "bd-sirajganj-chauhali", "version", 1)));
        current = engines.copy();
    }

    @AfterAll
    static void drop() {
        engines.close();
    }

    @Test
    void everyMeasurePerPartnerAndMonthIsTheHandWorkedFigureOnBothVersions() {
        String sql = "SELECT " + COLUMNS + " FROM " + DB + ".dq_partner_month ORDER BY program_id, partner_id, month";
        assertEquals(EXPECTED, lines(old.query(sql)), "18.16");
        assertEquals(EXPECTED, lines(current.query(sql)), current.version().toString());
    }

    @Test
    void theQualityReportPrintsTheSameFiguresAndFiltersByPartnerAndMonth() {
        List<Map<String, String>> all = ReportIT.PrintedTable.section(report("quality"), QualityReport.PER_PARTNER_MONTH);
        assertEquals(List.of("shouhardo3 mms 2026-01 1 50 50 0 0 0 0 0 0 0", "shouhardo3 ndp 2026-01 10 1 43 0.9 1 0 1 2 2 0",
                "shouhardo3 ndp 2026-02 5 1 1 1 0 1 0 0 0 1"), lines(all));
        List<Map<String, String>> february = ReportIT.PrintedTable.section(report("quality", "--partner", "ndp", "--from", "2026-02"),
                QualityReport.PER_PARTNER_MONTH);
        assertEquals(List.of("shouhardo3 ndp 2026-02 5 1 1 1 0 1 0 0 0 1"), lines(february));
    }

    @Test
    void theQualityReportPrintsTheScorecardWithItsStatusAndEveryMeasuresDefinition() {
        String out = report("quality");
        // program defaults: deadline 10 days, on time >= 0.8, rejected and sent twice <= 0.05, no late edit; ndp's retraction
        // of a January attendance came on 20 February, after January's deadline; mms' one record came 50 days late
        assertEquals(List.of("shouhardo3 mms 2026-01 outside on_time_share 0 0 0 0 0 0 0 0 0 0",
                "shouhardo3 mms 2026-03 within  0 1 0 0 0 0 0 0 0 0",
                "shouhardo3 ndp 2026-01 outside late_edits 0.9 7 0 0 0 0 1 0 0 0",
                "shouhardo3 ndp 2026-02 within  1 9 0 0 0 0 0 0 1 0"), lines(ReportIT.PrintedTable.section(out, QualityReport.SCORECARD)));
        List<Map<String, String>> definitions = ReportIT.PrintedTable.section(out, QualityReport.DEFINITIONS);
        assertEquals(QualityReport.MEASURES.size(), definitions.size());
        assertTrue(definitions.stream().anyMatch(d -> d.values().toString().contains("0.6745")), definitions.toString());
    }

    @Test
    void theQualityPageShowsTheScorecardOfTheProgramOrPartnerWithTheDefinitions() {
        String program = QualityPage.render(old, DB, QualityPage.parse("program=shouhardo3"), 0);
        assertTrue(program.contains("<p class=\"note\" data-outside=\"2\">2 of 4 partner months outside"), program);
        assertTrue(program.contains("late_edits") && program.contains("on_time_share") && program.contains("0.6745"), program);
        String mms = QualityPage.render(old, DB, QualityPage.parse("partner=mms"), 0);
        assertTrue(mms.contains("data-outside=\"1\">1 of 2 partner months outside"), mms);
        assertThrows(ReportError.class, () -> QualityPage.render(old, DB, QualityPage.parse("partner=nobody"), 0));
        assertThrows(ReportError.class, () -> QualityPage.parse("cohort=c1"));
    }

    private static String report(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = ReportCommand.run(args, Map.of("FIELDSTREAM_CLICKHOUSE_URL", TestServices.clickHouse().httpUrl(),
                "FIELDSTREAM_CLICKHOUSE_DATABASE", DB), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        System.out.println("$ fieldstream report " + String.join(" ", args) + "\n" + out);
        assertEquals(ReportCommand.OK, code, out);
        assertTrue(out.contains("Data quality"), out);
        return out;
    }

    /** Each row's values in column order, numbers without trailing zeros. */
    private static List<String> lines(List<Map<String, String>> rows) {
        return rows.stream().map(row -> String.join(" ", row.values().stream().map(QualityReportIT::plain).toList())).toList();
    }

    private static String plain(String value) {
        return value.matches("-?\\d+\\.\\d+") ? value.replaceAll("0+$", "").replaceAll("\\.$", "") : value;
    }

    private static Map<String, Object> cohort(String id, String aggregate, String cohort, String day, String received, String start, String end) {
        Map<String, Object> e = event(id, id, 1, aggregate, "training_cohort_registered", utcOf(day), received);
        e.putAll(Map.of("cohort_id", cohort, "planned_sessions", 4, "start_date", start));
        if (end != null) {
            e.put("end_date", end);
        }
        return e;
    }

    private static Map<String, Object> enrolled(String id, String aggregate, String cohort, String person, String day, String received,
                                                String sex, Integer age) {
        Map<String, Object> e = event(id, id, 1, aggregate, "participant_enrolled", utcOf(day), received);
        e.putAll(Map.of("cohort_id", cohort, "person_id", person, "enrolled_on", day));
        if (sex != null) {
            e.put("sex", sex);
        }
        if (age != null) {
            e.put("age", age);
        }
        return e;
    }

    private static Map<String, Object> held(String id, String aggregate, String cohort, int session, String day, String received) {
        Map<String, Object> e = event(id, id, 1, aggregate, "session_held", utcOf(day), received);
        e.putAll(Map.of("cohort_id", cohort, "session_number", session, "held_on", day));
        return e;
    }

    private static Map<String, Object> attended(String id, String root, int revision, String aggregate, String cohort, int session,
                                                String person, String status, String day, String received) {
        Map<String, Object> e = event(id, root, revision, aggregate, "attendance_recorded", utcOf(day), received);
        e.putAll(Map.of("cohort_id", cohort, "session_number", session, "person_id", person, "status", status));
        return e;
    }

    /** An event received at 10:00 in Dhaka on {@code received}. */
    private static Map<String, Object> event(String id, String root, int revision, String aggregate, String type, String occurredAt,
                                             String received) {
        offset++;
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("event_id", id);
        e.put("root_id", root);
        e.put("revision", revision);
        e.put("program_id", "shouhardo3");
        e.put("partner_id", "ndp");
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
