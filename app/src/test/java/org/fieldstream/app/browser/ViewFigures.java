package org.fieldstream.app.browser;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.fieldstream.clickhouse.ClickHouseGateway;

/**
 * What the dashboard should show for some filters, read here from the ClickHouse views with queries
 * of this test's own (plain selects; filtering, grouping and sums in Java), not with the report
 * classes the dashboard uses.
 */
public final class ViewFigures {

    /** The dashboard's filters; null means none. */
    public record Filters(String program, String partner, String district, String from, String to) {

        public boolean hasPeriod() {
            return from != null || to != null;
        }

        public boolean inMonths(String periodStart) {
            return (from == null || periodStart.compareTo(from + "-01") >= 0)
                    && (to == null || periodStart.compareTo(LocalDate.parse(to + "-01").plusMonths(1).toString()) < 0);
        }

        /** A quarter is shown when it overlaps the months. */
        public boolean inQuarters(String periodStart) {
            if (from != null) {
                LocalDate start = LocalDate.parse(from + "-01");
                LocalDate quarter = LocalDate.of(start.getYear(), (start.getMonthValue() - 1) / 3 * 3 + 1, 1);
                if (periodStart.compareTo(quarter.toString()) < 0) {
                    return false;
                }
            }
            return to == null || periodStart.compareTo(LocalDate.parse(to + "-01").plusMonths(1).toString()) < 0;
        }

        public String query() {
            List<String> parts = new ArrayList<>();
            add(parts, "program", program);
            add(parts, "partner", partner);
            add(parts, "district", district);
            add(parts, "from", from);
            add(parts, "to", to);
            return parts.isEmpty() ? "" : "?" + String.join("&", parts);
        }

        /** The same filters as options of {@code fieldstream report}. */
        public List<String> options() {
            List<String> options = new ArrayList<>();
            for (String[] pair : new String[][] {{"--program", program}, {"--partner", partner}, {"--district", district},
                    {"--from", from}, {"--to", to}}) {
                if (pair[1] != null) {
                    options.add(pair[0]);
                    options.add(pair[1]);
                }
            }
            return options;
        }

        private static void add(List<String> parts, String name, String value) {
            if (value != null) {
                parts.add(name + "=" + value);
            }
        }
    }

    private static final List<String> COUNTS = List.of("enrolled", "active", "completed", "dropped_out", "transferred", "sessions_attended",
            "sessions_expected");

    private final ClickHouseGateway clickHouse;
    private final String db;

    public ViewFigures(ClickHouseGateway clickHouse, String db) {
        this.clickHouse = clickHouse;
        this.db = db;
    }

    /** v_cohort_retention rows of the cohorts the filters select, each with its district. */
    public List<Map<String, String>> cohorts(Filters filters) {
        Map<String, String> districtOf = new HashMap<>();
        for (Map<String, String> unit : clickHouse.query("SELECT org_unit_id, level, ifNull(district_id, '') AS district FROM " + db + ".v_org_units")) {
            districtOf.put(unit.get("org_unit_id"), "district".equals(unit.get("level")) ? unit.get("org_unit_id") : unit.get("district"));
        }
        Map<String, String> startOf = new HashMap<>();
        for (Map<String, String> registered : clickHouse.query("SELECT program_id, partner_id, cohort_id, toString(start_date) AS start FROM "
                + db + ".v_field_events_current WHERE event_type = 'training_cohort_registered'")) {
            startOf.put(cohortKey(registered), registered.get("start"));
        }
        List<Map<String, String>> cohorts = new ArrayList<>();
        for (Map<String, String> row : clickHouse.query("SELECT program_id, partner_id, ifNull(org_unit_id, '') AS unit, cohort_id, "
                + "sessions_planned, sessions_held, enrolled, active, completed, dropped_out, transferred, sessions_attended, sessions_expected, "
                + "retention_rate, dropout_rate, completion_rate, attendance_rate, toString(as_of) AS as_of FROM " + db + ".v_cohort_retention")) {
            Map<String, String> cohort = new LinkedHashMap<>(row);
            cohort.put("district_id", districtOf.getOrDefault(row.get("unit"), ""));
            String start = startOf.get(cohortKey(row));
            boolean selected = (filters.program() == null || filters.program().equals(row.get("program_id")))
                    && (filters.partner() == null || filters.partner().equals(row.get("partner_id")))
                    && (filters.district() == null || filters.district().equals(cohort.get("district_id")))
                    && (!filters.hasPeriod() || start != null && filters.inMonths(start));
            if (selected) {
                cohorts.add(cohort);
            }
        }
        return cohorts;
    }

