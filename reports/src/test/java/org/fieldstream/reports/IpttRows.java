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
