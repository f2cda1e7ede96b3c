package org.fieldstream.reports;

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
 * program whose fiscal year starts in October, outreach cells of every kind (only its own fiscal
 * year's cell and the calendar quarters count), participant and dialogue rows dated in and around
 * FY2026, targets with a baseline. Printed table and CSV are compared figure by figure.
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
                reach("fiscal_year", "FY2026-04", "2025-04-01", 99, 99),
                reach("fiscal_year", "FY2026-07", "2025-07-01", 98, 98),
                reach("year", "2026", "2026-01-01", 77, 70),
                reach("quarter", "2025-Q4", "2025-10-01", 12, 12),
                reach("quarter", "2026-Q1", "2026-01-01", 10, 7),
                reach("quarter", "2026-Q3", "2026-07-01", 8, 6),
                reach("quarter", "2026-Q4", "2026-10-01", 5, 5),
                reach("to_date", "all", "2025-10-01", 40, 40)));
        gateway.insertJsonEachRow(DB, "participant_progress", List.of(
                person("a", "2025-11-03", "completed", "2026-01-31 18:00:00"),
                person("b", "2026-08-01", "dropped_out", "2026-09-09 18:00:00"),
                person("c", "2026-10-05", "active", "2026-10-05 18:00:00")));
        gateway.insertJsonEachRow(DB, "dialogues", List.of(row("program_id", "p-oct", "partner_id", "x", "dialogue_id", "d1",
                "kind", "policy_dialogue", "topic", "t", "held_on", "2026-10-01", "version", 1, "deleted", 0)));
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
        assertEquals(List.of(
                "people_reached,3,100,40,25,30,120.0%,12,10,0,8,above target,",
                "new_people_reached,,,40,,25,,12,7,0,6,,",
                "enrolled,,,3,2,2,100.0%,1,0,0,1,,",
                "completed,,,1,,1,,0,1,0,0,,",
                "dropped_out,,,1,,1,,0,0,0,1,,",
                "dialogues_held,0,,1,4,0,0.0%,0,0,0,0,below target,"), lines.subList(1, lines.size()));
        assertTrue(out.contains("above target"), out);

        ByteArrayOutputStream unknown = new ByteArrayOutputStream();
        assertEquals(ReportCommand.REFUSED, ReportCommand.run(new String[] {"iptt", "--program", "nosuch", "--fiscal-year", "2026"}, env,
                new PrintStream(unknown, true, StandardCharsets.UTF_8)));
        assertEquals("report: unknown program 'nosuch'", unknown.toString(StandardCharsets.UTF_8).trim());
    }
}
