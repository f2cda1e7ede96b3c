package org.fieldstream.reports;

import java.util.List;
import java.util.Map;

/** A self-contained page: inline CSS and SVG, no script, font or link to anything outside it. */
final class HtmlPage {

    private static final String STYLE = """
            body { font-family: sans-serif; margin: 24px; color: #222; }
            h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; }
            p.note { color: #555; margin: 4px 0 8px; }
            table { border-collapse: collapse; font-size: 13px; }
            th, td { border: 1px solid #ccc; padding: 3px 8px; white-space: nowrap; } th { background: #f0f0f0; text-align: left; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            svg text { font-size: 12px; fill: #333; } svg .grid { stroke: #e4e4e4; } svg .axis { stroke: #444; }
            """;

    private HtmlPage() {
    }

    static String render(ReportOutput report, String generatedAt) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(Html.escape("FieldStream " + report.title() + " report")).append("</title>\n<style>\n")
                .append(STYLE).append("</style>\n</head>\n<body>\n<h1>").append(Html.escape("FieldStream: " + report.title()))
                .append("</h1>\n<p class=\"note\">").append(Html.escape(report.filters() + "; generated " + generatedAt))
                .append("</p>\n");
        for (ReportOutput.Chart chart : report.charts()) {
            html.append("<h2>").append(Html.escape(chart.title())).append("</h2>\n").append(chart(chart));
        }
        for (ReportOutput.Section<?> section : report.sections()) {
            html.append("<h2>").append(Html.escape(section.title())).append("</h2>\n");
            if (!section.note().isEmpty()) {
                html.append("<p class=\"note\">").append(Html.escape(section.note())).append("</p>\n");
            }
            html.append(table(section.type().names(), section.printed()));
        }
        return html.append("</body>\n</html>\n").toString();
    }

    private static String chart(ReportOutput.Chart chart) {
        // Java 17: no pattern matching in switch yet
        if (chart instanceof ReportOutput.SurvivalCurves curves) {
            return curves.curves().isEmpty() && curves.pooled().isEmpty()
                    ? "<p class=\"note\">No survival curve points for these filters.</p>\n" : SvgCharts.survival(curves);
        }
        ReportOutput.MonthlyReach reach = (ReportOutput.MonthlyReach) chart;
        return reach.months().isEmpty() ? "<p class=\"note\">Nobody reached in these months.</p>\n" : SvgCharts.monthlyBars(reach);
    }

    private static String table(List<String> columns, List<Map<String, String>> rows) {
        if (rows.isEmpty()) {
            return "<p class=\"note\">(no rows)</p>\n";
        }
        StringBuilder out = new StringBuilder("<table>\n<tr>");
        columns.forEach(c -> out.append("<th>").append(Html.escape(c)).append("</th>"));
        out.append("</tr>\n");
        for (Map<String, String> row : rows) {
            out.append("<tr>");
            for (String column : columns) {
                String value = row.get(column) == null ? "" : row.get(column);
                out.append(TextTable.isNumber(value) ? "<td class=\"num\">" : "<td>").append(Html.escape(value)).append("</td>");
            }
            out.append("</tr>\n");
        }
        return out.append("</table>\n").toString();
    }
}
