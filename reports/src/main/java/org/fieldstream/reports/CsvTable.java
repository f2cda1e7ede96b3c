package org.fieldstream.reports;

import java.util.List;
import java.util.Map;

/**
 * A dashboard table as CSV (RFC 4180): a header of column names, then each row's figures as the
 * report has them ({@link RowType#values}); a field holding a comma, a quote or a line break is
 * quoted, its quotes doubled; lines end with CRLF.
 */
final class CsvTable {

    private CsvTable() {
    }

    static String write(List<Column> columns, List<Map<String, String>> rows) {
        StringBuilder csv = new StringBuilder();
        line(csv, columns.stream().map(Column::name).toList());
        for (Map<String, String> row : rows) {
            line(csv, columns.stream().map(column -> DashboardCells.value(column, row)).toList());
        }
        return csv.toString();
    }

    static String field(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private static void line(StringBuilder csv, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            csv.append(i == 0 ? "" : ",").append(field(fields.get(i)));
        }
        csv.append("\r\n");
    }
}
