package org.fieldstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.fieldstream.clickhouse.ClickHouseSql;
import org.fieldstream.reference.Partner;
import org.fieldstream.reference.Program;
import org.fieldstream.reference.ReferenceData;
import org.fieldstream.reference.Target;
import org.fieldstream.schema.Chdb;
import org.fieldstream.schema.Migrations;
import org.fieldstream.schema.TableCopy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every target period's actual on the real broker and the real ClickHouse, for a program whose fiscal
 * year starts in October (FY2026 = October 2025 to September 2026), with records in fiscal years
 * 2025, 2026 and 2027, a late upload of an early dialogue and two corrections that move a record into
 * another fiscal year or quarter. Hand-counted figures, program dimension, on 18.16 and on the current
 * engine; people reached are distinct persons of each period, never sums (person A is reached in
 * FY2025 and FY2026: 3 + 3 + 1 over the fiscal years, 6 for life of program).
 *
 * <p>Reaches: A in 2025-01 (late dialogue d2), 2025-03, 2025-09 (cohort c1), 2025-10 (cohort c2); B in
 * 2025-03 (c1); F in 2025-01 (d2); C in 2025-10 (c2); E in 2025-10 (d1, corrected from 2025-09-15 to
 * 2025-10-15); D in 2026-10 (c3). Enrolments: A 2025-03-01, B 2025-04-02 (corrected from 2025-03-01),
 * C 2025-10-05, D 2026-10-02. A completes c1 (last session 2025-09-25), B drops out (exit 2025-09-26),
 * C completes c2 (its one session 2025-10-06), D is active.
 */
class FiscalYearActualsIT {

    private static final String PROGRAM = "fyoct";
    private static final String VILLAGE = "bd-kazipur-natuarpara-purbapara";

    /** indicator|period -> actual (program dimension); every period a target can name, 0 where nothing happened. */
    static final Map<String, String> EXPECTED = new TreeMap<>();

    static {
        expect("people_reached", "FY2025", 3, "FY2026", 3, "FY2027", 1, "FY2025-Q1", 0, "FY2025-Q2", 3, "FY2025-Q3", 0,
                "FY2025-Q4", 1, "FY2026-Q1", 3, "FY2026-Q2", 0, "FY2027-Q1", 1, "2025", 5, "2026", 1, "2025-Q1", 3,
                "2025-Q3", 1, "2025-Q4", 3, "2026-Q4", 1, "2025-01", 2, "2025-03", 2, "2025-09", 1, "2025-10", 3, "2026-10", 1,
                "2025-02", 0, "all", 6);
        expect("new_people_reached", "FY2025", 3, "FY2026", 2, "FY2027", 1, "FY2026-Q1", 2, "2025", 5, "2026", 1, "2025-10", 2, "all", 6);
        expect("enrolled", "FY2025", 2, "FY2025-Q2", 1, "FY2025-Q3", 1, "FY2026", 1, "FY2026-Q1", 1, "FY2027", 1, "2025", 3,
                "2025-Q1", 1, "2025-Q2", 1, "2025-04", 1, "2025-03", 1, "2026", 1, "all", 4);
        expect("completed", "FY2025", 1, "FY2025-Q4", 1, "FY2026", 1, "FY2026-Q1", 1, "FY2027", 0, "2025", 2, "all", 2);
        expect("dropped_out", "FY2025", 1, "FY2025-Q4", 1, "FY2026", 0, "2025-09", 1, "all", 1);
        expect("dialogues_held", "FY2025", 1, "FY2025-Q2", 1, "FY2025-Q4", 0, "FY2026", 1, "FY2026-Q1", 1, "2025-09", 0, "2025-10", 1,
                "2025", 2, "all", 2);
    }

    private static void expect(String indicator, Object... periodAndActual) {
        for (int i = 0; i < periodAndActual.length; i += 2) {
            EXPECTED.put(indicator + "|" + periodAndActual[i], String.valueOf(periodAndActual[i + 1]));
        }
    }

    @TempDir
    Path work;

