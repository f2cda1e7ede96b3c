package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.schema.BothEngines;
import org.fieldstream.schema.Chdb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every provisioned Grafana panel's SQL, with its variables and macros expanded for a fixed time
 * range, runs on ClickHouse 18.16 and on the ClickHouse 26.7 engine over the same rows (ReportIT's
 * known rows, copied as stored) and returns rows on both: the same rows, except where the SQL reads
 * the clock.
 */
class GrafanaQueriesIT {

    private static final String DB = "it_grafana_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    /** The dashboards' default range (now-2y .. now) at the known rows' "now". */
    private static final Instant FROM = Instant.parse("2024-04-10T12:00:00Z");
    private static final Instant TO = Instant.parse("2026-04-10T12:00:00Z");
    private static final long INTERVAL_SECONDS = 86_400;

    private static BothEngines engines;
    private static ClickHouseGateway old;
    private static Chdb current;

    @BeforeAll
    static void load() {
        engines = BothEngines.migrated(DB);
        old = engines.old();
        KnownRows.insert(old, DB);
        current = engines.copy();
    }

    @AfterAll
    static void drop() {
        engines.close();
    }

    @Test
    void everyPanelQueryReturnsRowsOnBothVersions() {
        List<String> checked = new ArrayList<>();
        for (Path file : GrafanaProvisioning.dashboardFiles()) {
            for (String sql : GrafanaProvisioning.rawSql(GrafanaProvisioning.dashboard(file))) {
                String runnable = GrafanaMacros.expand(sql, FROM, TO, INTERVAL_SECONDS, Map.of("program", "shouhardo3"))
                        .replace("fieldstream.", DB + ".");
                assertFalse(runnable.contains("$"), file + ": a variable or macro left unexpanded in " + runnable);
                List<Map<String, String>> onOld = old.query(runnable);
                List<Map<String, String>> onCurrent = current.query(runnable);
                assertFalse(onOld.isEmpty(), file + ": no rows on 18.16 from " + runnable);
                assertFalse(onCurrent.isEmpty(), file + ": no rows on " + current.version() + " from " + runnable);
                assertEquals(List.copyOf(onOld.get(0).keySet()), List.copyOf(onCurrent.get(0).keySet()), file + ": columns of " + runnable);
                if (!runnable.contains("now()")) {
                    // as a multiset: rows that tie on a panel's ORDER BY may come in either order
                    assertEquals(sorted(onOld), sorted(onCurrent), file + ": rows of " + runnable);
                }
                checked.add(file.getFileName() + ": " + onOld.size() + " rows");
            }
        }
        System.out.println("Grafana panel queries on 18.16 and " + current.version() + ": " + checked);
        assertEquals(9, checked.size());
    }

    private static List<String> sorted(List<Map<String, String>> rows) {
        return rows.stream().map(Map::toString).sorted().toList();
    }
}
