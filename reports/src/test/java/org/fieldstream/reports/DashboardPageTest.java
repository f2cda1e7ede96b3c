package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fieldstream.reports.ReportRows.CohortRetentionRow;
import org.fieldstream.reports.ReportRows.DeadLetterRow;
import org.fieldstream.reports.ReportRows.FreshnessRow;
import org.fieldstream.reports.ReportRows.ReachByGroupRow;
import org.fieldstream.reports.ReportRows.ReachRow;
import org.fieldstream.reports.ReportRows.ReachToDateRow;
import org.fieldstream.reports.ReportRows.RetentionSummaryRow;
import org.fieldstream.reports.ReportRows.RetentionTotalsRow;
import org.fieldstream.reports.ReportRows.SurvivalPointRow;
import org.fieldstream.reports.ReportRows.TargetRow;
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
        assertEquals(List.of("retention-by-partner-district", "retention-per-cohort", "pooled-survival", "survival-points", "reached-per-month",
                "reached-per-quarter", "reached-to-date", "targets-vs-actuals", "freshness", "dead-letters"), sections(html));
        assertTrue(html.contains("<td class=\"num\" data-col=\"enrolled\" data-value=\"1234\">1,234</td>"), html);
        assertTrue(html.contains("<td class=\"num\" data-col=\"retention_rate\" data-value=\"0.7123\">71.2%</td>"));
        assertTrue(html.contains("<td data-col=\"partner_id\" data-value=\"ndp\">NDP</td>"));
        assertTrue(html.contains("<td data-col=\"district_id\" data-value=\"\">–</td>"), "a cohort above district level");
        assertTrue(html.contains("<div class=\"tile\" data-metric=\"enrolled\" data-value=\"1234\"><div class=\"value\">1,234</div>"));
        assertTrue(html.contains("data-metric=\"people_reached_to_date\" data-key=\"shouhardo3\" data-value=\"20\""));
        // the lag cell: the report's text shown, its seconds in data-value
        assertTrue(html.contains("<td class=\"num\" data-col=\"lag\" data-value=\"3600\">1h 00m 00s</td>"));
        assertTrue(html.contains("<td class=\"num\" data-col=\"lag\" data-value=\"\">no rows</td>"), "an empty table has no lag");
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
        assertEquals(List.of("shouhardo3", "program", "shouhardo3", "2026-01", "12", "12", "5", "3", "4"), januaryRow);
        assertEquals(List.of("shouhardo3", "program", "shouhardo3", "2026-02", "15", "6", "0", "9", "6"), rowCells(month, "2026-02"));
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
            String link = links.group(2);
            assertTrue(link.startsWith("#") || (link.startsWith("/") && !link.startsWith("//") && !link.contains(":")), link);
        }
        assertTrue(html.contains("<option value=\"mms\" selected>"));
        assertTrue(html.contains("<option value=\"shouhardo3\" selected>SHOUHARDO III (shouhardo3)</option>"));
    }

    @Test
    void linksEveryCountOfPersonsToItsExplanationAndNothingElse() {
        String html = DashboardPage.render(dashboard(Filters.NONE, true), 30);
        String cohort = ExplainLinks.cohort("shouhardo3", "ndp", HOSTILE, "dropped_out");
        assertEquals("/explain?program=shouhardo3&partner=ndp&cohort=%3Cscript%3Ealert%28%27x%27%29%3C%2Fscript%3E%26%22&figure=dropped_out",
                cohort);
        assertTrue(table(html, DashboardListing.COHORTS).contains("<td class=\"num\" data-col=\"dropped_out\" data-value=\"355\"><a href=\""
                + Html.escape(cohort) + "\">355</a></td>"), table(html, DashboardListing.COHORTS));
        assertTrue(table(html, "retention-by-partner-district").contains("<td class=\"num\" data-col=\"enrolled\" data-value=\"1234\">1,234</td>"),
                "a sum over cohorts has no explanation");
        assertTrue(table(html, "survival-points").contains("<a href=\"/explain?program=shouhardo3&amp;partner=ndp&amp;cohort="));
        assertFalse(table(html, "pooled-survival").contains("<a "), "pooled survival has no explanation");
        String month = table(html, "reached-per-month");
        assertTrue(month.contains("data-value=\"12\"><a href=\"/explain?program=shouhardo3&amp;period=2026-01&amp;figure=people_reached\">12</a>"),
                month);
        assertTrue(month.contains("<a href=\"/explain?program=shouhardo3&amp;period=2026-01&amp;sex=female&amp;age-band=youth_15_29"
                + "&amp;figure=people_reached\">5</a>"), month);
        assertTrue(month.contains("data-col=\"female/youth_15_29\" data-value=\"0\">0</td>"), "a 0 counts nobody: no link");
        assertTrue(table(html, "reached-per-quarter").contains("/explain?program=shouhardo3&amp;quarter=2026-Q1&amp;figure=new_people_reached"));
        assertTrue(table(html, "reached-to-date").contains("/explain?program=shouhardo3&amp;to-date=1&amp;figure=people_reached"));
        String targets = table(html, "targets-vs-actuals");
        assertTrue(targets.contains("<a href=\"/explain?program=shouhardo3&amp;quarter=2026-Q1&amp;indicator=people_reached&amp;figure=actual\">20</a>"),
                targets);
        assertTrue(targets.contains("data-col=\"actual\" data-value=\"\">–</td>"), "no actual, no link");
        assertFalse(table(html, "freshness").contains("<a "));

        Matcher links = Pattern.compile("href=\"(/explain\\?[^\"]*)\"").matcher(html);
        int count = 0;
        while (links.find()) {
            String query = links.group(1).replace("&amp;", "&").substring("/explain?".length());
            ExplainPage.Request request = ExplainPage.parse(query);
            assertTrue(query.endsWith("figure=" + request.options().figure), query);
            count++;
        }
        assertEquals(20, count, "links to explanations on the page");
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
                ReportOutput.Section.of(RetentionReport.PER_COHORT, "", CohortRetentionRow.class, List.of(new CohortRetentionRow(
                        "shouhardo3", "ndp", "", HOSTILE, 6, 5, 1234, 800, 79, 355, 1, 4000, 5000, 0.7123, 0.2877, 0.064, 0.8,
                        "2026-04-10 11:00:00"))),
                ReportOutput.Section.of(RetentionReport.BY_PARTNER_DISTRICT, "", RetentionTotalsRow.class, List.of(new RetentionTotalsRow(
                        "shouhardo3", "ndp", "bd-sirajganj", 1, 1234, 800, 79, 355, 1, 4000, 5000, 0.7123, 0.2877, 0.064, 0.8))),
                ReportOutput.Section.of(RetentionReport.ALL_COHORTS, "", RetentionSummaryRow.class, List.of(new RetentionSummaryRow(
                        1, 1234, 800, 79, 355, 1, 4000, 5000, 0.7123, 0.2877, 0.064, 0.8))),
                ReportOutput.Section.of(RetentionReport.CURVE_POINTS, "", SurvivalPointRow.class, List.of(new SurvivalPointRow(
                        "shouhardo3", "ndp", HOSTILE, 1, "2026-01-15", 1234, 1000, 0.8104))),
                ReportOutput.Section.of(RetentionReport.POOLED, "", ReportRows.PooledSurvivalRow.class, List.of(
                        new ReportRows.PooledSurvivalRow(1, 1, 1234, 1000, 0.8104, 0.8104, 0.8104)))),
                List.of(new ReportOutput.SurvivalCurves("curves", Map.of(HOSTILE, List.of(new ReportOutput.CurvePoint(1, 0.8104))))));
        ReportOutput outreach = !withOutreach ? null : new ReportOutput("Outreach", filters.describe(), List.of(
                ReportOutput.Section.of(OutreachReport.PER_MONTH, "", ReachRow.class, List.of(reach("2026-01", 12, 12), reach("2026-02", 15, 6))),
                ReportOutput.Section.of(OutreachReport.PER_QUARTER, "", ReachRow.class, List.of(reach("2026-Q1", 20, 20))),
                ReportOutput.Section.of(OutreachReport.PER_MONTH_BY_GROUP, "", ReachByGroupRow.class, List.of(
                        group("2026-01", "female", "youth_15_29", 5), group("2026-01", "female", "adult_30_plus", 3),
                        group("2026-01", "male", "youth_15_29", 4), group("2026-02", "female", "adult_30_plus", 9),
                        group("2026-02", "male", "youth_15_29", 6))),
                ReportOutput.Section.of(OutreachReport.PER_QUARTER_BY_GROUP, "", ReachByGroupRow.class, List.of(
                        group("2026-Q1", "female", "youth_15_29", 20))),
                ReportOutput.Section.of(OutreachReport.TO_DATE, "", ReachToDateRow.class, List.of(new ReachToDateRow(
                        "shouhardo3", "program", "shouhardo3", 20, "2026-04-08 00:00:00"))),
                ReportOutput.Section.of(OutreachReport.TARGETS, "", TargetRow.class, List.of(
                        new TargetRow("shouhardo3", "people_reached", "2026-Q1", "program", "shouhardo3", 40, 20.0, 0.5),
                        new TargetRow("shouhardo3", "people_reached", "2026", "program", "shouhardo3", 100, null, null)))),
                List.of(new ReportOutput.MonthlyReach("reach", List.of("2026-01", "2026-02"),
                        Map.of("shouhardo3", Map.of("2026-01", 12L, "2026-02", 15L)))));
        ReportOutput freshness = new ReportOutput("Freshness", "now", List.of(
                ReportOutput.Section.of(FreshnessReport.PER_TABLE, "", FreshnessRow.class, List.of(
                        new FreshnessRow("cohort_retention", 4, "2026-04-10 11:00:00", "2026-04-10 11:00:05", 3600L),
                        new FreshnessRow("dialogues", 0, null, null, null))),
                ReportOutput.Section.of(FreshnessReport.DEAD_LETTERS, "none", DeadLetterRow.class, List.of())), List.of());
        return new Dashboard(filters, CHOICES, retention, outreach, freshness, READ_AT);
    }

    private static ReachRow reach(String period, long reached, long newlyReached) {
        return new ReachRow("shouhardo3", "program", "shouhardo3", period, reached, newlyReached);
    }

    private static ReachByGroupRow group(String period, String sex, String band, long reached) {
        return new ReachByGroupRow("shouhardo3", "program", "shouhardo3", period, sex, band, reached, 0);
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
