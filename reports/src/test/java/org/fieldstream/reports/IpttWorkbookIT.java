package org.fieldstream.reports;

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
 * pinned figures of the October program), shares achieved are numbers shown as percentages, flags
 * are right, and the program's name {@code =HYPERLINK("http://x","y")}, as a partner could write it
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
        gateway.insertJsonEachRow(DB, "dialogues", List.of(row("program_id", "p-oct", "partner_id", "x", "dialogue_id", "d1",
                "kind", "policy_dialogue", "topic", "t", "held_on", "2025-03-01", "version", 1, "deleted", 0)));
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
        assertEquals(List.of(PLANTED, "people_reached", "3", "100", "40", "25", "30", "120.0%", "12", "10", "0", "8", "above target", ""),
                shown.get("FY2026").get(1));
        assertEquals(List.of(PLANTED, "dialogues_held", "0", "", "1", "4", "0", "0.0%", "0", "0", "0", "0", "below target", ""),
                shown.get("FY2026").get(6));
        assertEquals(List.of(PLANTED, "people_reached", "3", "100", "40", "20", "18", "90.0%", "9", "0", "11", "0", "", ""),
                shown.get("FY2025").get(1));
        assertEquals(List.of(PLANTED, "dialogues_held", "0", "", "1", "1", "1", "100.0%", "0", "1", "0", "0", "", ""),
                shown.get("FY2025").get(6));
        assertEquals("\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",\"people_reached\",3,100,40,25,30,120%,12,10,0,8,\"above target\",",
                raw.get("FY2026").get(1));

        List<IpttReport.Row> rows = report.rows("p-oct", 2026);
        List<List<String>> lop = shown.get(IpttWorkbook.LIFE_OF_PROGRAM);
        assertEquals(IpttWorkbook.LOP_HEADER, lop.get(0));
        assertEquals(rows.size() + 1, lop.size());
        for (int i = 0; i < rows.size(); i++) {
            IpttReport.Row row = rows.get(i);
            List<String> cells = row.cells();
            String achieved = row.lopTarget() == null ? "" : String.format(Locale.ROOT, "%.1f%%", 100 * row.lopActual() / row.lopTarget());
            assertEquals(List.of(PLANTED, row.indicator(), cells.get(1), cells.get(2), cells.get(3), achieved), lop.get(i + 1),
                    "life of program, " + row.indicator());
        }
        assertEquals(List.of(PLANTED, "people_reached", "3", "100", "40", "40.0%"), lop.get(1));
        assertEquals(List.of(PLANTED, "enrolled", "", "8", "3", "37.5%"), lop.get(3));
    }

    /**
     * A fiscal-year line as LibreOffice writes cell values with every text cell quoted: the program's
     * name, indicator and flag quoted, figures bare, a share achieved as a bare percentage, empty
     * cells empty.
     */
    private static String rawLine(IpttReport.Row row) {
        List<String> fields = new ArrayList<>(List.of(quoted(PLANTED), quoted(row.indicator())));
        List<String> cells = row.cells();
        for (int c = 1; c <= 5; c++) {
            fields.add(cells.get(c));
        }
        fields.add(row.fyAchieved() == null ? ""
                : java.math.BigDecimal.valueOf(row.fyAchieved()).movePointRight(2).stripTrailingZeros().toPlainString() + "%");
        for (int c = 7; c <= 10; c++) {
            fields.add(cells.get(c));
        }
        fields.add(row.deviation().isEmpty() ? "" : quoted(row.deviation()));
        fields.add("");
        return String.join(",", fields);
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
