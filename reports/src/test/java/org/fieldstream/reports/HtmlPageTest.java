package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class HtmlPageTest {

    private static final String HOSTILE = "<script>alert('x')</script>&\"";

    @Test
    void escapesMarkupQuotesAndAmpersands() {
        assertEquals("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;", Html.escape(HOSTILE));
        assertEquals("", Html.escape(null));
    }

    @Test
    void drawsOnePathPerCohortAndBarsPerMonthAndSeries() {
        Map<String, List<ReportOutput.CurvePoint>> curves = new LinkedHashMap<>();
        curves.put("c1", List.of(new ReportOutput.CurvePoint(1, 1.0), new ReportOutput.CurvePoint(2, 0.5)));
        curves.put("c2", List.of(new ReportOutput.CurvePoint(1, 0.8)));
        curves.put(HOSTILE, List.of(new ReportOutput.CurvePoint(1, 0.2)));
        Map<String, Map<String, Long>> series = new LinkedHashMap<>();
        series.put("ndp", Map.of("2026-01", 10L, "2026-02", 7L));
        series.put("mms", Map.of("2026-02", 3L));
        ReportOutput report = new ReportOutput("Retention", "partner " + HOSTILE,
                List.of(ReportOutput.Section.of("t", "n", ReportRows.ReachToDateRow.class,
                        List.of(new ReportRows.ReachToDateRow("p", "program", HOSTILE, 3, "2026-04-01 00:00:00")))),
                List.of(new ReportOutput.SurvivalCurves("curves", curves),
                        new ReportOutput.MonthlyReach("reach", List.of("2026-01", "2026-02"), series)));
        String html = HtmlPage.render(report, "2026-05-01 00:00:00 UTC");

        assertEquals(3, count(html, "<path class=\"curve\""));
        assertEquals(3, count(html, "<rect class=\"bar\""));
        assertEquals(2, count(html, "<svg "));
        assertFalse(html.contains("<script"), "unescaped text in the page");
        assertTrue(html.contains("&lt;script&gt;alert"));
        // self-contained: nothing fetched from elsewhere
        for (String external : List.of("src=", "href=", "@import", "url(", "<link", "<script")) {
            assertFalse(html.contains(external), external);
        }
        Matcher namespaces = Pattern.compile("https?://[^\"]*").matcher(html);
        while (namespaces.find()) {
            assertEquals("http://www.w3.org/2000/svg", namespaces.group());
        }
    }

    @Test
    void saysSoWhenThereIsNothingToDraw() {
        ReportOutput report = new ReportOutput("Retention", "no filters", List.of(),
                List.of(new ReportOutput.SurvivalCurves("curves", Map.of()),
                        new ReportOutput.MonthlyReach("reach", List.of(), Map.of())));
        String html = HtmlPage.render(report, "now");
        assertEquals(0, count(html, "<svg "));
        assertTrue(html.contains("No survival curve points"));
        assertTrue(html.contains("Nobody reached"));
    }

    @Test
    void barScaleEndsOnARoundNumber() {
        assertEquals(1, SvgCharts.niceCeiling(0));
        assertEquals(5, SvgCharts.niceCeiling(3));
        assertEquals(20, SvgCharts.niceCeiling(11));
        assertEquals(500, SvgCharts.niceCeiling(201));
        assertEquals(1000, SvgCharts.niceCeiling(1000));
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
