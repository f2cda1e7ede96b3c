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
import org.fieldstream.reference.ReferenceFiles;
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
 * FY2025 and FY2026: 3 + 4 + 1 over the fiscal years, 7 for life of program). The same figures by sex,
 * by age band and by dialogue kind ({@code actuals_by_breakdown}), the cohort counts of the retention
 * and dropout rates and dialogue attendance, hand-counted for the fiscal years and life of program; targets
 * of the retention and dropout rates and of dialogue attendance have the same figures as their actuals
 * (a period in which no cohort started: 0).
 *
 * <p>Persons: A female 20 (youth_15_29), B male 30, D male 40, E female 33, F male 50 (adult_30_plus),
 * C female 25 (youth_15_29), G of unknown sex and age. Reaches: A in 2025-01 (late dialogue d2),
 * 2025-03, 2025-09 (cohort c1), 2025-10 (cohort c2); B in 2025-03 (c1); F in 2025-01 (d2); C in
 * 2025-10 (c2); E and G in 2025-10 (d1, corrected from 2025-09-15 to 2025-10-15); D in 2026-10 (c3).
 * Enrolments: A 2025-03-01, B 2025-04-02 (corrected from 2025-03-01), C 2025-10-05, D 2026-10-02. A
 * completes c1 (last session 2025-09-25), B drops out (exit 2025-09-26), C completes c2 (its one
 * session 2025-10-06), D is active. Cohorts start: c1 2025-03-01 (FY2025), c2 2025-10-05 (FY2026), c3
 * 2026-10-02 (FY2027). Dialogue attendance: d2 A and F; d1 E, an official (male, no person) and G.
 */
class FiscalYearActualsIT {

    private static final String PROGRAM = "fyoct";
    private static final String VILLAGE = "bd-kazipur-natuarpara-purbapara";

    /** indicator|period -> actual (program dimension); every period a target can name, 0 where nothing happened. */
    static final Map<String, String> EXPECTED = new TreeMap<>();

    static {
        expect("people_reached", "FY2025", 3, "FY2026", 4, "FY2027", 1, "FY2025-Q1", 0, "FY2025-Q2", 3, "FY2025-Q3", 0,
                "FY2025-Q4", 1, "FY2026-Q1", 4, "FY2026-Q2", 0, "FY2027-Q1", 1, "2025", 6, "2026", 1, "2025-Q1", 3,
                "2025-Q3", 1, "2025-Q4", 4, "2026-Q4", 1, "2025-01", 2, "2025-03", 2, "2025-09", 1, "2025-10", 4, "2026-10", 1,
                "2025-02", 0, "all", 7);
        expect("new_people_reached", "FY2025", 3, "FY2026", 3, "FY2027", 1, "FY2026-Q1", 3, "2025", 6, "2026", 1, "2025-10", 3, "all", 7);
        expect("enrolled", "FY2025", 2, "FY2025-Q2", 1, "FY2025-Q3", 1, "FY2026", 1, "FY2026-Q1", 1, "FY2027", 1, "2025", 3,
                "2025-Q1", 1, "2025-Q2", 1, "2025-04", 1, "2025-03", 1, "2026", 1, "all", 4);
        expect("completed", "FY2025", 1, "FY2025-Q4", 1, "FY2026", 1, "FY2026-Q1", 1, "FY2027", 0, "2025", 2, "all", 2);
        expect("dropped_out", "FY2025", 1, "FY2025-Q4", 1, "FY2026", 0, "2025-09", 1, "all", 1);
        expect("dialogues_held", "FY2025", 1, "FY2025-Q2", 1, "FY2025-Q4", 0, "FY2026", 1, "FY2026-Q1", 1, "2025-09", 0, "2025-10", 1,
                "2025", 2, "all", 2);
        // rates of the cohorts started in the period: c1 (A completed, B dropped out), c2 (C completed), c3 (D active); none in FY2026-Q2
        expect("retention_rate", "FY2025", "0.5", "FY2026", 1, "FY2027", 1, "FY2026-Q2", 0, "2025-Q1", "0.5", "all", "0.75");
        expect("dropout_rate", "FY2025", "0.5", "FY2026", 0, "FY2027", 0, "all", "0.25");
        expect("dialogue_attendance", "FY2025", 2, "FY2026", 3, "FY2026-Q1", 3, "FY2027", 0, "2025-01", 2, "all", 5);
    }

    /**
     * indicator|breakdown|category|period -> actual of actuals_by_breakdown (program dimension) for the
     * fiscal years and life of program, every row that is not 0.
     */
    static final Map<String, String> BROKEN_DOWN = new TreeMap<>();

