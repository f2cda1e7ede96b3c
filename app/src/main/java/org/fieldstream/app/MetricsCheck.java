package org.fieldstream.app;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.seeds.ExpectedMetrics;
import org.fieldstream.seeds.MetricFamily;

/**
 * Compares the metrics that landed in ClickHouse with expected values, grain by grain and field by
 * field: a missing grain, an extra grain and a differing value are each one difference. Person-level
 * rows are left out (their ids depend on the pseudonymisation secret).
 */
final class MetricsCheck {

    static final List<MetricFamily> COMPARED = List.of(MetricFamily.COHORT_RETENTION, MetricFamily.COHORT_RETENTION_BY_GROUP,
            MetricFamily.RETENTION_CURVE, MetricFamily.OUTREACH, MetricFamily.DIALOGUES, MetricFamily.DIALOGUE_ATTENDANCE);
    private static final double TOLERANCE = 1e-9;
    private static final int SHOWN = 15;

    private MetricsCheck() {
    }

    /** Polls until the landed metrics equal the expected ones or the time is up; prints the differences then. */
    static boolean awaitMatch(ClickHouseGateway clickHouse, String database, ExpectedMetrics expected, Duration timeout,
                              PrintStream out) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> differences;
        do {
            differences = differences(clickHouse, database, expected);
            if (differences.isEmpty()) {
                return true;
            }
            Thread.sleep(1000);
        } while (System.nanoTime() < deadline);
        out.printf("%d differences between ClickHouse and the expected metrics, the first %d:%n", differences.size(), SHOWN);
        differences.stream().limit(SHOWN).forEach(d -> out.println("  " + d));
        return false;
    }

    static List<String> differences(ClickHouseGateway clickHouse, String database, ExpectedMetrics expected) {
        return differences(clickHouse, database, expected, COMPARED, "");
    }

    /** As {@link #differences(ClickHouseGateway, String, ExpectedMetrics)} for some families and the rows {@code where} selects ("" for all). */
    static List<String> differences(ClickHouseGateway clickHouse, String database, ExpectedMetrics expected, List<MetricFamily> families,
                                    String where) {
        List<String> differences = new ArrayList<>();
        for (MetricFamily family : families) {
            Map<String, Map<String, String>> landed = new HashMap<>();
            for (Map<String, String> row : clickHouse.query("SELECT * FROM " + database + ".v_" + family.familyName() + where)) {
                landed.put(family.key(new HashMap<String, Object>(row)), row);
            }
            Map<String, Map<String, Object>> wanted = expected.family(family);
            for (var entry : wanted.entrySet()) {
                Map<String, String> row = landed.get(entry.getKey());
                if (row == null) {
                    differences.add(family.familyName() + " " + entry.getKey() + ": missing");
                    continue;
                }
                entry.getValue().forEach((field, value) -> {
                    if (!same(value, row.get(field))) {
                        differences.add(family.familyName() + " " + entry.getKey() + " " + field + ": expected " + value
                                + ", landed " + row.get(field));
                    }
                });
            }
            landed.keySet().stream().filter(k -> !wanted.containsKey(k))
                    .forEach(k -> differences.add(family.familyName() + " " + k + ": not expected"));
        }
        return differences;
    }

    static boolean same(Object expected, String landed) {
        if (expected == null) {
            return landed == null;
        }
        if (expected instanceof Number number && landed != null) {
            try {
                return Math.abs(number.doubleValue() - Double.parseDouble(landed)) <= TOLERANCE;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return Objects.equals(expected.toString(), landed);
    }
}
