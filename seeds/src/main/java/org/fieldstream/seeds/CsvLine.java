package org.fieldstream.seeds;

import java.util.List;

/** RFC 4180 CSV writing for generated partner files: one line with the quoting each cell needs. */
final class CsvLine {

    private CsvLine() {
    }

    /** One CSV line (without line terminator), quoting cells that need it; a null cell is empty. */
    static String format(List<String> cells) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(quote(cells.get(i)));
        }
        return line.toString();
    }

    private static String quote(String cell) {
        if (cell == null) {
            return "";
        }
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
            return cell;
        }
        return '"' + cell.replace("\"", "\"\"") + '"';
    }
}
