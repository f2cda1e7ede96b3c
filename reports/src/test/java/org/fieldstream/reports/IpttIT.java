package org.fieldstream.reports;

import static org.fieldstream.reports.IpttRows.cohortGroup;
import static org.fieldstream.reports.IpttRows.dialogue;
import static org.fieldstream.reports.IpttRows.inGroup;
import static org.fieldstream.reports.IpttRows.person;
import static org.fieldstream.reports.IpttRows.reach;
import static org.fieldstream.reports.IpttRows.row;
import static org.fieldstream.reports.IpttRows.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.platform.TestServices;
import org.fieldstream.schema.Migrations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report iptt} on the real ClickHouse 18.16 over the sink's migrations and known rows: a
 * program whose fiscal year starts in October, outreach cells of every kind in total and per sex x
 * age band group (only its own fiscal year's cell and the calendar quarters count), participant,
 * dialogue and cohort group rows dated in and around FY2026, targets with a baseline. Printed table
 * and CSV are compared figure by figure: the indicators' rows, their disaggregation rows by sex and by
 * age band (unknown its own row, DNA where the records give none), dialogues by kind, retention and
 * dropout rates of the cohorts started in each period; the sex and age band rows of every count add up
 * to it.
 */
class IpttIT {

    private static final String DB = "it_iptt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static ClickHouseGateway gateway;
    private static Map<String, String> env;

    @TempDir
    Path work;

    @BeforeAll
    static void load() {
        String url = TestServices.clickHouse().httpUrl();
        gateway = new ClickHouseGateway(url, "default", "");
        env = Map.of("FIELDSTREAM_CLICKHOUSE_URL", url, "FIELDSTREAM_CLICKHOUSE_DATABASE", DB);
        Migrations.apply(gateway, DB);
        gateway.insertJsonEachRow(DB, "programs", List.of(row("program_id", "p-oct", "name", "October program", "start_date", "2025-10-01",
                "dropout_missed_sessions", 3, "completion_attendance", 0.8, "fiscal_year_start_month", 10, "deviation_threshold", 0.1,
                "version", 1)));
        gateway.insertJsonEachRow(DB, "outreach", List.of(
                reach("fiscal_year", "FY2026-10", "2025-10-01", 30, 25),
                inGroup("female", "youth_15_29", reach("fiscal_year", "FY2026-10", "2025-10-01", 20, 17)),
                inGroup("female", "unknown", reach("fiscal_year", "FY2026-10", "2025-10-01", 4, 3)),
                inGroup("unknown", "unknown", reach("fiscal_year", "FY2026-10", "2025-10-01", 6, 5)),
                reach("fiscal_year", "FY2026-04", "2025-04-01", 99, 99),
                reach("fiscal_year", "FY2026-07", "2025-07-01", 98, 98),
                inGroup("male", "adult_30_plus", reach("fiscal_year", "FY2026-07", "2025-07-01", 98, 98)),
                reach("year", "2026", "2026-01-01", 77, 70),
                inGroup("male", "adult_30_plus", reach("year", "2026", "2026-01-01", 77, 70)),
                reach("quarter", "2025-Q4", "2025-10-01", 12, 12),
                inGroup("female", "youth_15_29", reach("quarter", "2025-Q4", "2025-10-01", 12, 12)),
                reach("quarter", "2026-Q1", "2026-01-01", 10, 7),
                inGroup("female", "youth_15_29", reach("quarter", "2026-Q1", "2026-01-01", 10, 7)),
                reach("quarter", "2026-Q3", "2026-07-01", 8, 6),
                inGroup("male", "adult_30_plus", reach("quarter", "2026-Q3", "2026-07-01", 8, 6)),
                reach("quarter", "2026-Q4", "2026-10-01", 5, 5),
                inGroup("male", "adult_30_plus", reach("quarter", "2026-Q4", "2026-10-01", 5, 5)),
                reach("to_date", "all", "2025-10-01", 40, 40),
                inGroup("female", "youth_15_29", reach("to_date", "all", "2025-10-01", 30, 30)),
                inGroup("unknown", "unknown", reach("to_date", "all", "2025-10-01", 10, 10))));
        gateway.insertJsonEachRow(DB, "participant_progress", List.of(
                person("a", "2025-11-03", "completed", "2026-01-31 18:00:00"),
                inGroup("male", "adult_30_plus", person("b", "2026-08-01", "dropped_out", "2026-09-09 18:00:00")),
                person("c", "2026-10-05", "active", "2026-10-05 18:00:00")));
        gateway.insertJsonEachRow(DB, "dialogues", List.of(dialogue("d1", "policy_dialogue", "2026-10-01", 1, 1, 0, 0),
                dialogue("d2", "community_consultation", "2026-01-10", 2, 2, 0, 1)));
        // c1 starts in FY2026-Q1 (4 persons: 1 active, 1 completed, 2 dropped out), c2 in FY2027 (2 active)
        gateway.insertJsonEachRow(DB, "field_events", List.of(KnownRows.registered("p-oct", "x", "c1", "2025-11-01", 1, "reg-c1"),
                KnownRows.registered("p-oct", "x", "c2", "2026-10-01", 2, "reg-c2")));
        gateway.insertJsonEachRow(DB, "cohort_retention_by_group", List.of(cohortGroup("c1", "female", "youth_15_29", 3, 1, 1, 1),
                cohortGroup("c1", "male", "adult_30_plus", 1, 0, 0, 1), cohortGroup("c2", "unknown", "unknown", 2, 2, 0, 0)));
        gateway.insertJsonEachRow(DB, "targets", List.of(
                target("people_reached", "FY2026", 25.0, 3.0),
                target("people_reached", "all", 100.0, null),
                target("enrolled", "FY2026", 2.0, null),
                target("dialogues_held", "FY2026", 4.0, 0.0)));
    }

    @AfterAll
    static void drop() {
        gateway.execute("DROP DATABASE IF EXISTS " + DB);
        gateway.close();
    }

    @Test
    void everyIndicatorHasItsFiscalYearQuartersTargetsAndFlag() throws Exception {
        Path csv = work.resolve("iptt.csv");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = ReportCommand.run(new String[] {"iptt", "--program", "p-oct", "--fiscal-year", "FY2026", "--csv", csv.toString()}, env,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        System.out.println(out);
        assertEquals(ReportCommand.OK, code, out);

        String text = Files.readString(csv, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("\uFEFF"), "a byte order mark");
        List<String> lines = List.of(text.substring(1).split("\r\n"));
        assertEquals(String.join(",", IpttReport.HEADER), lines.get(0));
        List<String> body = lines.subList(1, lines.size());
        assertEquals(List.of(
                "people_reached,,,3,100,40,25,30,120.0%,12,10,0,8,above target,",
                "new_people_reached,,,,,40,,25,,12,7,0,6,,",
                "enrolled,,,,,3,2,2,100.0%,1,0,0,1,,",
                "completed,,,,,1,,1,,0,1,0,0,,",
                "dropped_out,,,,,1,,1,,0,0,0,1,,",
                "retention_rate,,,,,66.7%,,50.0%,,50.0%,,,,,",
                "dropout_rate,,,,,33.3%,,50.0%,,50.0%,,,,,",
                "dialogues_held,,,0,,2,4,1,25.0%,0,1,0,0,below target,",
                "dialogue_attendance,,,,,7,,5,,0,5,0,0,,"), body.stream().filter(l -> l.matches("[a-z_]+,,,.*")).toList(),
                "the indicators' rows");
        // people reached by sex and age band: the fiscal year's own cell (FY2026-10) and the calendar quarters
        assertEquals(List.of(
                "people_reached,,,3,100,40,25,30,120.0%,12,10,0,8,above target,",
                "people_reached,sex,female,,,30,,24,,12,10,0,0,,",
                "people_reached,sex,male,,,0,,0,,0,0,0,8,,",
                "people_reached,sex,other,,,0,,0,,0,0,0,0,,",
                "people_reached,sex,unknown,,,10,,6,,0,0,0,0,,",
                "people_reached,age_band,under_15,,,0,,0,,0,0,0,0,,",
                "people_reached,age_band,youth_15_29,,,30,,20,,12,10,0,0,,",
                "people_reached,age_band,adult_30_plus,,,0,,0,,0,0,0,8,,",
                "people_reached,age_band,unknown,,,10,,10,,0,0,0,0,,",
                "new_people_reached,,,,,40,,25,,12,7,0,6,,"), body.subList(0, 10), "an indicator's row, then its disaggregation rows");
        assertEquals(74, body.size(), "9 indicators: 7 with 4 sexes and 4 age bands, 2 dialogue kinds, 3 DNA rows, 4 sexes of attendance");
        for (String line : List.of(
                "new_people_reached,sex,female,,,30,,20,,12,7,0,0,,",
                "new_people_reached,sex,unknown,,,10,,5,,0,0,0,0,,",
                "enrolled,sex,female,,,2,,1,,1,0,0,0,,",
                "enrolled,sex,male,,,1,,1,,0,0,0,1,,",
                "enrolled,age_band,unknown,,,2,,1,,1,0,0,0,,",
                "completed,sex,female,,,1,,1,,0,1,0,0,,",
                "dropped_out,age_band,adult_30_plus,,,1,,1,,0,0,0,1,,",
                "retention_rate,sex,female,,,66.7%,,66.7%,,66.7%,,,,,",
                "retention_rate,sex,male,,,0.0%,,0.0%,,0.0%,,,,,",
                "retention_rate,sex,other,,,,,,,,,,,,",
                "retention_rate,sex,unknown,,,100.0%,,,,,,,,,",
                "dropout_rate,age_band,youth_15_29,,,33.3%,,33.3%,,33.3%,,,,,",
                "dropout_rate,age_band,adult_30_plus,,,100.0%,,100.0%,,100.0%,,,,,",
                "dialogues_held,kind,community_consultation,,,1,,1,,0,1,0,0,,",
                "dialogues_held,kind,policy_dialogue,,,1,,0,,0,0,0,0,,",
                "dialogues_held,sex,DNA,,,,,,,,,,,,",
                "dialogues_held,age_band,DNA,,,,,,,,,,,,",
                "dialogue_attendance,sex,female,,,3,,2,,0,2,0,0,,",
                "dialogue_attendance,sex,unknown,,,1,,1,,0,1,0,0,,",
                "dialogue_attendance,age_band,DNA,,,,,,,,,,,,")) {
            assertTrue(body.contains(line), line + " in\n" + String.join("\n", body));
        }

        // every count of persons: its sex rows and its age band rows add up to it, figure by figure
        List<IpttReport.Row> rows = new IpttReport(gateway, DB).rows("p-oct", 2026);
        int compared = 0;
        for (IpttReport.Row indicator : rows.stream().filter(IpttReport.Row::isIndicator).filter(r -> !r.share()).toList()) {
            for (String breakdown : List.of(IpttReport.SEX, IpttReport.AGE_BAND)) {
                if (!IpttReport.available(indicator.indicator(), breakdown)) {
                    continue;
                }
                List<IpttReport.Row> parts = rows.stream().filter(r -> r.indicator().equals(indicator.indicator())
                        && r.disaggregation().equals(breakdown)).toList();
                assertEquals(breakdown.equals(IpttReport.SEX) ? IpttReport.SEXES : IpttReport.AGE_BANDS,
                        parts.stream().map(IpttReport.Row::category).toList(), indicator.indicator() + " by " + breakdown + ", unknown its own row");
                assertEquals(indicator.lopActual().doubleValue(), parts.stream().mapToDouble(IpttReport.Row::lopActual).sum(), indicator.indicator() + " " + breakdown);
                assertEquals(indicator.fyActual().doubleValue(), parts.stream().mapToDouble(IpttReport.Row::fyActual).sum(), indicator.indicator() + " " + breakdown);
                for (int q = 0; q < 4; q++) {
                    int quarter = q;
                    assertEquals(indicator.quarters()[q].doubleValue(), parts.stream().mapToDouble(r -> r.quarters()[quarter]).sum(),
                            indicator.indicator() + " " + breakdown + " Q" + (q + 1));
                }
                compared++;
            }
        }
        assertEquals(11, compared, "5 counts of persons by sex and by age band, attendance by sex");
        assertTrue(out.contains("above target"), out);

        ByteArrayOutputStream unknown = new ByteArrayOutputStream();
        assertEquals(ReportCommand.REFUSED, ReportCommand.run(new String[] {"iptt", "--program", "nosuch", "--fiscal-year", "2026"}, env,
                new PrintStream(unknown, true, StandardCharsets.UTF_8)));
        assertEquals("report: unknown program 'nosuch'", unknown.toString(StandardCharsets.UTF_8).trim());
    }
}
