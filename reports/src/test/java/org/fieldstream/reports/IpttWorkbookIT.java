package org.fieldstream.reports;

import static org.fieldstream.reports.IpttRows.cohortGroup;
import static org.fieldstream.reports.IpttRows.dialogue;
import static org.fieldstream.reports.IpttRows.person;
import static org.fieldstream.reports.IpttRows.reach;
import static org.fieldstream.reports.IpttRows.row;
import static org.fieldstream.reports.IpttRows.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.platform.TestServices;
import org.fieldstream.schema.Migrations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report iptt --xlsx} on the real ClickHouse 18.16, read back by an independent reader:
 * LibreOffice Calc (headless) converts every sheet of the workbook to CSV, once as the cells are
 * shown and once as their raw values. Every figure equals the report's rows over the views (and the
 * pinned figures of the October program), shares achieved and rates are numbers shown as
 * percentages, disaggregation rows follow their indicator (DNA rows empty), flags are right, and the program's name {@code =HYPERLINK("http://x","y")}, as a partner could write it
 * in programs.csv, arrives as that text and not as a link. LibreOffice: {@code bin/install-deps --tests}, or
 * FIELDSTREAM_SOFFICE naming its soffice binary.
 */
class IpttWorkbookIT {

    private static final String DB = "it_ipttx_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final String PLANTED = "=HYPERLINK(\"http://x\",\"y\")";
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
        gateway.insertJsonEachRow(DB, "programs", List.of(row("program_id", "p-oct", "name", PLANTED, "start_date", "2024-10-01",
                "dropout_missed_sessions", 3, "completion_attendance", 0.8, "fiscal_year_start_month", 10, "deviation_threshold", 0.1,
                "version", 1)));
        gateway.insertJsonEachRow(DB, "outreach", List.of(
                reach("fiscal_year", "FY2026-10", "2025-10-01", 30, 25),
                reach("fiscal_year", "FY2025-10", "2024-10-01", 18, 18),
                reach("fiscal_year", "FY2026-07", "2025-07-01", 98, 98),
                reach("quarter", "2024-Q4", "2024-10-01", 9, 9),
                reach("quarter", "2025-Q2", "2025-04-01", 11, 9),
                reach("quarter", "2025-Q4", "2025-10-01", 12, 12),
                reach("quarter", "2026-Q1", "2026-01-01", 10, 7),
                reach("quarter", "2026-Q3", "2026-07-01", 8, 6),
                reach("to_date", "all", "2024-10-01", 40, 40)));
        gateway.insertJsonEachRow(DB, "participant_progress", List.of(
                person("a", "2025-11-03", "completed", "2026-01-31 18:00:00"),
                person("b", "2026-08-01", "dropped_out", "2026-09-09 18:00:00"),
                person("c", "2025-02-05", "active", "2025-02-05 18:00:00")));
        gateway.insertJsonEachRow(DB, "dialogues", List.of(dialogue("d1", "policy_dialogue", "2025-03-01", 1, 0, 0, 0)));
        // c0 starts in FY2025 (its one person dropped out), c1 in FY2026-Q1 (its one person completed)
        gateway.insertJsonEachRow(DB, "field_events", List.of(KnownRows.registered("p-oct", "x", "c0", "2025-02-01", 1, "reg-c0"),
                KnownRows.registered("p-oct", "x", "c1", "2025-11-01", 2, "reg-c1")));
        gateway.insertJsonEachRow(DB, "cohort_retention_by_group", List.of(cohortGroup("c0", "female", "youth_15_29", 1, 0, 0, 1),
                cohortGroup("c1", "female", "youth_15_29", 1, 0, 1, 0)));
        gateway.insertJsonEachRow(DB, "targets", List.of(
                target("people_reached", "FY2026", 25.0, 3.0),
                target("people_reached", "FY2025", 20.0, 3.0),
                target("people_reached", "all", 100.0, null),
                target("enrolled", "FY2026", 2.0, null),
                target("enrolled", "all", 8.0, null),
                target("dialogues_held", "FY2026", 4.0, 0.0),
                target("dialogues_held", "FY2025", 1.0, 0.0)));
    }

    @AfterAll
    static void drop() {
        gateway.execute("DROP DATABASE IF EXISTS " + DB);
        gateway.close();
    }