    static {
        // people reached: FY2025 A B F, FY2026 A C E G, FY2027 D; unknown sex and age of G its own row
        split("people_reached", "FY2025", "sex", "female", 1, "male", 2, "age_band", "youth_15_29", 1, "adult_30_plus", 2);
        split("people_reached", "FY2026", "sex", "female", 3, "unknown", 1, "age_band", "youth_15_29", 2, "adult_30_plus", 1, "unknown", 1);
        split("people_reached", "FY2027", "sex", "male", 1, "age_band", "adult_30_plus", 1);
        split("people_reached", "all", "sex", "female", 3, "male", 3, "unknown", 1, "age_band", "youth_15_29", 2, "adult_30_plus", 4,
                "unknown", 1);
        // newly reached: A B F in FY2025, C E G in FY2026 (A was reached before), D in FY2027
        split("new_people_reached", "FY2025", "sex", "female", 1, "male", 2, "age_band", "youth_15_29", 1, "adult_30_plus", 2);
        split("new_people_reached", "FY2026", "sex", "female", 2, "unknown", 1, "age_band", "youth_15_29", 1, "adult_30_plus", 1,
                "unknown", 1);
        split("new_people_reached", "FY2027", "sex", "male", 1, "age_band", "adult_30_plus", 1);
        split("new_people_reached", "all", "sex", "female", 3, "male", 3, "unknown", 1, "age_band", "youth_15_29", 2, "adult_30_plus", 4,
                "unknown", 1);
        split("enrolled", "FY2025", "sex", "female", 1, "male", 1, "age_band", "youth_15_29", 1, "adult_30_plus", 1);
        split("enrolled", "FY2026", "sex", "female", 1, "age_band", "youth_15_29", 1);
        split("enrolled", "FY2027", "sex", "male", 1, "age_band", "adult_30_plus", 1);
        split("enrolled", "all", "sex", "female", 2, "male", 2, "age_band", "youth_15_29", 2, "adult_30_plus", 2);
        split("completed", "FY2025", "sex", "female", 1, "age_band", "youth_15_29", 1);
        split("completed", "FY2026", "sex", "female", 1, "age_band", "youth_15_29", 1);
        split("completed", "all", "sex", "female", 2, "age_band", "youth_15_29", 2);
        split("dropped_out", "FY2025", "sex", "male", 1, "age_band", "adult_30_plus", 1);
        split("dropped_out", "all", "sex", "male", 1, "age_band", "adult_30_plus", 1);
        split("dialogues_held", "FY2025", "kind", "village_grading", 1);
        split("dialogues_held", "FY2026", "kind", "community_consultation", 1);
        split("dialogues_held", "all", "kind", "village_grading", 1, "community_consultation", 1);
        split("dialogue_attendance", "FY2025", "all", "all", 2, "sex", "female", 1, "male", 1);
        split("dialogue_attendance", "FY2026", "all", "all", 3, "sex", "female", 1, "male", 1, "unknown", 1);
        split("dialogue_attendance", "all", "all", "all", 5, "sex", "female", 2, "male", 2, "unknown", 1);
        // cohorts by start: c1 (A completed, B dropped out), c2 (C completed), c3 (D active)
        split("cohort_enrolled", "FY2025", "all", "all", 2, "sex", "female", 1, "male", 1, "age_band", "youth_15_29", 1, "adult_30_plus", 1);
        split("cohort_retained", "FY2025", "all", "all", 1, "sex", "female", 1, "age_band", "youth_15_29", 1);
        split("cohort_dropped_out", "FY2025", "all", "all", 1, "sex", "male", 1, "age_band", "adult_30_plus", 1);
        split("cohort_enrolled", "FY2026", "all", "all", 1, "sex", "female", 1, "age_band", "youth_15_29", 1);
        split("cohort_retained", "FY2026", "all", "all", 1, "sex", "female", 1, "age_band", "youth_15_29", 1);
        split("cohort_enrolled", "FY2027", "all", "all", 1, "sex", "male", 1, "age_band", "adult_30_plus", 1);
        split("cohort_retained", "FY2027", "all", "all", 1, "sex", "male", 1, "age_band", "adult_30_plus", 1);
        split("cohort_enrolled", "all", "all", "all", 4, "sex", "female", 2, "male", 2, "age_band", "youth_15_29", 2, "adult_30_plus", 2);
        split("cohort_retained", "all", "all", "all", 3, "sex", "female", 2, "male", 1, "age_band", "youth_15_29", 2, "adult_30_plus", 1);
        split("cohort_dropped_out", "all", "all", "all", 1, "sex", "male", 1, "age_band", "adult_30_plus", 1);
    }

