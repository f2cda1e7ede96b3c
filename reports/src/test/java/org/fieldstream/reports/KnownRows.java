package org.fieldstream.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fieldstream.clickhouse.ClickHouseGateway;

/**
 * Hand-made rows for ReportIT: two programs, three partners in two districts, four cohorts, their
 * survival curves and registrations, monthly/quarterly/to-date outreach and one target. A stale
 * version and a deleted cohort are written too: only the FINAL views hide them.
 */
final class KnownRows {

    private KnownRows() {
    }

    static void insert(ClickHouseGateway gateway, String db) {
        gateway.insertJsonEachRow(db, "programs", List.of(
                row("program_id", "shouhardo3", "name", "SHOUHARDO III", "start_date", "2025-10-01", "dropout_missed_sessions", 3,
                        "completion_attendance", 0.8, "version", 1),
                row("program_id", "iid-edu", "name", "IID education", "start_date", "2025-07-01", "dropout_missed_sessions", 3,
                        "completion_attendance", 0.8, "version", 2)));
        gateway.insertJsonEachRow(db, "partners", List.of(
                row("partner_id", "ndp", "program_id", "shouhardo3", "name", "NDP", "org_unit_id", "bd-sirajganj-sadar", "version", 1),
                row("partner_id", "mms", "program_id", "shouhardo3", "name", "MMS", "org_unit_id", "bd-sirajganj-chauhali", "version", 2),
                row("partner_id", "iid", "program_id", "iid-edu", "name", "IID", "org_unit_id", "bd-dhaka-savar", "version", 3)));
        gateway.insertJsonEachRow(db, "org_units", List.of(
                unit("bd-sirajganj", "district", "bd-sirajganj", null),
                unit("bd-sirajganj-sadar", "upazila", "bd-sirajganj", "bd-sirajganj-sadar"),
                unit("bd-sirajganj-chauhali", "upazila", "bd-sirajganj", "bd-sirajganj-chauhali"),
                unit("bd-dhaka", "district", "bd-dhaka", null),
                unit("bd-dhaka-savar", "upazila", "bd-dhaka", "bd-dhaka-savar")));
        // stale version of c-ndp-1 and a cohort deleted later, in their own parts
        gateway.insertJsonEachRow(db, "cohort_retention", List.of(
                cohort("c-ndp-1", "ndp", "bd-sirajganj-sadar", 1, 99, 99, 0, 0, 0, 1, 1),
                cohort("c-gone", "ndp", "bd-sirajganj-sadar", 1, 5, 5, 0, 0, 0, 1, 1)));
        gateway.insertJsonEachRow(db, "cohort_retention", List.of(
                cohort("c-ndp-1", "ndp", "bd-sirajganj-sadar", 2, 10, 5, 2, 3, 1, 40, 50),
                cohort("c-ndp-2", "ndp", "bd-sirajganj-sadar", 2, 10, 2, 0, 8, 0, 10, 30),
                cohort("c-mms-1", "mms", "bd-sirajganj-chauhali", 2, 8, 4, 0, 4, 0, 20, 32),
                iid(cohort("c-iid-1", "iid", "bd-dhaka-savar", 2, 4, 3, 1, 0, 0, 15, 16)),
                deleted(cohort("c-gone", "ndp", "bd-sirajganj-sadar", 2, 5, 5, 0, 0, 0, 1, 1))));
        List<Map<String, Object>> curve = new ArrayList<>();
        curve.addAll(curve("shouhardo3", "ndp", "c-ndp-1", 10, 10, 8, 7));
        curve.addAll(curve("shouhardo3", "ndp", "c-ndp-2", 10, 10, 4));
        curve.addAll(curve("shouhardo3", "mms", "c-mms-1", 8, 8, 4));
        curve.addAll(curve("iid-edu", "iid", "c-iid-1", 4, 4));
        // a group's curve next to its cohort's total: reports and dashboards show the totals
        curve.addAll(inGroup("female", "youth_15_29", curve("shouhardo3", "ndp", "c-ndp-1", 6, 6, 3, 1)));
        gateway.insertJsonEachRow(db, "retention_curve", curve);
        gateway.insertJsonEachRow(db, "field_events", List.of(
                registered("shouhardo3", "ndp", "c-ndp-1", "2026-01-10", 1),
                registered("shouhardo3", "ndp", "c-ndp-2", "2026-04-02", 2),
                registered("shouhardo3", "mms", "c-mms-1", "2026-02-05", 3),
                registered("iid-edu", "iid", "c-iid-1", "2026-03-01", 4)));
        gateway.insertJsonEachRow(db, "outreach", List.of(
                reach("shouhardo3", "month", "2026-01", "2026-01-01", "program", "shouhardo3", 12, 12),
                reach("shouhardo3", "month", "2026-02", "2026-02-01", "program", "shouhardo3", 15, 6),
                reach("shouhardo3", "month", "2026-03", "2026-03-01", "program", "shouhardo3", 9, 2),
                reach("shouhardo3", "month", "2026-01", "2026-01-01", "partner", "ndp", 12, 12),
                reach("shouhardo3", "month", "2026-02", "2026-02-01", "partner", "ndp", 7, 3),
                reach("shouhardo3", "month", "2026-02", "2026-02-01", "partner", "mms", 8, 3),
                reach("shouhardo3", "month", "2026-01", "2026-01-01", "district", "bd-sirajganj", 12, 12),
                reach("shouhardo3", "month", "2026-02", "2026-02-01", "district", "bd-sirajganj", 15, 6),
                reach("shouhardo3", "quarter", "2026-Q1", "2026-01-01", "program", "shouhardo3", 20, 20),
                reach("shouhardo3", "quarter", "2026-Q1", "2026-01-01", "partner", "ndp", 13, 13),
                reach("shouhardo3", "to_date", "all", "2025-10-01", "program", "shouhardo3", 20, 20),
                reach("iid-edu", "month", "2026-03", "2026-03-01", "program", "iid-edu", 4, 4),
                female(reach("shouhardo3", "month", "2026-01", "2026-01-01", "program", "shouhardo3", 5, 5))));
        gateway.insertJsonEachRow(db, "targets", List.of(row("program_id", "shouhardo3", "indicator", "people_reached",
                "period", "2026-Q1", "dimension", "program", "dimension_id", "shouhardo3", "target", 40.0, "version", 1)));
    }