    @Test
    void libreOfficeReadsEveryFigureOfEverySheetAndThePlantedFormulaAsText() throws Exception {
        Path xlsx = work.resolve("iptt.xlsx");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = ReportCommand.run(new String[] {"iptt", "--program", "p-oct", "--fiscal-year", "FY2026", "--fiscal-year", "2025",
            "--xlsx", xlsx.toString()}, env, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(ReportCommand.OK, code, out);
        assertTrue(out.contains("wrote " + xlsx), out);

        Map<String, List<List<String>>> shown = new LinkedHashMap<>();
        convert(xlsx, true).forEach((sheet, csv) -> shown.put(sheet, parse(csv)));
        Map<String, List<String>> raw = new LinkedHashMap<>();
        convert(xlsx, false).forEach((sheet, csv) -> raw.put(sheet, List.of(csv.split("\r?\n"))));
        assertEquals(List.of("FY2026", "FY2025", IpttWorkbook.LIFE_OF_PROGRAM), List.copyOf(shown.keySet()), "one sheet per year asked and one for life of program");

        IpttReport report = new IpttReport(gateway, DB);
        for (int year : List.of(2026, 2025)) {
            List<IpttReport.Row> rows = report.rows("p-oct", year);
            List<List<String>> sheet = shown.get("FY" + year);
            List<String> values = raw.get("FY" + year);
            assertEquals(IpttWorkbook.fiscalHeader(), sheet.get(0), "FY" + year);
            assertEquals(rows.size() + 1, sheet.size(), "FY" + year + ": one line per indicator");
            for (int i = 0; i < rows.size(); i++) {
                List<String> expected = new ArrayList<>(List.of(PLANTED));
                expected.addAll(rows.get(i).cells());
                assertEquals(expected, sheet.get(i + 1), "FY" + year + " as shown, " + rows.get(i).indicator());
                assertEquals(rawLine(rows.get(i)), values.get(i + 1), "FY" + year + " " + rows.get(i).indicator()
                        + ": texts are text (quoted), figures are numbers, % achieved a number formatted as a percentage, no formula result");
            }
        }
        // the October program's figures, pinned as in the CSV of report iptt
        assertEquals(List.of(PLANTED, "people_reached", "", "", "3", "100", "40", "25", "30", "120.0%", "12", "10", "0", "8", "above target", ""),
                indicatorLine(shown.get("FY2026"), "people_reached"));
        assertEquals(List.of(PLANTED, "dialogues_held", "", "", "0", "", "1", "4", "0", "0.0%", "0", "0", "0", "0", "below target", ""),
                indicatorLine(shown.get("FY2026"), "dialogues_held"));
        assertEquals(List.of(PLANTED, "people_reached", "", "", "3", "100", "40", "20", "18", "90.0%", "9", "0", "11", "0", "", ""),
                indicatorLine(shown.get("FY2025"), "people_reached"));
        assertEquals(List.of(PLANTED, "dialogues_held", "", "", "0", "", "1", "1", "1", "100.0%", "0", "1", "0", "0", "", ""),
                indicatorLine(shown.get("FY2025"), "dialogues_held"));
        assertEquals(List.of(PLANTED, "retention_rate", "sex", "female", "", "", "50.0%", "", "100.0%", "", "100.0%", "", "", "", "", ""),
                shown.get("FY2026").stream().filter(l -> l.subList(1, 4).equals(List.of("retention_rate", "sex", "female"))).findFirst()
                        .orElseThrow(), "a rate as a percentage");
        assertEquals(List.of(PLANTED, "dialogues_held", "sex", "DNA", "", "", "", "", "", "", "", "", "", "", "", ""),
                shown.get("FY2026").stream().filter(l -> l.subList(1, 4).equals(List.of("dialogues_held", "sex", "DNA"))).findFirst()
                        .orElseThrow(), "disaggregates not available");
        assertEquals("\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",\"people_reached\",,,3,100,40,25,30,120%,12,10,0,8,\"above target\",",
                raw.get("FY2026").get(1));

        List<IpttReport.Row> rows = report.rows("p-oct", 2026);
        List<List<String>> lop = shown.get(IpttWorkbook.LIFE_OF_PROGRAM);
        assertEquals(IpttWorkbook.LOP_HEADER, lop.get(0));
        assertEquals(rows.size() + 1, lop.size());
        for (int i = 0; i < rows.size(); i++) {
            IpttReport.Row row = rows.get(i);
            List<String> cells = row.cells();
            Double achieved = IpttWorkbook.lopAchieved(row);
            assertEquals(List.of(PLANTED, row.indicator(), row.disaggregation(), row.category(), cells.get(3), cells.get(4), cells.get(5),
                    achieved == null ? "" : String.format(Locale.ROOT, "%.1f%%", 100 * achieved)), lop.get(i + 1),
                    "life of program, " + row.indicator() + " " + row.category());
        }
        assertEquals(List.of(PLANTED, "people_reached", "", "", "3", "100", "40", "40.0%"), indicatorLine(lop, "people_reached"));
        assertEquals(List.of(PLANTED, "enrolled", "", "", "", "8", "3", "37.5%"), indicatorLine(lop, "enrolled"));
        assertEquals(List.of(PLANTED, "retention_rate", "", "", "", "", "50.0%", ""), indicatorLine(lop, "retention_rate"));
    }

    /** The line of an indicator's own row (no disaggregation). */
    private static List<String> indicatorLine(List<List<String>> sheet, String indicator) {
        return sheet.stream().filter(l -> l.get(1).equals(indicator) && l.get(2).isEmpty()).findFirst().orElseThrow(() -> new AssertionError(indicator));
    }

    /**
     * A fiscal-year line as LibreOffice writes cell values with every text cell quoted: the program's
     * name, indicator and flag quoted, figures bare, a share achieved as a bare percentage, empty
     * cells empty.
     */
    private static String rawLine(IpttReport.Row row) {
        List<String> fields = new ArrayList<>(List.of(quoted(PLANTED), quoted(row.indicator()), text(row.disaggregation()),
                text(row.category())));
        List<String> cells = row.cells();
        List<Double> figures = List.of(nullable(row.baseline()), nullable(row.lopTarget()), nullable(row.lopActual()),
                nullable(row.fyTarget()), nullable(row.fyActual()));
        for (int c = 3; c <= 7; c++) {
            fields.add(row.share() ? rawPercent(figures.get(c - 3)) : cells.get(c));
        }
        fields.add(rawPercent(row.fyAchieved()));
        for (int c = 9; c <= 12; c++) {
            fields.add(row.share() ? rawPercent(row.quarters()[c - 9]) : cells.get(c));
        }
        fields.add(text(row.deviation()));
        fields.add("");
        return String.join(",", fields);
    }

    private static Double nullable(Double value) {
        return value == null ? Double.NaN : value;
    }

    /** A share as LibreOffice writes a percentage cell's value: 1.2 as 120%; empty for none. */
    private static String rawPercent(Double share) {
        return share == null || share.isNaN() ? ""
                : java.math.BigDecimal.valueOf(share).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }

    /** A text cell as LibreOffice writes it: quoted, an empty one empty. */
    private static String text(String value) {
        return value.isEmpty() ? "" : quoted(value);
    }

    private static String quoted(String text) {
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    /**
     * Every sheet of the workbook as LibreOffice converts it to UTF-8 CSV, by sheet name in order.
     * Filter options: comma, double quote, UTF-8, from line 1; as shown: cells as formatted, raw:
     * values with every text cell quoted; values, not formulas; all sheets.
     */
    private Map<String, String> convert(Path xlsx, boolean asShown) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(work.resolve(asShown ? "shown" : "raw"));
        Path profile = work.resolve("lo-profile-" + (asShown ? "shown" : "raw"));
        String filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0," + !asShown + ",true," + asShown + ",false,false,-1";
        Process process = new ProcessBuilder(soffice(), "-env:UserInstallation=" + profile.toUri(), "--headless", "--convert-to", filter,
                "--outdir", dir.toString(), xlsx.toString()).redirectErrorStream(true).start();
        String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "LibreOffice did not finish: " + log);
        assertEquals(0, process.exitValue(), log);
        Map<String, String> sheets = new LinkedHashMap<>();
        for (String name : List.of("FY2026", "FY2025", IpttWorkbook.LIFE_OF_PROGRAM)) {
            Path csv = dir.resolve("iptt-" + name + ".csv");
            if (Files.exists(csv)) {
                sheets.put(name, Files.readString(csv, StandardCharsets.UTF_8));
            }
        }
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "three sheets converted; LibreOffice said: " + log);
        }
        return sheets;
    }

    private static String soffice() {
        String configured = System.getenv("FIELDSTREAM_SOFFICE");
        if (configured != null && !configured.isBlank()) {
            assertTrue(new File(configured).canExecute(), "FIELDSTREAM_SOFFICE=" + configured + " is not an executable file");
            return configured;
        }
        for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
            for (String name : List.of("soffice", "libreoffice")) {
                if (new File(dir, name).canExecute()) {
                    return new File(dir, name).getPath();
                }
            }
        }
        throw new AssertionError("no LibreOffice (soffice) on PATH: run bin/install-deps --tests or set FIELDSTREAM_SOFFICE");
    }

    /** RFC 4180 lines: quoted fields with doubled quotes, LF or CRLF line ends. */
    static List<List<String>> parse(String csv) {
        List<List<String>> lines = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                fields.add(field.toString());
                field.setLength(0);
                lines.add(fields);
                fields = new ArrayList<>();
            } else if (c != '\r') {
                field.append(c);
            }
        }
        if (field.length() > 0 || !fields.isEmpty()) {
            fields.add(field.toString());
            lines.add(fields);
        }
        return lines;
    }
}