    /** {@code breakdown, category, actual, category, actual, ..., breakdown, ...}: a text after a number or first is a breakdown when it names one. */
    private static void split(String indicator, String period, Object... cells) {
        String breakdown = null;
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] instanceof String text && List.of("sex", "age_band", "kind", "all").contains(text)
                    && (i == 0 || !(cells[i - 1] instanceof String))) {
                breakdown = text;
                continue;
            }
            BROKEN_DOWN.put(indicator + "|" + breakdown + "|" + cells[i] + "|" + period, String.valueOf(cells[i + 1]));
            i++;
        }
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
                .setPeriod(key.split("\\|")[1]).setDimension("program").setDimensionId(PROGRAM)
                .setTarget(ReferenceFiles.RATES.contains(key.split("\\|")[0]) ? 0.8 : 10).setBaseline(null).build()));
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
                + "d1,1,member,female,E,33\nd1,2,official,male,,\nd1,3,member,unknown,G,\n");
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
            assertEquals(BROKEN_DOWN, brokenDown(landed.clickHouse, landed.database), "actuals_by_breakdown on 18.16");
            assertEquals(List.of(), partsAddUp(landed.clickHouse, landed.database), "sex and age band rows add up to the indicator on 18.16");
            List<String> recompute = RecomputeComparison.differences(landed.clickHouse, landed.database);
            assertEquals(List.of(), LandedProgram.first(recompute), "recomputation and streams, year and fiscal-year cells included");

            Chdb current = Chdb.shared();
            try {
                Migrations.apply(current, landed.database);
                TableCopy.baseTables(landed.clickHouse, current, landed.database);
                assertEquals(EXPECTED, actuals(current, landed.database), "dash_targets_vs_actuals on " + current.version());
                assertEquals(BROKEN_DOWN, brokenDown(current, landed.database), "actuals_by_breakdown on " + current.version());
                assertEquals(List.of(), partsAddUp(current, landed.database), "sex and age band rows add up on " + current.version());
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

    private static Map<String, String> brokenDown(ClickHouseSql client, String db) {
        Map<String, String> out = new TreeMap<>();
        for (Map<String, String> row : client.query("SELECT indicator, breakdown, category, period, toString(actual) AS shown FROM " + db
                + ".actuals_by_breakdown WHERE program_id = '" + PROGRAM + "' AND dimension = 'program'"
                + " AND period IN ('FY2025', 'FY2026', 'FY2027', 'all') AND actual != 0")) {
            out.put(row.get("indicator") + "|" + row.get("breakdown") + "|" + row.get("category") + "|" + row.get("period"), row.get("shown"));
        }
        return out;
    }

    /**
     * Where the sex rows or the age band rows of a count of persons do not add up to its actual in
     * actuals_by_period, for every period and dimension: each person counted sits in one sex and one
     * age band, unknown included.
     */
    private static List<String> partsAddUp(ClickHouseSql client, String db) {
        Map<String, Double> totals = new TreeMap<>();
        for (Map<String, String> row : client.query("SELECT indicator, period, dimension, dimension_id, toString(actual) AS actual FROM "
                + db + ".actuals_by_period WHERE program_id = '" + PROGRAM + "'")) {
            totals.put(row.get("indicator") + "|" + row.get("period") + "|" + row.get("dimension") + "|" + row.get("dimension_id"),
                    Double.valueOf(row.get("actual")));
        }
        Map<String, Double> sums = new TreeMap<>();
        for (Map<String, String> row : client.query("SELECT indicator, period, dimension, dimension_id, breakdown, toString(sum(actual))"
                + " AS shown FROM " + db + ".actuals_by_breakdown WHERE program_id = '" + PROGRAM + "' AND breakdown IN ('sex', 'age_band')"
                + " AND indicator IN ('people_reached', 'new_people_reached', 'enrolled', 'completed', 'dropped_out')"
                + " GROUP BY indicator, period, dimension, dimension_id, breakdown")) {
            sums.put(row.get("indicator") + "|" + row.get("period") + "|" + row.get("dimension") + "|" + row.get("dimension_id") + "|"
                    + row.get("breakdown"), Double.valueOf(row.get("shown")));
        }
        List<String> out = new ArrayList<>();
        totals.forEach((key, total) -> {
            for (String breakdown : List.of("sex", "age_band")) {
                double sum = sums.getOrDefault(key + "|" + breakdown, 0.0);
                if (!key.startsWith("dialogues_held") && sum != total) {
                    out.add(key + " by " + breakdown + ": " + sum + ", the indicator " + total);
                }
            }
        });
        if (totals.size() < 100) {
            out.add("only " + totals.size() + " actuals to compare");
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
