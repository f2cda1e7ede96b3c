package org.fieldstream.app.browser;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fieldstream.reports.ReportCommand;

/** What {@code fieldstream report ...} prints, run in this JVM, with its tables read back by their rule lines. */
public record PrintedReport(String text) {

    public static PrintedReport run(Map<String, String> env, List<String> args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = ReportCommand.run(args.toArray(String[]::new), env, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        if (code != ReportCommand.OK) {
            throw new AssertionError("fieldstream report " + String.join(" ", args) + " exited with " + code + ":\n" + out);
        }
        return new PrintedReport(out);
    }

    public List<Map<String, String>> section(String title) {
        List<String> lines = text.lines().toList();
        int start = -1;
        for (int i = 0; i < lines.size() && start < 0; i++) {
            if (lines.get(i).equals(title) || lines.get(i).startsWith(title + " — ")) {
                start = i;
            }
        }
        if (start < 0) {
            throw new AssertionError("no section " + title + " in:\n" + text);
        }
        List<Map<String, String>> rows = new ArrayList<>();
        if (lines.get(start + 1).strip().equals("(no rows)")) {
            return rows;
        }
        String header = lines.get(start + 1);
        String rule = lines.get(start + 2);
        List<int[]> spans = new ArrayList<>();
        for (int i = 0; i < rule.length(); i++) {
            if (rule.charAt(i) == '-' && (i == 0 || rule.charAt(i - 1) == ' ')) {
                int end = rule.indexOf(' ', i);
                spans.add(new int[] {i, end < 0 ? rule.length() : end});
            }
        }
        for (int l = start + 3; l < lines.size() && !lines.get(l).isBlank(); l++) {
            Map<String, String> row = new LinkedHashMap<>();
            for (int[] span : spans) {
                row.put(cut(header, span), cut(lines.get(l), span));
            }
            rows.add(row);
        }
        return rows;
    }

    private static String cut(String line, int[] span) {
        return line.substring(Math.min(span[0], line.length()), Math.min(span[1], line.length())).strip();
    }
}
