package org.fieldstream.reports;

import java.util.Map;

/** Rows of the IPTT tests' October fiscal-year program {@code p-oct}, as the sink lands them. */
final class IpttRows {

    private IpttRows() {
    }

    static Map<String, Object> reach(String kind, String period, String start, long reached, long newly) {
        return row("program_id", "p-oct", "period_kind", kind, "period", period, "period_start", start, "dimension", "program",
                "dimension_id", "p-oct", "sex", "all", "age_band", "all", "people_reached", reached, "new_people_reached", newly,
                "as_of", "2026-04-08 00:00:00", "updated_at", "2026-04-08 00:00:02", "version", 1, "deleted", 0);
    }

    /** The cell of one sex x age band group. */
    static Map<String, Object> inGroup(String sex, String ageBand, Map<String, Object> row) {
        row.put("sex", sex);
        row.put("age_band", ageBand);
        return row;
    }

    /** A cohort's figures of one sex x age band group (partner x), as {@code v_cohort_retention_by_group} holds them. */
    static Map<String, Object> cohortGroup(String cohort, String sex, String ageBand, int enrolled, int active, int completed, int droppedOut) {
        return row("program_id", "p-oct", "partner_id", "x", "cohort_id", cohort, "sex", sex, "age_band", ageBand, "sessions_planned", 4,
                "sessions_held", 4, "enrolled", enrolled, "active", active, "completed", completed, "dropped_out", droppedOut,
                "transferred", 0, "present_total", 0, "expected_total", 0, "retention_rate", 0.0, "dropout_rate", 0.0,
                "completion_rate", 0.0, "attendance_rate", 0.0, "as_of", "2026-04-01 08:00:00", "updated_at", "2026-04-01 08:00:05",
                "version", 1, "deleted", 0);
    }

    /** A dialogue of partner x with its attendees by sex. */
    static Map<String, Object> dialogue(String dialogue, String kind, String heldOn, int female, int male, int other, int unknown) {
        return row("program_id", "p-oct", "partner_id", "x", "dialogue_id", dialogue, "kind", kind, "topic", "t", "held_on", heldOn,
                "attendees", female + male + other + unknown, "attendees_female", female, "attendees_male", male, "attendees_other", other,
                "attendees_unknown", unknown, "version", 1, "deleted", 0);
    }

    static Map<String, Object> person(String person, String enrolledOn, String status, String asOf) {
        return row("program_id", "p-oct", "partner_id", "x", "cohort_id", "c1", "person_id", person, "sex", "female",
                "age_band", "unknown", "enrolled_on", enrolledOn, "status", status, "as_of", asOf, "updated_at", asOf, "version", 1,
                "deleted", 0);
    }

    static Map<String, Object> target(String indicator, String period, double target, Double baseline) {
        Map<String, Object> row = row("program_id", "p-oct", "indicator", indicator, "period", period, "dimension", "program",
                "dimension_id", "p-oct", "target", target, "version", 1);
        if (baseline != null) {
            row.put("baseline", baseline);
        }
        return row;
    }

    static Map<String, Object> row(Object... pairs) {
        return KnownRows.row(pairs);
    }
}
