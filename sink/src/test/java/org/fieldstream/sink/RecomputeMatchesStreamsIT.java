package org.fieldstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.fieldstream.schema.Chdb;
import org.fieldstream.schema.Migrations;
import org.fieldstream.schema.TableCopy;
import org.fieldstream.seeds.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 3 on the real broker and the real ClickHouse: a generated program (duplicates, a file
 * pushed twice, a late upload, corrections, retractions) goes through the producers, the streams and
 * the sink; once the streamed tables hold the generator's expected metrics, every SQL recomputation
 * over field_events equals its streamed view grain by grain and field by field. ClickHouseVersionsIT
 * checks the same on the 26.7 engine. Two partners of one program using one cohort id keep two
 * cohorts, in the recomputation as in the streams, on 18.16 and on the 26.7 engine.
 */
class RecomputeMatchesStreamsIT {

    private static final String PROGRAM = "shouhardo3";
    private static final String VILLAGE = "bd-kazipur-natuarpara-purbapara";
    private static final String FIGURES = "enrolled, active, completed, dropped_out, transferred, present_total, expected_total, "
            + "sessions_attended, sessions_expected";

    @TempDir
    Path work;

    @Test
    void everyRecomputedFamilyEqualsItsStreamedView() throws Exception {
        try (LandedProgram program = LandedProgram.land(11L, Size.TINY, work)) {
            List<String> differences = RecomputeComparison.differences(program.clickHouse, program.database);
            assertEquals(List.of(), LandedProgram.first(differences), differences.size() + " differences between recomputation and streams");
        }
    }

    /**
     * mms and ndp (both of shouhardo3) each register cohort shared-01. mms: 3 persons, 2 sessions
     * held, 3 presences. ndp: 4 persons, 3 sessions held of 3 planned; one present at all (completed),
     * one at the first (active), one at none (dropped out), one transferred.
     */
    @Test
    void twoPartnersWithOneCohortIdAreTwoCohortsInTheRecomputationAsInTheStreams() throws Exception {
        Path input = work.resolve("shared-cohort");
        List<String> manifest = new ArrayList<>();
        write(input, manifest, "mms/cohorts.csv", "cohort_id,topic,planned_sessions,start_date,org_unit_id\n"
                + "shared-01,Youth training,4,2026-03-01," + VILLAGE + "\n");
        write(input, manifest, "mms/enrolments.csv", "cohort_id,person_key,sex,enrolled_on,age\n"
                + "shared-01,MMS-1,female,2026-03-01,19\nshared-01,MMS-2,male,2026-03-01,21\nshared-01,MMS-3,female,2026-03-01,17\n");
        write(input, manifest, "mms/sessions.csv", "cohort_id,session_number,held_on\nshared-01,1,2026-03-02\nshared-01,2,2026-03-09\n");
        write(input, manifest, "mms/attendance.csv", "cohort_id,session_number,person_key,status\n"
                + "shared-01,1,MMS-1,present\nshared-01,2,MMS-1,present\nshared-01,1,MMS-2,present\nshared-01,1,MMS-3,absent\n");
        write(input, manifest, "ndp/cohorts.csv", "cohort_id,topic,planned_sessions,start_date,org_unit_id\n"
                + "shared-01,NDP training,3,2026-03-01," + VILLAGE + "\n");
        write(input, manifest, "ndp/enrolments.csv", "cohort_id,person_key,sex,enrolled_on,age\n"
                + "shared-01,NDP-1,male,2026-03-01,40\nshared-01,NDP-2,female,2026-03-01,16\n"
                + "shared-01,NDP-3,female,2026-03-01,25\nshared-01,NDP-4,male,2026-03-01,12\n");
        write(input, manifest, "ndp/sessions.csv", "cohort_id,session_number,held_on\n"
                + "shared-01,1,2026-03-03\nshared-01,2,2026-03-10\nshared-01,3,2026-03-17\n");
        write(input, manifest, "ndp/attendance.csv", "cohort_id,session_number,person_key,status\n"
                + "shared-01,1,NDP-1,present\nshared-01,2,NDP-1,present\nshared-01,3,NDP-1,present\nshared-01,1,NDP-2,present\n"
                + "shared-01,1,NDP-3,present\nshared-01,2,NDP-3,present\n");
        write(input, manifest, "ndp/exits.csv", "cohort_id,person_key,reason,exited_on\nshared-01,NDP-3,transferred,2026-03-12\n");
        Map<String, String> expected = Map.of(
                "mms", "{enrolled=3, active=3, completed=0, dropped_out=0, transferred=0, present_total=3, expected_total=6, "
                        + "sessions_attended=3, sessions_expected=6}",
                "ndp", "{enrolled=3, active=1, completed=1, dropped_out=1, transferred=1, present_total=4, expected_total=9, "
                        + "sessions_attended=4, sessions_expected=9}");

        try (LandedProgram program = LandedProgram.land(input, manifest, landed -> {
            Map<String, String> streamed = figures(landed, "v_cohort_retention");
            return streamed.equals(expected) ? List.of() : List.of("v_cohort_retention " + streamed + ", expected " + expected);
        }, "both partners' shared-01", work)) {
            assertEquals(expected, figures(program, "recompute_cohort_retention"), "recomputed per partner");
            List<String> differences = RecomputeComparison.cohortDifferences(program.clickHouse, program.database);
            assertEquals(List.of(), differences, "recomputation and streams on 18.16");

            Chdb current = Chdb.shared();
            try {
                Migrations.apply(current, program.database);
                TableCopy.baseTables(program.clickHouse, current, program.database);
                List<String> onCurrent = RecomputeComparison.cohortDifferences(current, program.database);
                assertEquals(List.of(), onCurrent, "recomputation and streams on " + current.version());
            } finally {
                current.execute("DROP DATABASE IF EXISTS " + program.database);
            }
        }
    }

    private static void write(Path input, List<String> manifest, String file, String csv) throws Exception {
        Path path = input.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, csv);
        manifest.add(file);
    }

    /** shared-01's figures per partner in a view of shouhardo3's cohort totals. */
    private static Map<String, String> figures(LandedProgram program, String view) {
        Map<String, String> byPartner = new TreeMap<>();
        for (Map<String, String> row : program.clickHouse.query("SELECT partner_id, " + FIGURES + " FROM " + program.database + "." + view
                + " WHERE program_id = '" + PROGRAM + "' AND cohort_id = 'shared-01' ORDER BY partner_id")) {
            Map<String, String> figures = new LinkedHashMap<>(row);
            String partner = figures.remove("partner_id");
            byPartner.merge(partner, figures.toString(), (a, b) -> a + " and " + b);
        }
        return byPartner;
    }
}
