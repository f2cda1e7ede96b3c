package org.fieldstream.reports;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Inline SVG for the HTML page: survival curves (one path per cohort) and grouped monthly bars.
 * Plain SVG elements only, so the page needs no script, font or network. Each point and bar carries
 * its figure in {@code data-*} attributes for tests and tools that read the page.
 */
final class SvgCharts {

    static final List<String> PALETTE = List.of("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
            "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf");
    private static final int WIDTH = 960;
    private static final int LEFT = 70;
    private static final int RIGHT = 230;
    private static final int TOP = 20;
    private static final int LEGEND_ROW = 18;

    private SvgCharts() {
    }

    static String survival(ReportOutput.SurvivalCurves chart) {
        int height = 440;
        int bottom = 55;
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = height - TOP - bottom;
        int maxSession = Math.max(chart.curves().values().stream().flatMap(List::stream)
                .mapToInt(ReportOutput.CurvePoint::session).max().orElse(1),
                chart.pooled().stream().mapToInt(ReportOutput.PooledPoint::session).max().orElse(1));
        StringBuilder svg = open(height, chart.title());
        for (int i = 0; i <= 4; i++) {
            double y = TOP + plotH * (1 - i / 4.0);
            svg.append(line(LEFT, y, LEFT + plotW, y, "grid"))
                    .append(text(LEFT - 8, y + 4, "end", (i * 25) + "%"));
        }
        int step = Math.max(1, (int) Math.ceil(maxSession / 12.0));
        for (int s = 1; s <= maxSession; s += step) {
            svg.append(text(sessionX(s, maxSession, plotW), TOP + plotH + 18, "middle", String.valueOf(s)));
        }
        svg.append(axes(plotW, plotH))
                .append(text(LEFT + plotW / 2, height - 12, "middle", "session number"))
                .append(verticalLabel(plotH, "survival rate"));
        svg.append(pooled(chart.pooled(), maxSession, plotW, plotH));
        int index = 0;
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, List<ReportOutput.CurvePoint>> curve : chart.curves().entrySet()) {
            String color = PALETTE.get(index++ % PALETTE.size());
            names.add(curve.getKey());
            StringBuilder d = new StringBuilder();
            StringBuilder dots = new StringBuilder();
            for (ReportOutput.CurvePoint p : curve.getValue()) {
                double x = sessionX(p.session(), maxSession, plotW);
                double y = TOP + plotH * (1 - Math.max(0, Math.min(1, p.rate())));
                d.append(d.length() == 0 ? "M" : " L").append(num(x)).append(' ').append(num(y));
                dots.append("<circle cx=\"").append(num(x)).append("\" cy=\"").append(num(y)).append("\" r=\"3\" fill=\"")
                        .append(color).append("\" data-curve=\"").append(Html.escape(curve.getKey())).append("\" data-session=\"")
                        .append(p.session()).append("\" data-value=\"").append(p.rate()).append("\"><title>").append(Html.escape(curve.getKey() + ", session " + p.session()
                                + ": " + percent(p.rate()))).append("</title></circle>");
            }
            svg.append("<path class=\"curve\" d=\"").append(d).append("\" fill=\"none\" stroke=\"").append(color)
                    .append("\" stroke-width=\"2\"><title>").append(Html.escape(curve.getKey())).append("</title></path>")
                    .append(dots);
        }
        return svg.append(legend(names, plotH)).append("</svg>\n").toString();
    }

    /** The 10th–90th percentile band of the cohorts' curves and the pooled curve over it, each point with its figures. */
    private static String pooled(List<ReportOutput.PooledPoint> points, int maxSession, double plotW, double plotH) {
        if (points.isEmpty()) {
            return "";
        }
        StringBuilder band = new StringBuilder();
        StringBuilder line = new StringBuilder();
        StringBuilder dots = new StringBuilder();
        for (ReportOutput.PooledPoint p : points) {
            band.append(band.length() == 0 ? "M" : " L").append(num(sessionX(p.session(), maxSession, plotW))).append(' ').append(num(y(p.high(), plotH)));
        }
        for (int i = points.size() - 1; i >= 0; i--) {
            ReportOutput.PooledPoint p = points.get(i);
            band.append(" L").append(num(sessionX(p.session(), maxSession, plotW))).append(' ').append(num(y(p.low(), plotH)));
        }
        for (ReportOutput.PooledPoint p : points) {
            double x = sessionX(p.session(), maxSession, plotW);
            line.append(line.length() == 0 ? "M" : " L").append(num(x)).append(' ').append(num(y(p.rate(), plotH)));
            dots.append("<circle cx=\"").append(num(x)).append("\" cy=\"").append(num(y(p.rate(), plotH)))
                    .append("\" r=\"3\" fill=\"#17494d\" data-pooled-session=\"").append(p.session()).append("\" data-value=\"").append(p.rate())
                    .append("\" data-low=\"").append(p.low()).append("\" data-high=\"").append(p.high()).append("\"><title>")
                    .append(Html.escape("session " + p.session() + ": " + percent(p.rate()) + " pooled, cohorts' 10th–90th percentile "
                            + percent(p.low()) + "–" + percent(p.high()))).append("</title></circle>");
        }
        return "<path class=\"band\" d=\"" + band + " Z\" fill=\"#17494d\" fill-opacity=\"0.15\" stroke=\"none\"><title>"
                + "cohorts' 10th to 90th percentile</title></path><path class=\"pooled\" d=\"" + line
                + "\" fill=\"none\" stroke=\"#17494d\" stroke-width=\"3\"><title>persons pooled</title></path>" + dots;
    }

    private static double y(double rate, double plotH) {
        return TOP + plotH * (1 - Math.max(0, Math.min(1, rate)));
    }

    static String monthlyBars(ReportOutput.MonthlyReach chart) {
        int height = 420;
        int bottom = 80;
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = height - TOP - bottom;
        long max = chart.series().values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).max().orElse(0);
        long top = niceCeiling(max);
        StringBuilder svg = open(height, chart.title());
        for (int i = 0; i <= 5; i++) {
            double y = TOP + plotH * (1 - i / 5.0);
            svg.append(line(LEFT, y, LEFT + plotW, y, "grid")).append(text(LEFT - 8, y + 4, "end", String.valueOf(top * i / 5)));
        }
        int months = Math.max(1, chart.months().size());
        int seriesCount = Math.max(1, chart.series().size());
        double groupW = plotW / months;
        double barW = groupW * 0.8 / seriesCount;
        for (int m = 0; m < chart.months().size(); m++) {
            String month = chart.months().get(m);
            double groupX = LEFT + groupW * m + groupW * 0.1;
            int s = 0;
            for (Map.Entry<String, Map<String, Long>> series : chart.series().entrySet()) {
                Long value = series.getValue().get(month);
                if (value != null) {
                    double h = top == 0 ? 0 : plotH * value / top;
                    svg.append("<rect class=\"bar\" x=\"").append(num(groupX + barW * s)).append("\" y=\"").append(num(TOP + plotH - h))
                            .append("\" width=\"").append(num(Math.max(1, barW - 1))).append("\" height=\"").append(num(h))
                            .append("\" fill=\"").append(PALETTE.get(s % PALETTE.size())).append("\" data-series=\"")
                            .append(Html.escape(series.getKey())).append("\" data-month=\"").append(Html.escape(month))
                            .append("\" data-value=\"").append(value).append("\"><title>")
                            .append(Html.escape(series.getKey() + " " + month + ": " + value)).append("</title></rect>");
                }
                s++;
            }
            double labelX = LEFT + groupW * (m + 0.5);
            double labelY = TOP + plotH + 16;
            svg.append(months > 12
                    ? "<text x=\"%s\" y=\"%s\" text-anchor=\"end\" transform=\"rotate(-45 %s %s)\">%s</text>"
                            .formatted(num(labelX), num(labelY), num(labelX), num(labelY), Html.escape(month))
                    : text(labelX, labelY, "middle", month));
        }
        svg.append(axes(plotW, plotH)).append(verticalLabel(plotH, "people reached"))
                .append(legend(new ArrayList<>(chart.series().keySet()), plotH));
        return svg.append("</svg>\n").toString();
    }

    /** The smallest 1, 2 or 5 × 10^k at or above the value (at least 1). */
    static long niceCeiling(long value) {
        long magnitude = 1;
        while (true) {
            for (long f : new long[] {1, 2, 5}) {
                if (f * magnitude >= value) {
                    return f * magnitude;
                }
            }
            magnitude *= 10;
        }
    }

    private static StringBuilder open(int height, String title) {
        return new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"" + WIDTH + "\" height=\"" + height
                + "\" viewBox=\"0 0 " + WIDTH + " " + height + "\"><title>" + Html.escape(title) + "</title>");
    }

    private static double sessionX(int session, int maxSession, double plotW) {
        return maxSession <= 1 ? LEFT + plotW / 2 : LEFT + plotW * (session - 1) / (maxSession - 1);
    }

    private static String axes(double plotW, double plotH) {
        return line(LEFT, TOP, LEFT, TOP + plotH, "axis") + line(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH, "axis");
    }

    private static String verticalLabel(double plotH, String label) {
        double y = TOP + plotH / 2;
        return "<text x=\"18\" y=\"%s\" text-anchor=\"middle\" transform=\"rotate(-90 18 %s)\">%s</text>"
                .formatted(num(y), num(y), Html.escape(label));
    }

    /** As many names as fit beside the plot, then "+N more". */
    private static String legend(List<String> names, double plotH) {
        int fits = Math.max(1, (int) (plotH / LEGEND_ROW) - 1);
        double x = WIDTH - RIGHT + 20;
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < names.size() && i < fits; i++) {
            double y = TOP + 10 + i * LEGEND_ROW;
            out.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(y - 9)).append("\" width=\"14\" height=\"10\" fill=\"")
                    .append(PALETTE.get(i % PALETTE.size())).append("\"/>")
                    .append(text(x + 20, y, "start", names.get(i)));
        }
        if (names.size() > fits) {
            out.append(text(x + 20, TOP + 10 + fits * LEGEND_ROW, "start", "+" + (names.size() - fits) + " more"));
        }
        return out.toString();
    }

    private static String line(double x1, double y1, double x2, double y2, String cls) {
        return "<line class=\"%s\" x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\"/>".formatted(cls, num(x1), num(y1), num(x2), num(y2));
    }

    private static String text(double x, double y, String anchor, String content) {
        return "<text x=\"%s\" y=\"%s\" text-anchor=\"%s\">%s</text>".formatted(num(x), num(y), anchor, Html.escape(content));
    }

    private static String num(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String percent(double rate) {
        return String.format(Locale.ROOT, "%.1f%%", rate * 100);
    }
}
