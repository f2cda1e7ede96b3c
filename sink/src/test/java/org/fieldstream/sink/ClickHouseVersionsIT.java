package org.fieldstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.fieldstream.clickhouse.ClickHouseSql;
import org.fieldstream.schema.Chdb;
import org.fieldstream.schema.MigrationFile;
import org.fieldstream.schema.Migrations;
import org.fieldstream.schema.TableCopy;
import org.fieldstream.schema.ViewDiff;
import org.fieldstream.seeds.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The differential test of the analyst layer: a generated program lands through the real pipeline in
 * ClickHouse 18.16; every base table is copied, row for row as stored, into the ClickHouse 26.7
 * engine, where the project's migrations were applied with default settings; then every view —
 * analyst, dashboard and recompute_* — must return identical columns and rows on both, and on 26.7
 * too the SQL recomputations must equal the streamed views (invariant 3).
 */
class ClickHouseVersionsIT {

    @TempDir
    Path work;

    @Test
    void demoProgramGivesIdenticalRowsOnBothVersions() throws Exception {
        compareOn(42L, Size.DEMO);
    }

    @Test
    void largerProgramGivesIdenticalRowsOnBothVersions() throws Exception {
        compareOn(7L, Size.SMALL);
    }

    private void compareOn(long seed, Size size) throws Exception {
        long start = System.nanoTime();
        try (LandedProgram program = LandedProgram.land(seed, size, work)) {
            long landed = System.nanoTime();
            Chdb current = Chdb.shared();
            String db = program.database;
            try {
                List<Integer> bundled = Migrations.bundled().stream().map(MigrationFile::version).toList();
                assertEquals(bundled, Migrations.apply(current, db), "every bundled migration applies on " + current.version());
                assertEquals(TableCopy.baseTableNames(program.clickHouse, db), TableCopy.baseTableNames(current, db));
                Map<String, Integer> copied = TableCopy.baseTables(program.clickHouse, current, db);

                ViewDiff.Result result = ViewDiff.compare(program.clickHouse, "18.16", current, current.version().toString(), db);
                System.out.printf("%s (seed %d): %s landed in %.1f s; copied %s; compared %d views, %d rows, in %.1f s: %s%n",
                        size.name(), seed, program.scenario.rows() + " partner rows", (landed - start) / 1e9, copied,
                        result.rowsPerView().size(), result.rows(), (System.nanoTime() - landed) / 1e9, result.rowsPerView());
                assertEquals(List.of(), result.differences(), "views differ between 18.16 and " + current.version());
                List<String> views = ViewDiff.viewNames(current, db);
                assertTrue(views.containsAll(List.of("v_field_events_current", "dash_freshness", "dash_targets_vs_actuals",
                        "recompute_outreach", "recompute_participant_detail", "v_cohort_starts")), views.toString());
                // the cohorts' start dates: the current registration records of v_field_events_current, read from registration records only
                String order = " ORDER BY program_id, partner_id, cohort_id, start_date";
                for (ClickHouseSql side : List.of(program.clickHouse, current)) {
                    List<Map<String, String>> starts = side.query("SELECT program_id, partner_id, cohort_id, start_date FROM " + db + ".v_cohort_starts" + order);
                    assertEquals(side.query("SELECT program_id, partner_id, assumeNotNull(cohort_id) AS cohort_id, assumeNotNull(start_date) AS start_date FROM "
                            + db + ".v_field_events_current WHERE event_type = 'training_cohort_registered'" + order), starts);
                    assertTrue(starts.size() > 1, "no cohorts registered");
                }
                result.rowsPerView().forEach((view, rows) -> assertTrue(rows > 0, view + " has no rows to compare"));

                List<String> recompute = RecomputeComparison.differences(current, db);
                assertEquals(List.of(), LandedProgram.first(recompute), recompute.size() + " differences between recomputation"
                        + " and streams on " + current.version());
            } finally {
                current.execute("DROP DATABASE IF EXISTS " + db);
            }
        }
    }
}
