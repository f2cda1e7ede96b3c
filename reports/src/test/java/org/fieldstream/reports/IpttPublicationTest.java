package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpttPublicationTest {

    @TempDir
    java.nio.file.Path work;

    private static IpttReport.Row row(String indicator, double lop, double fy, double... quarters) {
        return sub(indicator, "", "", lop, fy, quarters);
    }

    private static IpttReport.Row sub(String indicator, String disaggregation, String category, double lop, double fy, double... quarters) {
        Double[] boxed = new Double[quarters.length];
        for (int q = 0; q < quarters.length; q++) {
            boxed[q] = quarters[q];
        }
        return new IpttReport.Row(indicator, disaggregation, category, false, null, null, lop, null, fy, null, boxed, "");
    }

    private static Map<Integer, List<IpttReport.Row>> years() {
        Map<Integer, List<IpttReport.Row>> years = new LinkedHashMap<>();
        years.put(2026, List.of(row("enrolled", 60, 24, 20, 2, 0, 2), row("people_reached", 60, 40, 30, 12, 9, 3),
                row("dialogues_held", 3, 3, 1, 1, 1, 0), row("completed", 30, 24, 22, 2, 0, 0)));
        return years;
    }

    @Test
    void smallQuartersAreHiddenAndTheYearStaysShown() {
        IpttPublication p = IpttPublication.of(years(), 5);
        List<String> enrolled = p.cells(2026, 0, years().get(2026).get(0));
        assertEquals(List.of("enrolled", "", "", "", "", "60", "", "24", "", "20", "<5", "0", "<5"), enrolled.subList(0, 13),
                "two hidden quarters protect each other within the year");
        // people reached of several quarters are distinct persons and need not add up: 3 is hidden, and 30 + 12 + 9 + 3 != 40
        List<String> reached = p.cells(2026, 1, years().get(2026).get(1));
        assertEquals(List.of("30", "12", "9", "<5"), reached.subList(9, 13));
        // a meeting count names nobody
        assertEquals(List.of("1", "1", "1", "0"), p.cells(2026, 2, years().get(2026).get(2)).subList(9, 13));
        // one small quarter: the year minus the others would give it, so the smallest other non-zero quarter goes too
        assertEquals(List.of("24", "", "<5", "<5", "0", "0"), p.cells(2026, 3, years().get(2026).get(3)).subList(7, 13));
    }

    @Test
    void noHiddenQuarterFollowsFromTheYearAndTheOtherQuarters() {
        Map<Integer, List<IpttReport.Row>> years = years();
        IpttPublication p = IpttPublication.of(years, 5);
        IpttReport.Row r = years.get(2026).get(0);
        long[] counts = {Math.round(r.fyActual()), Math.round(r.quarters()[0]), Math.round(r.quarters()[1]), Math.round(r.quarters()[2]),
                Math.round(r.quarters()[3])};
        boolean[] hidden = new boolean[5];
        List<String> columns = List.of("fy_actual", "q1_actual", "q2_actual", "q3_actual", "q4_actual");
        for (int c = 0; c < 5; c++) {
            hidden[c] = p.hidden(2026, 0, columns.get(c));
        }
        SmallCells.Published published = new SmallCells.Published(counts, hidden,
                List.of(new SmallCells.Sum(0, List.of(1, 2, 3, 4))), 5);
        assertEquals(List.of(), Attacker.recovered(published));
        assertTrue(hidden[2] && hidden[4]);
    }

    @Test
    void theLifeOfProgramActualIsOneFigureOnEverySheetAndTheYearsAddUpToIt() {
        Map<Integer, List<IpttReport.Row>> years = new LinkedHashMap<>();
        years.put(2026, List.of(row("enrolled", 60, 57, 20, 17, 10, 10)));
        years.put(2027, List.of(row("enrolled", 60, 3, 3, 0, 0, 0)));
        IpttPublication p = IpttPublication.of(years, 5);
        assertTrue(p.hidden(2027, 0, "fy_actual"));
        assertTrue(p.hidden(2026, 0, "fy_actual") || p.hidden(2026, 0, "lop_actual"), "60 - 57 would give 2027's 3");
        assertEquals(p.hidden(2026, 0, "lop_actual"), p.hidden(2027, 0, "lop_actual"), "one figure, hidden on both sheets or neither");
    }

    @Test
    void csvAndWorkbookHideTheCellsAndSayWhyOnce() throws IOException {
        Map<Integer, List<IpttReport.Row>> years = years();
        IpttPublication p = IpttPublication.of(years, 5);
        String csv = IpttReport.csv(years.get(2026), 2026, p);
        assertTrue(csv.contains("\r\nenrolled,,,,,60,,24,,20,<5,0,<5,,\r\n"), csv);
        assertTrue(csv.endsWith(CsvTable.field(SmallCells.note(5)) + "\r\n"), csv);
        assertFalse(IpttReport.csv(years.get(2026)).contains("<5"), "exact without publication");

        ByteArrayOutputStream xlsx = new ByteArrayOutputStream();
        IpttWorkbook.write(xlsx, "Program", years, p);
        Map<String, String> parts = unzip(xlsx.toByteArray());
        String strings = parts.get("xl/sharedStrings.xml");
        assertTrue(strings.contains("&lt;5"), strings);
        assertTrue(strings.contains("counts of 1 to 4 people"), strings);
        String sheet = parts.get("xl/worksheets/sheet1.xml");
        List<String> cells = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<c r=\"([A-Z]+)2\"([^>]*)><v>([^<]*)</v>").matcher(sheet);
        while (m.find()) {
            cells.add(m.group(1) + (m.group(2).contains("t=\"s\"") ? "=text " : "=") + m.group(3));
        }
        // the enrolled row (row 2): lop 60 (G) and q1 20 (K) are numbers; the quarters of 2 (L, N) are the text <5
        assertTrue(cells.contains("G=60.0") && cells.contains("K=20.0"), cells.toString());
        List<String> shared = new ArrayList<>();
        java.util.regex.Matcher t = java.util.regex.Pattern.compile("<t[^>]*>([^<]*)</t>").matcher(strings);
        while (t.find()) {
            shared.add(t.group(1));
        }
        String marker = "=text " + shared.indexOf("&lt;5");
        assertTrue(cells.contains("L" + marker) && cells.contains("N" + marker), cells + " " + shared);
    }

    /** An indicator's rows by sex add up to it: a small sex row is hidden with another, and nothing follows from the rest. */
    @Test
    void rowsBySexAreHiddenWithTheirIndicator() {
        Map<Integer, List<IpttReport.Row>> years = new LinkedHashMap<>();
        years.put(2026, List.of(row("completed", 40, 40, 10, 10, 10, 10),
                sub("completed", "sex", "female", 37, 37, 9, 10, 9, 9), sub("completed", "sex", "male", 3, 3, 1, 0, 1, 1),
                sub("completed", "sex", "other", 0, 0, 0, 0, 0, 0), sub("completed", "sex", "unknown", 0, 0, 0, 0, 0, 0)));
        assertEquals(List.of(new IpttPublication.RowGroup(0, List.of(1, 2, 3, 4))), IpttReport.rowGroups(years.get(2026)));
        IpttPublication p = IpttPublication.of(years, 5);
        for (String column : List.of("lop_actual", "fy_actual", "q1_actual", "q3_actual", "q4_actual")) {
            assertTrue(p.hidden(2026, 2, column), "male " + column);
            assertTrue(p.hidden(2026, 0, column) || p.hidden(2026, 1, column), column + ": total minus female would give male");
        }
    }

    /** A rate over too few persons comes as NaN from the report and is shown hidden; the others stay. */
    @Test
    void aRateOverFewPersonsIsHidden() {
        IpttReport.Row rate = new IpttReport.Row("retention_rate", "", "", true, null, null, 0.8, null, Double.NaN, null,
                new Double[] {Double.NaN, 0.75, null, null}, "");
        Map<Integer, List<IpttReport.Row>> years = new LinkedHashMap<>();
        years.put(2026, List.of(rate));
        IpttPublication p = IpttPublication.of(years, 5);
        assertFalse(p.hidden(2026, 1 - 1, "q2_actual"), "a rate over enough persons stays");
        assertEquals(List.of("80.0%", "", "hidden", "hidden", "hidden", "75.0%", "", ""),
                p.cells(2026, 0, rate).subList(5, 13));
    }

    /** The workbook's parts (a zip with data descriptors: read through its central directory). */
    private Map<String, String> unzip(byte[] bytes) throws IOException {
        java.nio.file.Path file = work.resolve("iptt.xlsx");
        java.nio.file.Files.write(file, bytes);
        Map<String, String> parts = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                try (java.io.InputStream in = zip.getInputStream(e)) {
                    parts.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return parts;
    }
}
