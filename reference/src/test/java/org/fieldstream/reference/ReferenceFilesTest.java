package org.fieldstream.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceFilesTest {

    @TempDir
    Path dir;

    private void write(String programs, String partners, String orgUnits, String targets) throws IOException {
        Files.writeString(dir.resolve("programs.csv"), programs);
        Files.writeString(dir.resolve("partners.csv"), partners);
        Files.writeString(dir.resolve("org_units.csv"), orgUnits);
        Files.writeString(dir.resolve("targets.csv"), targets);
    }

    static final String PROGRAMS = "program_id,name,start_date,end_date,dropout_missed_sessions,completion_attendance\n"
            + "oracle,\"Oracle program, with history\",2023-11-29,,4,0.75\n";
    static final String PARTNERS = "partner_id,program_id,name,org_unit_id\n"
            + "p-one,oracle,Partner One,u-one\np-two,oracle,Partner Two,\np-three,oracle,Partner Three,z-two\n";
    static final String UNITS = "org_unit_id,name,name_bn,level,parent_id,division_id,district_id,upazila_id,union_id\n"
            + "d-one,Division One,,division,,,,,\n"
            + "z-one,District One,,district,d-one,,,,\n"
            + "z-two,District Two,,district,d-one,d-one,z-two,,\n"
            + "u-one,Upazila One,,upazila,z-one,,,,\n"
            + "n-one,Union One,,union,u-one,,,,\n";
    static final String TARGETS = "program_id,indicator,period,dimension,dimension_id,target\n"
            + "oracle,people_reached,2024-Q1,program,oracle,100\noracle,enrolled,all,partner,p-two,40\n"
            + "oracle,people_reached,2024,district,z-one,60\noracle,dialogues_held,2024-03,upazila,u-one,3\n";

    @Test
    void aValidSetLoadsWithAncestryFilledFromTheParents() throws IOException {
        write(PROGRAMS, PARTNERS, UNITS, TARGETS);
        ReferenceFiles.Result result = ReferenceFiles.read(dir);
        assertEquals(List.of(), result.problems());
        ReferenceData data = result.data();
        assertEquals("Oracle program, with history", data.program("oracle").orElseThrow().getName());
        assertEquals(4, data.program("oracle").orElseThrow().getDropoutMissedSessions());
        assertEquals(3, data.partners().size());
        OrgUnit union = data.orgUnit("n-one").orElseThrow();
        assertEquals("d-one", union.getDivisionId());
        assertEquals("z-one", union.getDistrictId());
        assertEquals("u-one", union.getUpazilaId());
        assertEquals("n-one", union.getUnionId());
        assertNull(data.orgUnit("z-one").orElseThrow().getUpazilaId());
        assertEquals(4, data.targets().size());
    }

    @Test
    void aProgramNamesItsFiscalYearAndDeviationAndATargetItsBaselineAndFiscalPeriod() throws IOException {
        write("program_id,name,start_date,end_date,dropout_missed_sessions,completion_attendance,fiscal_year_start_month,deviation_threshold\n"
                        + "oracle,Oracle,2023-11-29,,,,10,0.15\n",
                PARTNERS, UNITS, "program_id,indicator,period,dimension,dimension_id,target,baseline\n"
                        + "oracle,people_reached,FY2024,program,oracle,100,12\noracle,dropped_out,FY2024-Q4,program,oracle,5,\n");
        ReferenceFiles.Result result = ReferenceFiles.read(dir);
        assertEquals(List.of(), result.problems());
        assertEquals(10, result.data().program("oracle").orElseThrow().getFiscalYearStartMonth());
        assertEquals(0.15, result.data().program("oracle").orElseThrow().getDeviationThreshold());
        assertEquals(List.of(12.0), result.data().targets().stream().filter(t -> t.getBaseline() != null).map(t -> t.getBaseline()).toList());

        write(PROGRAMS, PARTNERS, UNITS, TARGETS);
        assertEquals(1, ReferenceFiles.read(dir).data().program("oracle").orElseThrow().getFiscalYearStartMonth(), "January by default");
        assertEquals(0.1, ReferenceFiles.read(dir).data().program("oracle").orElseThrow().getDeviationThreshold());
        assertEquals(5, ReferenceFiles.read(dir).data().program("oracle").orElseThrow().getSmallCellThreshold(), "k is 5 by default");

        write("program_id,name,start_date,fiscal_year_start_month\noracle,Oracle,2023-11-29,2\n", PARTNERS, UNITS, TARGETS);
        assertEquals(List.of("programs.csv:2 fiscal_year_start_month: 2 does not start a calendar quarter; a fiscal year starts in month 1, 4,"
                + " 7 or 10"), ReferenceFiles.read(dir).problems().stream().map(ReferenceFiles.Problem::toString).filter(p -> p.startsWith("programs"))
                .toList());
    }

    @Test
    void rateTargetsAreFractionsAndAttendanceACount() throws IOException {
        String header = "program_id,indicator,period,dimension,dimension_id,target,baseline\n";
        write(PROGRAMS, PARTNERS, UNITS, header + "oracle,retention_rate,FY2024,program,oracle,0.8,0.65\n"
                + "oracle,dropout_rate,all,partner,p-two,0,\noracle,retention_rate,2024,district,z-one,1,\n"
                + "oracle,dialogue_attendance,FY2024,program,oracle,450,120\n");
        ReferenceFiles.Result result = ReferenceFiles.read(dir);
        assertEquals(List.of(), result.problems());
        assertEquals(List.of("retention_rate 0.8 0.65", "dropout_rate 0.0 null", "retention_rate 1.0 null", "dialogue_attendance 450.0 120.0"),
                result.data().targets().stream().map(t -> t.getIndicator() + " " + t.getTarget() + " " + t.getBaseline()).toList());

        write(PROGRAMS, PARTNERS, UNITS, header + "oracle,retention_rate,FY2024,program,oracle,80,\n"
                + "oracle,dropout_rate,FY2024,program,oracle,0.1,15\noracle,dropout_rate,2024,program,oracle,-0.1,\n"
                + "oracle,retention_rate,2024,program,oracle,1.01,\noracle,dropout_rate,all,program,oracle,ten,\n"
                + "oracle,people_reached,2024,program,oracle,80,\n");
        result = ReferenceFiles.read(dir);
        assertNull(result.data());
        assertEquals(List.of(
                "targets.csv:2 target: '80' is not a fraction from 0 to 1: a rate's target is written as a fraction (80 % is 0.8)",
                "targets.csv:3 baseline: '15' is not a fraction from 0 to 1: a rate's baseline is written as a fraction (80 % is 0.8)",
                "targets.csv:4 target: '-0.1' is not a number >= 0",
                "targets.csv:5 target: '1.01' is not a fraction from 0 to 1: a rate's target is written as a fraction (80 % is 0.8)",
                "targets.csv:6 target: 'ten' is not a number"),
                result.problems().stream().map(ReferenceFiles.Problem::toString).toList(), "a count's target of 80 is no problem");
    }

    @Test
    void aProgramSetsItsReportingDeadlineAndDataQualityThresholdsWithDefaults() throws IOException {
        write(PROGRAMS, PARTNERS, UNITS, TARGETS);
        Program defaults = ReferenceFiles.read(dir).data().program("oracle").orElseThrow();
        assertEquals(List.of(10, 0.8, 0.05, 0.05, 0), List.of(defaults.getReportingDeadlineDays(), defaults.getDqMinOnTimeShare(),
                defaults.getDqMaxRejectedShare(), defaults.getDqMaxDuplicateShare(), defaults.getDqMaxLateEdits()));

        write("program_id,name,start_date,reporting_deadline_days,dq_min_on_time_share,dq_max_rejected_share,dq_max_duplicate_share,"
                + "dq_max_late_edits\noracle,Oracle,2023-11-29,15,0.9,0.1,0.02,3\n", PARTNERS, UNITS, TARGETS);
        ReferenceFiles.Result result = ReferenceFiles.read(dir);
        assertEquals(List.of(), result.problems());
        Program set = result.data().program("oracle").orElseThrow();
        assertEquals(List.of(15, 0.9, 0.1, 0.02, 3), List.of(set.getReportingDeadlineDays(), set.getDqMinOnTimeShare(),
                set.getDqMaxRejectedShare(), set.getDqMaxDuplicateShare(), set.getDqMaxLateEdits()));

        write("program_id,name,start_date,reporting_deadline_days,dq_min_on_time_share\noracle,Oracle,2023-11-29,121,1.5\n",
                PARTNERS, UNITS, TARGETS);
        assertEquals(List.of("programs.csv:2 reporting_deadline_days", "programs.csv:2 dq_min_on_time_share"),
                ReferenceFiles.read(dir).problems().stream().map(ReferenceFiles.Problem::toString).filter(p -> p.startsWith("programs"))
                        .map(p -> p.substring(0, p.indexOf(':', "programs.csv:".length()))).toList());
    }

    @Test
    void aProgramSetsItsSmallCellThresholdBetween2And100() throws IOException {
        write("program_id,name,start_date,small_cell_threshold\noracle,Oracle,2023-11-29,11\n", PARTNERS, UNITS, TARGETS);
        ReferenceFiles.Result result = ReferenceFiles.read(dir);
        assertEquals(List.of(), result.problems());
        assertEquals(11, result.data().program("oracle").orElseThrow().getSmallCellThreshold());

        write("program_id,name,start_date,small_cell_threshold\noracle,Oracle,2023-11-29,1\n", PARTNERS, UNITS, TARGETS);
        assertEquals(1, ReferenceFiles.read(dir).problems().stream().map(ReferenceFiles.Problem::toString)
                .filter(p -> p.startsWith("programs.csv:2 small_cell_threshold")).count(), ReferenceFiles.read(dir).problems().toString());
    }

    @Test
    void everyProblemIsListedWithFileLineFieldAndReasonAndNothingIsReturned() throws IOException {
        write(PROGRAMS + "oracle,Again,2023-01-01,,,\nbad program,X,2023-02-30,,,\n",
                PARTNERS + "p-four,nosuch,Partner Four,\np-one,oracle,Duplicate,\n",
                UNITS + "a-one,A,,union,b-one,,,,\nb-one,B,,union,a-one,,,,\nx-one,X,,village,nowhere,,,,\n"
                        + "w-one,W,,district,n-one,,,,\nv-one,V,,union,u-one,,z-two,,\n",
                TARGETS + "oracle,happiness,2024,program,oracle,5\noracle,enrolled,2024-Q5,program,oracle,5\n"
                        + "oracle,enrolled,all,partner,p-nine,5\noracle,enrolled,all,district,u-one,5\nnosuch,enrolled,all,program,nosuch,5\n"
                        + "oracle,enrolled,all,program,oracle,-1\n");
        ReferenceFiles.Result result = ReferenceFiles.read(dir);
        assertNull(result.data());
        List<String> problems = result.problems().stream().map(ReferenceFiles.Problem::toString).toList();
        List<String> expected = List.of(
                "programs.csv:3 program_id: duplicate id oracle",
                "programs.csv:4 program_id: an id has 1 to 64 ASCII letters",
                "org_units.csv:7 parent_id: the parent chain comes back to a-one (a cycle)",
                "org_units.csv:9 parent_id: unknown org unit nowhere",
                "org_units.csv:10 parent_id: parent n-one is a union, not above a district",
                "org_units.csv:11 district_id: z-two is not the unit's district by its parents (z-one)",
                "partners.csv:5 program_id: unknown program nosuch",
                "partners.csv:6 partner_id: duplicate id p-one",
                "targets.csv:6 indicator: 'happiness' is not one of",
                "targets.csv:7 period: '2024-Q5' is not all, a year",
                "targets.csv:8 dimension_id: unknown partner p-nine of program oracle",
                "targets.csv:9 dimension_id: unknown district u-one",
                "targets.csv:10 program_id: unknown program nosuch",
                "targets.csv:11 target: '-1' is not a number >= 0");
        for (String e : expected) {
            assertTrue(problems.stream().anyMatch(p -> p.startsWith(e)), "missing " + e + " in " + problems);
        }
        // the cycle is reported for both of its units, the bad date after the bad id is not reached
        assertEquals(expected.size() + 1, problems.size(), String.join("\n", problems));
    }

    @Test
    void aMissingFileOrColumnIsAProblemToo() throws IOException {
        Files.writeString(dir.resolve("programs.csv"), "program_id,name\noracle,Oracle\n");
        Files.writeString(dir.resolve("partners.csv"), PARTNERS);
        Files.writeString(dir.resolve("org_units.csv"), UNITS);
        List<String> problems = ReferenceFiles.read(dir).problems().stream().map(ReferenceFiles.Problem::toString).toList();
        assertEquals(List.of("targets.csv:0: file is missing from " + dir), problems);
        Files.writeString(dir.resolve("targets.csv"), TARGETS);
        problems = ReferenceFiles.read(dir).problems().stream().map(ReferenceFiles.Problem::toString).toList();
        assertTrue(problems.contains("programs.csv:1 start_date: required column is missing from the header"), problems.toString());
    }

    @Test
    void twoProgramIdsOfOneSecretVariableAreRefused() throws IOException {
        write(PROGRAMS + "a-b,A,2024-01-01,,,\nA.B,B,2024-01-01,,,\na_b,C,2024-01-01,,,\n", PARTNERS, UNITS, TARGETS);
        List<String> problems = ReferenceFiles.read(dir).problems().stream().map(ReferenceFiles.Problem::toString).toList();
        assertEquals(List.of(
                "programs.csv:4 program_id: program A.B and program a-b would share the secret variable FIELDSTREAM_SECRET_A_B;"
                        + " choose ids that differ in more than case and punctuation",
                "programs.csv:5 program_id: program a_b and program a-b would share the secret variable FIELDSTREAM_SECRET_A_B;"
                        + " choose ids that differ in more than case and punctuation"), problems);
    }

    @Test
    void theBundledReferencePassesItsOwnChecks() {
        assertEquals(2, ReferenceData.bundled().programs().size());
    }
}
