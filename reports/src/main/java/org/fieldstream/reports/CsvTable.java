package org.fieldstream.reports;

import java.util.List;
import java.util.Map;

/**
 * A dashboard table as CSV (RFC 4180): a UTF-8 byte order mark, so that spreadsheet programs read
 * Bengali names as UTF-8, a header of column names, then each row's figures as the
 * report has them ({@link RowType#values}); a field holding a comma, a quote or a line break is
 * quoted, its quotes doubled; lines end with CRLF. A text a spreadsheet would run as a formula (it
 * starts with {@code = + - @}, a tab or a carriage return and is not a number) gets a leading
 * apostrophe: ids and names come from partners' files.
 */
final class CsvTable {

    /** The byte order mark that starts every CSV FieldStream writes for spreadsheets. */
    static final String BOM = "\uFEFF";

    private CsvTable() {
    }

    static String write(List<Column> columns, List<Map<String, String>> rows) {
        StringBuilder csv = new StringBuilder(BOM);
        line(csv, columns.stream().map(Column::name).toList());
        for (Map<String, String> row : rows) {
            line(csv, columns.stream().map(column -> DashboardCells.value(column, row)).toList());
        }
        return csv.toString();
    }

    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

    static String field(String raw) {
        String value = formulaSafe(raw);
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private static String formulaSafe(String value) {
        if (value.isEmpty() || "=+-@\t\r".indexOf(value.charAt(0)) < 0 || NUMBER.matcher(value).matches()) {
            return value;
        }
        return "'" + value;
    }

    static void line(StringBuilder csv, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            csv.append(i == 0 ? "" : ",").append(field(fields.get(i)));
        }
        csv.append("\r\n");
    }
}