    @Test
    void everyTargetPeriodHasItsExactActualFiscalYearsIncluded() throws Exception {
        ReferenceData bundled = ReferenceData.bundled();
        Program program = Program.newBuilder().setProgramId(PROGRAM).setName("October fiscal year program")
                .setStartDate(LocalDate.of(2024, 10, 1)).setEndDate(null).setFiscalYearStartMonth(10).build();
        Partner partner = Partner.newBuilder().setPartnerId("fyp").setProgramId(PROGRAM).setName("Fiscal Partner")
                .setOrgUnitId("bd-sirajganj-kazipur").build();
        List<Target> targets = new ArrayList<>();
        EXPECTED.keySet().forEach(key -> targets.add(Target.newBuilder().setProgramId(PROGRAM).setIndicator(key.split("\\|")[0])
                .setPeriod(key.split("\\|")[1]).setDimension("program").setDimensionId(PROGRAM).setTarget(10).setBaseline(null).build()));
        ReferenceData reference = new ReferenceData(List.of(program), List.of(partner), bundled.orgUnits(), targets);

        Path input = work.resolve("fiscal");
        List<String> manifest = new ArrayList<>();
        write(input, manifest, "fyp/cohorts.csv", "cohort_id,topic,planned_sessions,start_date,org_unit_id\n"
                + "c1,Savings group,2,2025-03-01," + VILLAGE + "\nc2,Savings group,1,2025-10-05," + VILLAGE + "\n"
                + "c3,Savings group,2,2026-10-02," + VILLAGE + "\n");
        write(input, manifest, "fyp/enrolments.csv", "cohort_id,person_key,sex,enrolled_on,age,revision\n"
                + "c1,A,female,2025-03-01,20,1\nc1,B,male,2025-03-01,30,1\nc2,C,female,2025-10-05,25,1\nc3,D,male,2026-10-02,40,1\n");
        write(input, manifest, "fyp/sessions.csv", "cohort_id,session_number,held_on\n"
                + "c1,1,2025-03-05\nc1,2,2025-09-25\nc2,1,2025-10-06\nc3,1,2026-10-05\n");
        write(input, manifest, "fyp/attendance.csv", "cohort_id,session_number,person_key,status\n"
                + "c1,1,A,present\nc1,2,A,present\nc1,1,B,present\nc1,2,B,absent\nc2,1,C,present\nc2,1,A,present\nc3,1,D,present\n");
        write(input, manifest, "fyp/exits.csv", "cohort_id,person_key,reason,exited_on\nc1,B,dropped_out,2025-09-26\n");
        write(input, manifest, "fyp/dialogues.csv", "dialogue_id,kind,topic,held_on,org_unit_id,revision\n"
                + "d1,community_consultation,Water points,2025-09-15," + VILLAGE + ",1\n");
        write(input, manifest, "fyp/dialogue-attendance.csv", "dialogue_id,attendee_no,role,sex,person_key,age\n"
                + "d1,1,member,female,E,33\nd1,2,official,male,,\n");
        // corrections: B's enrolment moves to April (FY2025-Q3), d1 to October (FY2026); then a late upload of January's d2
        write(input, manifest, "fyp/enrolments-corrected.csv", "cohort_id,person_key,sex,enrolled_on,age,revision\n"
                + "c1,B,male,2025-04-02,30,2\n");
        write(input, manifest, "fyp/dialogues-corrected.csv", "dialogue_id,kind,topic,held_on,org_unit_id,revision\n"
                + "d1,community_consultation,Water points,2025-10-15," + VILLAGE + ",2\n");
        write(input, manifest, "fyp/dialogues-late.csv", "dialogue_id,kind,topic,held_on,org_unit_id\n"
                + "d2,village_grading,Grading,2025-01-20," + VILLAGE + "\n");
        write(input, manifest, "fyp/dialogue-attendance-late.csv", "dialogue_id,attendee_no,role,sex,person_key,age\n"
                + "d2,1,member,female,A,20\nd2,2,member,male,F,50\n");

        try (LandedProgram landed = LandedProgram.land(reference, input, manifest, l -> differences(actuals(l.clickHouse, l.database)),
                "every target period's actual", work)) {
            assertEquals(EXPECTED, actuals(landed.clickHouse, landed.database), "dash_targets_vs_actuals on 18.16");
            List<String> recompute = RecomputeComparison.differences(landed.clickHouse, landed.database);
            assertEquals(List.of(), LandedProgram.first(recompute), "recomputation and streams, year and fiscal-year cells included");

            Chdb current = Chdb.shared();
            try {
                Migrations.apply(current, landed.database);
                TableCopy.baseTables(landed.clickHouse, current, landed.database);
                assertEquals(EXPECTED, actuals(current, landed.database), "dash_targets_vs_actuals on " + current.version());
            } finally {
                current.execute("DROP DATABASE IF EXISTS " + landed.database);
            }
        }
    }

    private static List<String> differences(Map<String, String> actual) {
        List<String> out = new ArrayList<>();
        EXPECTED.forEach((key, value) -> {
            if (!value.equals(actual.get(key))) {
                out.add(key + ": " + actual.get(key) + ", expected " + value);
            }
        });
        return out;
    }

    private static Map<String, String> actuals(ClickHouseSql client, String db) {
        Map<String, String> out = new TreeMap<>();
        for (Map<String, String> row : client.query("SELECT indicator, period, toString(actual) AS actual FROM " + db
                + ".dash_targets_vs_actuals WHERE program_id = '" + PROGRAM + "' AND dimension = 'program'")) {
            out.put(row.get("indicator") + "|" + row.get("period"), row.get("actual"));
        }
        return out;
    }

    private static void write(Path input, List<String> manifest, String file, String csv) throws Exception {
        Path path = input.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, csv);
        manifest.add(file);
    }
}
