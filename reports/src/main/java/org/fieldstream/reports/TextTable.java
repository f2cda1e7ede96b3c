package org.fieldstream.reports;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Prints query rows as an aligned text table; numbers (and hidden small counts) right-aligned. */
public final class TextTable {

    /** A number, or a hidden small count ({@code <5}), right-aligned like the counts beside it. */
    private static final Pattern NUMBER = Pattern.compile("<?-?\\d+(\\.\\d+)?");

    private TextTable() {
    }

    /** Rows whose columns are the first row's keys. */
    public static void print(List<Map<String, String>> rows, PrintStream out) {
        print(rows.isEmpty() ? List.of() : new ArrayList<>(rows.get(0).keySet()), rows, out);
    }

    /** Rows in the given columns; a row without one of them prints it empty. */
    public static void print(List<String> columns, List<Map<String, String>> rows, PrintStream out) {
        if (rows.isEmpty()) {
            out.println("  (no rows)");
            return;
        }
        int[] widths = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            widths[c] = columns.get(c).length();
            for (Map<String, String> row : rows) {
                widths[c] = Math.max(widths[c], text(row.get(columns.get(c))).length());
            }
        }
        StringBuilder header = new StringBuilder(" ");
        StringBuilder rule = new StringBuilder(" ");
        for (int c = 0; c < columns.size(); c++) {
            header.append(' ').append(pad(columns.get(c), widths[c], false));
            rule.append(' ').append("-".repeat(widths[c]));
        }
        out.println(header);
        out.println(rule);
        for (Map<String, String> row : rows) {
            StringBuilder line = new StringBuilder(" ");
            for (int c = 0; c < columns.size(); c++) {
                String value = text(row.get(columns.get(c)));
                line.append(' ').append(pad(value, widths[c], isNumber(value)));
            }
            out.println(line);
        }
    }

    static boolean isNumber(String value) {
        return NUMBER.matcher(value).matches();
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static String pad(String value, int width, boolean right) {
        String spaces = " ".repeat(width - value.length());
        return right ? spaces + value : value + spaces;
    }
}