    /** Sums of the cohorts' counts per key (rates from the sums); an empty key list gives one total row. */
    public static List<Map<String, String>> totals(List<Map<String, String>> cohorts, List<String> keys) {
        Map<List<String>, long[]> sums = new LinkedHashMap<>();
        for (Map<String, String> cohort : cohorts) {
            long[] sum = sums.computeIfAbsent(keys.stream().map(cohort::get).toList(), k -> new long[COUNTS.size() + 1]);
            for (int i = 0; i < COUNTS.size(); i++) {
                sum[i] += Long.parseLong(cohort.get(COUNTS.get(i)));
            }
            sum[COUNTS.size()]++;
        }
        if (keys.isEmpty() && sums.isEmpty()) {
            sums.put(List.of(), new long[COUNTS.size() + 1]);
        }
        List<Map<String, String>> rows = new ArrayList<>();
        sums.forEach((key, sum) -> {
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                row.put(keys.get(i), key.get(i));
            }
            row.put("cohorts", String.valueOf(sum[COUNTS.size()]));
            for (int i = 0; i < COUNTS.size(); i++) {
                row.put(COUNTS.get(i), String.valueOf(sum[i]));
            }
            long enrolled = sum[0];
            row.put("retention_rate", ratio(sum[1] + sum[2], enrolled));
            row.put("dropout_rate", ratio(sum[3], enrolled));
            row.put("completion_rate", ratio(sum[2], enrolled));
            row.put("attendance_rate", ratio(sum[5], sum[6]));
            rows.add(row);
        });
        return rows;
    }

    /** dash_retention_by_partner_district rows for filters without months (the view has no start dates). */
    public List<Map<String, String>> retentionByPartnerDistrict(Filters filters) {
        return select("dash_retention_by_partner_district", row -> (filters.program() == null || filters.program().equals(row.get("program_id")))
                && (filters.partner() == null || filters.partner().equals(row.get("partner_id")))
                && (filters.district() == null || filters.district().equals(row.get("district_id"))));
    }

    public List<Map<String, String>> survival(List<Map<String, String>> cohorts) {
        List<String> keys = cohorts.stream().map(ViewFigures::cohortKey).toList();
        return select("dash_survival_curves", row -> keys.contains(cohortKey(row)));
    }

    /** Rows of an outreach view at the filters' grain: the partner's, else the district's, else the program's. */
    public List<Map<String, String>> outreach(String view, Filters filters, boolean totals, Predicate<String> periodStart) {
        String dimension = filters.partner() != null ? "partner" : filters.district() != null ? "district" : "program";
        String id = filters.partner() != null ? filters.partner() : filters.district();
        return select(view, row -> (filters.program() == null || filters.program().equals(row.get("program_id")))
                && dimension.equals(row.get("dimension")) && (id == null || id.equals(row.get("dimension_id")))
                && (!row.containsKey("sex") || totals == ("all".equals(row.get("sex")) && "all".equals(row.get("age_band"))))
                && (periodStart == null || periodStart.test(row.get("period_start"))));
    }

    public List<Map<String, String>> targets(Filters filters) {
        return outreach("dash_targets_vs_actuals", filters, true, null);
    }

    public List<Map<String, String>> freshness() {
        return select("dash_freshness", row -> true);
    }

    public List<Map<String, String>> deadLetters() {
        return clickHouse.query("SELECT stage, failed_topic AS topic, count() AS records, toString(max(failed_at)) AS last_at FROM " + db + ".v_dead_letters GROUP BY stage, topic");
    }

    private List<Map<String, String>> select(String view, Predicate<Map<String, String>> keep) {
        return clickHouse.query("SELECT * FROM " + db + "." + view).stream().filter(keep).toList();
    }

    static String cohortKey(Map<String, String> row) {
        return row.get("program_id") + "/" + row.get("partner_id") + "/" + row.get("cohort_id");
    }

    private static String ratio(long numerator, long denominator) {
        return denominator == 0 ? "" : String.valueOf((double) numerator / denominator);
    }
}
