package org.fieldstream.app.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

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

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** {@code {"context": {...}, "figures": [{...}, ...]}}; NaN becomes null. */
    static String json(Map<String, String> context, List<Figure> figures) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode contextNode = root.putObject("context");
        context.forEach(contextNode::put);
        ArrayNode list = root.putArray("figures");
        for (Figure figure : figures) {
            ObjectNode node = list.addObject();
            node.put("name", figure.name());
            number(node, "value", figure.value());
            node.put("unit", figure.unit());
            node.put("baseline_name", figure.baselineName());
            number(node, "baseline", figure.baseline());
            number(node, "ratio", figure.ratio());
            node.put("target", figure.target());
            if (figure.met() == null) {
                node.putNull("met");
            } else {
                node.put("met", figure.met());
            }
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the figures as JSON", e);
        }
    }

    private static void number(ObjectNode node, String field, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            node.putNull(field);
        } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            node.put(field, (long) value);
        } else {
            node.put(field, value);
        }
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
}
