package org.fieldstream.sink;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.fieldstream.clickhouse.ClickHouseSql;

/**
 * Invariant 3 as a check: every SQL recomputation over field_events (the recompute_* views) against
 * the streamed view it must equal, grain by grain and field by field, on any ClickHouse.
 */
final class RecomputeComparison {

    private static final double TOLERANCE = 1e-9;
    private static final Set<String> METADATA = Set.of("as_of", "updated_at", "version", "deleted", "source_topic",
            "source_partition", "source_offset");

    /** A cohort's or dialogue's grain starts with its aggregate: program, partner and id (two partners may reuse an id). */
    private static final List<String> COHORT = List.of("program_id", "partner_id", "cohort_id");
    private static final List<String> DIALOGUE = List.of("program_id", "partner_id", "dialogue_id");

    /**
     * A recomputation, the streamed view it must equal, the grain, and the streamed view's columns the
     * recomputation does not carry (every other column of either side is compared).
     */
    private record Comparison(String name, String recomputeSql, String streamedView, List<String> key, Set<String> notRecomputed) {
    }

    private RecomputeComparison() {
    }

    private static List<Comparison> comparisons(ClickHouseSql clickHouse, String db) {
        return List.of(
                cohortRetention(clickHouse, db),
                view(db, "cohort_retention_by_group", COHORT, "sex", "age_band"),
                view(db, "participant_progress", COHORT, "person_id"),
                view(db, "retention_curve", COHORT, "session_number", "sex", "age_band"),
                view(db, "outreach", List.of(), "program_id", "period_kind", "period", "dimension", "dimension_id", "sex", "age_band"),
                view(db, "dialogues", DIALOGUE),
                view(db, "dialogue_attendance", DIALOGUE, "role", "sex"));
    }

    private static Comparison view(String db, String family, List<String> aggregate, String... rest) {
        List<String> key = new ArrayList<>(aggregate);
        key.addAll(List.of(rest));
        return new Comparison(family, "SELECT * FROM " + db + ".recompute_" + family, "v_" + family, key, Set.of());
    }

    /**
     * recompute_cohort_retention, every column its schema has (DESCRIBE TABLE), a NULL rate (zero
     * denominator) read as 0 like the streams write it. It carries a cohort's figures and aggregate,
     * not its org unit or group (v_cohort_retention holds the totals, sex = age_band = 'all').
     */
    private static Comparison cohortRetention(ClickHouseSql clickHouse, String db) {
        List<String> columns = new ArrayList<>();
        for (Map<String, String> column : clickHouse.query("DESCRIBE TABLE " + db + ".recompute_cohort_retention")) {
            String name = column.get("name");
            columns.add(column.get("type").startsWith("Nullable(") ? "ifNull(" + name + ", 0) AS " + name : name);
        }
        return new Comparison("cohort_retention (recompute_cohort_retention)",
                "SELECT " + String.join(", ", columns) + " FROM " + db + ".recompute_cohort_retention", "v_cohort_retention",
                COHORT, Set.of("org_unit_id", "sex", "age_band"));
    }

    /** Every recomputation against its streamed view: missing and extra grains, differing and absent fields, empty sides. */
    static List<String> differences(ClickHouseSql clickHouse, String database) {
        return differences(clickHouse, database, comparisons(clickHouse, database));
    }

    /** The cohort families' recomputations (cohort_retention, by group, participant_progress, retention_curve) only. */
    static List<String> cohortDifferences(ClickHouseSql clickHouse, String database) {
        return differences(clickHouse, database, comparisons(clickHouse, database).stream()
                .filter(c -> c.key().containsAll(COHORT)).toList());
    }

    private static List<String> differences(ClickHouseSql clickHouse, String database, List<Comparison> comparisons) {
        List<String> differences = new ArrayList<>();
        for (Comparison c : comparisons) {
            Map<String, Map<String, String>> recomputed = byKey(clickHouse.query(c.recomputeSql()), c.key(), c.name(), differences);
            Map<String, Map<String, String>> streamed = byKey(clickHouse.query("SELECT * FROM " + database + "." + c.streamedView()),
                    c.key(), c.streamedView(), differences);
            if (recomputed.isEmpty() || streamed.isEmpty()) {
                differences.add(c.name() + ": empty side, recomputed " + recomputed.size() + " grains, streamed " + streamed.size());
                continue;
            }
            if (recomputed.size() != streamed.size()) {
                differences.add(c.name() + ": recomputed " + recomputed.size() + " grains, streamed " + streamed.size());
            }
            Set<String> recomputedColumns = recomputed.values().iterator().next().keySet();
            streamed.values().iterator().next().keySet().stream()
                    .filter(column -> !METADATA.contains(column) && !c.notRecomputed().contains(column) && !recomputedColumns.contains(column))
                    .forEach(column -> differences.add(c.name() + ": field " + column + " not recomputed"));
            recomputed.forEach((key, row) -> {
                Map<String, String> other = streamed.get(key);
                if (other == null) {
                    differences.add(c.name() + " " + key + ": recomputed, not streamed " + row);
                    return;
                }
                row.forEach((field, value) -> {
                    if (!other.containsKey(field)) {
                        differences.add(c.name() + ": streamed view has no field " + field);
                    } else if (!same(value, other.get(field))) {
                        differences.add(c.name() + " " + key + " " + field + ": recomputed " + value + ", streamed " + other.get(field));
                    }
                });
            });
            streamed.keySet().stream().filter(k -> !recomputed.containsKey(k))
                    .forEach(k -> differences.add(c.name() + " " + k + ": streamed, not recomputed " + streamed.get(k)));
        }
        return differences;
    }

    /** Rows by grain; a grain held by two rows is a difference in itself. */
    private static Map<String, Map<String, String>> byKey(List<Map<String, String>> rows, List<String> key, String what,
                                                          List<String> differences) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (Map<String, String> row : rows) {
            List<String> parts = new ArrayList<>();
            key.forEach(k -> parts.add(row.get(k)));
            Map<String, String> previous = out.put(String.join("|", parts), row);
            if (previous != null) {
                differences.add(what + ": two rows for grain " + parts + ": " + previous + " and " + row);
            }
        }
        return out;
    }

    /** Equal text, or numbers within the tolerance (the streams compute rates in Java, the views in SQL). */
    static boolean same(String a, String b) {
        if (Objects.equals(a, b)) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        try {
            return Math.abs(Double.parseDouble(a) - Double.parseDouble(b)) <= TOLERANCE;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
