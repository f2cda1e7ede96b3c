package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class DashboardPageTest {

    private static final String HOSTILE = "<script>alert('x')</script>&\"";
    private static final Instant READ_AT = Instant.parse("2026-04-10T12:00:00Z");
    private static final ReferenceCheck.Choices CHOICES = new ReferenceCheck.Choices(
            List.of(new ReferenceCheck.Choice("shouhardo3", "SHOUHARDO III", "shouhardo3")),
            List.of(new ReferenceCheck.Choice("ndp", "NDP", "shouhardo3"), new ReferenceCheck.Choice("mms", HOSTILE, "shouhardo3")),
            List.of(new ReferenceCheck.Choice("bd-sirajganj", "Sirajganj", "")));

    @Test
    void showsEveryFigureWithItsReportTextInDataAttributes() {
        String html = DashboardPage.render(dashboard(Filters.NONE, true), 30);

        assertTrue(html.contains("<meta http-equiv=\"refresh\" content=\"30\">"));
        assertEquals(List.of("retention-by-partner-district", "retention-per-cohort", "survival-points", "reached-per-month",
                "reached-per-quarter", "reached-to-date", "targets-vs-actuals", "freshness", "dead-letters"), sections(html));
        assertTrue(html.contains("<td class=\"num\" data-col=\"enrolled\" data-value=\"1234\">1,234</td>"), html);
        assertTrue(html.contains("<td class=\"num\" data-col=\"retention_rate\" data-value=\"0.7123\">71.2%</td>"));
        assertTrue(html.contains("<td data-col=\"partner_id\" data-value=\"ndp\">NDP</td>"));
        assertTrue(html.contains("<td data-col=\"district_id\" data-value=\"\">–</td>"), "a cohort above district level");
        assertTrue(html.contains("<div class=\"tile\" data-metric=\"enrolled\" data-value=\"1234\"><div class=\"value\">1,234</div>"));
        assertTrue(html.contains("data-metric=\"people_reached_to_date\" data-key=\"shouhardo3\" data-value=\"20\""));
        // the lag cell: the report's text shown, its seconds in data-value
        assertTrue(html.contains("<td class=\"num\" data-col=\"lag\" data-value=\"3600\">1h 00m 00s</td>"));
        // a target without an exact actual
        assertTrue(html.contains("<td class=\"num\" data-col=\"actual\" data-value=\"\">–</td>"));
        assertTrue(html.contains("<td class=\"num\" data-col=\"achievement\" data-value=\"0.5\">50.0%<span class=\"meter\">"));
    }

    @Test
    void pivotsSexAndAgeCellsNextToTheMonthTotalsWithZeroForCellsNobodyIsIn() {
        String html = DashboardPage.render(dashboard(Filters.NONE, true), 30);
        String month = table(html, "reached-per-month");
        assertTrue(month.contains("<th colspan=\"2\">Female</th><th colspan=\"1\">Male</th>"), month);
        List<String> januaryRow = rowCells(month, "2026-01");
        assertEquals(List.of("shouhardo3", "shouhardo3", "2026-01", "12", "12", "5", "3", "4"), januaryRow);
        assertEquals(List.of("shouhardo3", "shouhardo3", "2026-02", "15", "6", "0", "9", "6"), rowCells(month, "2026-02"));
        assertTrue(month.contains("<th class=\"num\">15–29</th><th class=\"num\">30+</th><th class=\"num\">15–29</th>"), month);
    }

    @Test
    void escapesEveryTextAndLoadsNothingFromElsewhere() {
        String html = DashboardPage.render(dashboard(new Filters("shouhardo3", "mms", null, null, null), true), 5);
        assertFalse(html.contains("<script"), "unescaped text in the page");
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;"));
        for (String external : List.of("src=", "@import", "url(", "<link", "<iframe", "<img")) {
            assertFalse(html.contains(external), external);
        }
        Matcher links = Pattern.compile("(href|action)=\"([^\"]*)\"").matcher(html);
        while (links.find()) {
            assertTrue(links.group(2).equals("/") || links.group(2).startsWith("#"), links.group());
        }
        assertTrue(html.contains("<option value=\"mms\" selected>"));
        assertTrue(html.contains("<option value=\"shouhardo3\" selected>SHOUHARDO III (shouhardo3)</option>"));
    }

    @Test
    void saysWhyOutreachIsMissingWhenBothPartnerAndDistrictAreChosen() {
        String html = DashboardPage.render(dashboard(new Filters(null, "ndp", "bd-sirajganj", null, null), false), 30);
        assertTrue(html.contains("data-outreach=\"none\""));
        assertTrue(html.contains(Dashboard.OUTREACH_NEEDS_ONE));
        assertFalse(html.contains("data-section=\"reached-per-month\""));
        assertFalse(html.contains("people_reached_to_date"));
        assertTrue(html.contains("data-section=\"retention-by-partner-district\""));
    }

    @Test
    void anErrorPageEscapesItsMessageAndRefreshesOnlyWhenAsked() {
        String refused = DashboardPage.error("unknown partner " + HOSTILE, Filters.NONE, CHOICES, 30, false);
        assertTrue(refused.contains("data-error=\"true\">unknown partner &lt;script&gt;"));
        assertFalse(refused.contains("http-equiv"));
        assertTrue(refused.contains("<form class=\"filters\""));
        String unavailable = DashboardPage.error("ClickHouse did not answer", null, null, 30, true);
        assertTrue(unavailable.contains("<meta http-equiv=\"refresh\" content=\"30\">"));
        assertFalse(unavailable.contains("<form"));
    }

    @Test
    void formatsCountsRatesAndNumbers() {
        assertEquals("1,234,567", DashboardCells.count("1234567"));
        assertEquals("–", DashboardCells.count(""));
        assertEquals("71.2%", DashboardCells.percent("0.7123"));
        assertEquals("100.0%", DashboardCells.percent("1"));
        assertEquals("–", DashboardCells.percent(null));
        assertEquals("–", DashboardCells.percent("nan"));
        assertEquals("40", DashboardCells.number("40"));
        assertEquals("1,500.25", DashboardCells.number("1500.25"));
    }

    static Dashboard dashboard(Filters filters, boolean withOutreach) {
        ReportOutput retention = new ReportOutput("Retention", filters.describe(), List.of(
                new ReportOutput.Section("Retention per cohort", "", List.of(row("program_id", "shouhardo3", "partner_id", "ndp",
                        "district_id", "", "cohort_id", HOSTILE, "sessions_planned", "6", "sessions_held", "5", "enrolled", "1234",
                        "active", "800", "completed", "79", "dropped_out", "355", "transferred", "1", "retention_rate", "0.7123",
                        "dropout_rate", "0.2877", "completion_rate", "0.064", "attendance_rate", "0.8", "as_of", "2026-04-10 11:00:00"))),
                new ReportOutput.Section("Retention by partner and district", "", List.of(row("program_id", "shouhardo3", "partner_id", "ndp",
                        "district_id", "bd-sirajganj", "cohorts", "1", "enrolled", "1234", "active", "800", "completed", "79",
                        "dropped_out", "355", "transferred", "1", "retention_rate", "0.7123", "dropout_rate", "0.2877",
                        "completion_rate", "0.064", "attendance_rate", "0.8"))),
                new ReportOutput.Section("Retention of all cohorts shown", "", List.of(row("cohorts", "1", "enrolled", "1234", "active", "800",
                        "completed", "79", "dropped_out", "355", "transferred", "1", "retention_rate", "0.7123", "dropout_rate", "0.2877",
                        "completion_rate", "0.064", "attendance_rate", "0.8"))),
                new ReportOutput.Section("Survival curve points", "", List.of(row("program_id", "shouhardo3", "partner_id", "ndp",
                        "cohort_id", HOSTILE, "session_number", "1", "held_on", "2026-01-15", "enrolled", "1234", "surviving", "1000",
                        "survival_rate", "0.8104")))),
                List.of(new ReportOutput.SurvivalCurves("curves", Map.of(HOSTILE, List.of(new ReportOutput.CurvePoint(1, 0.8104))))));
        ReportOutput outreach = !withOutreach ? null : new ReportOutput("Outreach", filters.describe(), List.of(
                new ReportOutput.Section("People reached per month", "", List.of(
                        reach("month", "2026-01", "12", "12"), reach("month", "2026-02", "15", "6"))),
                new ReportOutput.Section("People reached per quarter", "", List.of(reach("quarter", "2026-Q1", "20", "20"))),
                new ReportOutput.Section("People reached per month by sex and age band", "", List.of(
                        group("month", "2026-01", "female", "youth_15_29", "5"), group("month", "2026-01", "female", "adult_30_plus", "3"),
                        group("month", "2026-01", "male", "youth_15_29", "4"), group("month", "2026-02", "female", "adult_30_plus", "9"),
                        group("month", "2026-02", "male", "youth_15_29", "6"))),
                new ReportOutput.Section("People reached per quarter by sex and age band", "", List.of(
                        group("quarter", "2026-Q1", "female", "youth_15_29", "20"))),
                new ReportOutput.Section("People reached to date", "", List.of(row("program_id", "shouhardo3", "dimension", "program",
                        "dimension_id", "shouhardo3", "people_reached", "20", "as_of", "2026-04-08 00:00:00"))),
                new ReportOutput.Section("Targets vs actuals", "", List.of(
                        row("program_id", "shouhardo3", "indicator", "people_reached", "period", "2026-Q1", "dimension", "program",
                                "dimension_id", "shouhardo3", "target", "40", "actual", "20", "achievement", "0.5"),
                        row("program_id", "shouhardo3", "indicator", "people_reached", "period", "2026", "dimension", "program",
                                "dimension_id", "shouhardo3", "target", "100", "actual", null, "achievement", null)))),
                List.of(new ReportOutput.MonthlyReach("reach", List.of("2026-01", "2026-02"),
                        Map.of("shouhardo3", Map.of("2026-01", 12L, "2026-02", 15L)))));
        ReportOutput freshness = new ReportOutput("Freshness", "now", List.of(
                new ReportOutput.Section("Freshness per table", "", List.of(row("table_name", "cohort_retention", "row_count", "4",
                        "as_of", "2026-04-10 11:00:00", "updated_at", "2026-04-10 11:00:05", "lag", "1h 00m 00s", "lag_seconds", "3600"))),
                new ReportOutput.Section("Dead letters per topic", "none", List.of())), List.of());
        return new Dashboard(filters, CHOICES, retention, outreach, freshness, READ_AT);
    }

    private static Map<String, String> reach(String kind, String period, String reached, String newlyReached) {
        return row("program_id", "shouhardo3", "dimension", "program", "dimension_id", "shouhardo3", kind, period,
                "people_reached", reached, "new_people_reached", newlyReached);
    }

    private static Map<String, String> group(String kind, String period, String sex, String band, String reached) {
        return row("program_id", "shouhardo3", "dimension", "program", "dimension_id", "shouhardo3", kind, period, "sex", sex,
                "age_band", band, "people_reached", reached, "new_people_reached", "0");
    }

    private static Map<String, String> row(String... pairs) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            row.put(pairs[i], pairs[i + 1]);
        }
        return row;
    }

    private static List<String> sections(String html) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("data-section=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static String table(String html, String section) {
        int start = html.indexOf("data-section=\"" + section + "\"");
        return html.substring(start, html.indexOf("</table>", start));
    }

    /** The data-value of every cell of the row whose cells include the given value. */
    private static List<String> rowCells(String table, String containing) {
        Matcher rows = Pattern.compile("<tr>(.*?)</tr>").matcher(table);
        while (rows.find()) {
            List<String> values = new ArrayList<>();
            Matcher cells = Pattern.compile("data-value=\"([^\"]*)\"").matcher(rows.group(1));
            while (cells.find()) {
                values.add(cells.group(1));
            }
            if (values.contains(containing)) {
                return values;
            }
        }
        throw new AssertionError("no row with " + containing + " in " + table);
    }
}