    static Map<String, Object> cohort(String cohort, String partner, String unit, long version, int enrolled, int active,
                                              int completed, int droppedOut, int transferred, int present, int expected) {
        return row("program_id", "shouhardo3", "partner_id", partner, "org_unit_id", unit, "cohort_id", cohort, "sex", "all",
                "age_band", "all", "sessions_planned", 6, "sessions_held", 5, "enrolled", enrolled, "active", active,
                "completed", completed, "dropped_out", droppedOut, "transferred", transferred, "present_total", present,
                "expected_total", expected, "retention_rate", (active + completed) / (double) enrolled,
                "dropout_rate", droppedOut / (double) enrolled, "completion_rate", completed / (double) enrolled,
                "attendance_rate", present / (double) expected, "as_of", version == 2 && cohort.equals("c-ndp-1")
                        ? "2026-04-10 11:00:00" : "2026-04-01 08:00:00",
                "updated_at", version == 2 && cohort.equals("c-ndp-1") ? "2026-04-10 11:00:05" : "2026-04-01 08:00:05",
                "version", version, "deleted", 0);
    }

    private static Map<String, Object> iid(Map<String, Object> row) {
        row.put("program_id", "iid-edu");
        return row;
    }

    private static Map<String, Object> deleted(Map<String, Object> row) {
        row.put("deleted", 1);
        return row;
    }

    private static Map<String, Object> female(Map<String, Object> row) {
        row.put("sex", "female");
        return row;
    }

    static List<Map<String, Object>> curve(String program, String partner, String cohort, int enrolled, int... surviving) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int s = 0; s < surviving.length; s++) {
            rows.add(row("program_id", program, "partner_id", partner, "cohort_id", cohort, "sex", "all", "age_band", "all",
                    "session_number", s + 1,
                    "held_on", "2026-0" + (s + 1) + "-15", "enrolled", enrolled, "surviving", surviving[s],
                    "survival_rate", surviving[s] / (double) enrolled, "as_of", "2026-04-01 08:00:00",
                    "updated_at", "2026-04-01 08:00:05", "version", 1, "deleted", 0));
        }
        return rows;
    }

    private static List<Map<String, Object>> inGroup(String sex, String ageBand, List<Map<String, Object>> rows) {
        rows.forEach(r -> {
            r.put("sex", sex);
            r.put("age_band", ageBand);
        });
        return rows;
    }

    private static Map<String, Object> registered(String program, String partner, String cohort, String start, long offset) {
        return registered(program, partner, cohort, start, offset, "reg-" + cohort);
    }

    /** A cohort's registration event, its record named by {@code record} (one per program, partner and cohort id). */
    static Map<String, Object> registered(String program, String partner, String cohort, String start, long offset, String record) {
        return row("event_id", record, "root_id", record, "revision", 1, "program_id", program,
                "partner_id", partner, "aggregate_id", cohort, "occurred_at", start + " 09:00:00", "received_at", start + " 10:00:00",
                "source", "csv", "source_ref", "cohorts.csv:" + offset, "event_type", "training_cohort_registered",
                "cohort_id", cohort, "planned_sessions", 6, "start_date", start, "source_topic", "hand", "source_partition", 0,
                "source_offset", offset, "version", offset);
    }

    private static Map<String, Object> reach(String program, String kind, String period, String start, String dimension,
                                             String dimensionId, long reached, long newlyReached) {
        return row("program_id", program, "period_kind", kind, "period", period, "period_start", start, "dimension", dimension,
                "dimension_id", dimensionId, "sex", "all", "age_band", "all", "people_reached", reached,
                "new_people_reached", newlyReached, "as_of", "2026-04-08 00:00:00", "updated_at", "2026-04-08 00:00:02",
                "version", 1, "deleted", 0);
    }

    private static Map<String, Object> unit(String id, String level, String district, String upazila) {
        return row("org_unit_id", id, "name", id, "level", level, "division_id", "bd-div", "district_id", district,
                "upazila_id", upazila, "version", 1);
    }

    static Map<String, Object> row(Object... pairs) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            row.put((String) pairs[i], pairs[i + 1]);
        }
        return row;
    }
}
