package org.fieldstream.app.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a run's figures as one aligned text table and as JSON with the same content. */
final class BenchReport {

    private static final List<String> HEADER = List.of("figure", "value", "unit", "baseline", "ratio", "target", "met");

    private BenchReport() {
    }

    static String table(List<Figure> figures) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (Figure f : figures) {
            rows.add(List.of(f.name(), number(f.value()), f.unit(),
                    Double.isNaN(f.baseline()) ? "" : number(f.baseline()) + " (" + f.baselineName() + ")",
                    Double.isNaN(f.ratio()) ? "" : String.format(Locale.ROOT, "%.2f", f.ratio()),
                    f.target(), f.met() == null ? "" : f.met() ? "yes" : "NO"));
        }
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int c = 0; c < row.size(); c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.size(); c++) {
                boolean right = r > 0 && (c == 1 || c == 4);
                String cell = row.get(c);
                String pad = " ".repeat(widths[c] - cell.length());
                line.append(c == 0 ? "" : "  ").append(right ? pad + cell : cell + pad);
            }
            out.append(line.toString().stripTrailing()).append('\n');
            if (r == 0) {
                int total = line.length();
                out.append("-".repeat(total)).append('\n');
            }
        }
        return out.toString();
    }

    /** {@code {"context": {...}, "figures": [{...}, ...]}}; NaN becomes null. */
    static String json(Map<String, String> context, List<Figure> figures) {
        StringBuilder out = new StringBuilder("{\n  \"context\": {");
        int i = 0;
        for (var entry : context.entrySet()) {
            out.append(i++ == 0 ? "\n" : ",\n").append("    ").append(string(entry.getKey())).append(": ")
                    .append(string(entry.getValue()));
        }
        out.append("\n  },\n  \"figures\": [");
        for (int f = 0; f < figures.size(); f++) {
            Figure figure = figures.get(f);
            out.append(f == 0 ? "\n" : ",\n").append("    {\"name\": ").append(string(figure.name()))
                    .append(", \"value\": ").append(jsonNumber(figure.value()))
                    .append(", \"unit\": ").append(string(figure.unit()))
                    .append(", \"baseline_name\": ").append(string(figure.baselineName()))
                    .append(", \"baseline\": ").append(jsonNumber(figure.baseline()))
                    .append(", \"ratio\": ").append(jsonNumber(figure.ratio()))
                    .append(", \"target\": ").append(string(figure.target()))
                    .append(", \"met\": ").append(figure.met() == null ? "null" : figure.met().toString()).append('}');
        }
        return out.append("\n  ]\n}\n").toString();
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        if (Math.abs(value) >= 100 || value == Math.rint(value)) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String jsonNumber(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "null";
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.4f", value);
    }

    static String string(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
