package org.fieldstream.reports;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * The IPTT as an .xlsx workbook (fastexcel, a small streaming writer): one sheet per fiscal year
 * asked, named {@code FY2026}, with the CSV's rows and columns after the program's name (each
 * indicator's row, then its disaggregation rows), and a sheet {@code Life of program} with each row's
 * baseline, life-of-program target, actual to date and share achieved. Figures are number cells;
 * shares achieved and rates (retention, dropout) are numbers formatted as percentages; the header row
 * is frozen. Every text (the program's name comes from partners' files) is a shared
 * string cell with the text format {@code @}: the workbook holds no formula, so a name such as
 * {@code =HYPERLINK(...)} is shown as written and stays text when the cell is edited.
 */
final class IpttWorkbook {

    static final String LIFE_OF_PROGRAM = "Life of program";
    static final List<String> LOP_HEADER = List.of("program", "indicator", "disaggregation", "category", "baseline", "lop_target",
            "lop_actual", "lop_achieved");

    private static final String PERCENT = "0.0%";
    private static final String TEXT = "@";

    private IpttWorkbook() {
    }

    /** Writes the sheets of {@code years} (fiscal year to its rows, in the order asked) and the life-of-program sheet. */
    static void write(OutputStream out, String programName, Map<Integer, List<IpttReport.Row>> years) throws IOException {
        write(out, programName, years, null);
    }

    /**
     * The workbook, published when {@code published} is not null: a hidden actual is the text
     * {@code <k}, a hidden share or flag the text {@code hidden}, and each sheet says below its table
     * that small numbers are hidden and why.
     */
    static void write(OutputStream out, String programName, Map<Integer, List<IpttReport.Row>> years, IpttPublication published)
            throws IOException {
        Workbook workbook = new Workbook(out, "FieldStream", "1.0");
        List<IpttReport.Row> lop = null;
        for (Map.Entry<Integer, List<IpttReport.Row>> year : years.entrySet()) {
            Worksheet sheet = workbook.newWorksheet("FY" + year.getKey());
            header(sheet, fiscalHeader());
            int r = 1;
            int fy = year.getKey();
            for (IpttReport.Row row : year.getValue()) {
                final int at = r;
                Hidden hidden = column -> published != null && published.hidden(fy, at - 1, column);
                text(sheet, r, 0, programName);
                text(sheet, r, 1, row.indicator());
                text(sheet, r, 2, row.disaggregation());
                text(sheet, r, 3, row.category());
                figure(sheet, r, 4, row.share(), row.baseline());
                figure(sheet, r, 5, row.share(), row.lopTarget());
                actual(sheet, r, 6, row.share(), row.lopActual(), hidden, "lop_actual", published);
                figure(sheet, r, 7, row.share(), row.fyTarget());
                actual(sheet, r, 8, row.share(), row.fyActual(), hidden, "fy_actual", published);
                if (hidden.is("fy_achieved")) {
                    text(sheet, r, 9, published.shown("fy_achieved"));
                } else {
                    percent(sheet, r, 9, row.fyAchieved());
                }
                for (int q = 0; q < 4; q++) {
                    actual(sheet, r, 10 + q, row.share(), row.quarters()[q], hidden, "q" + (q + 1) + "_actual", published);
                }
                text(sheet, r, 14, hidden.is("deviation") ? published.shown("deviation") : row.deviation());
                text(sheet, r, 15, "");
                r++;
            }
            note(sheet, r, published);
            widths(sheet, fiscalHeader().size());
            sheet.finish();
            lop = year.getValue();
        }
        Worksheet sheet = workbook.newWorksheet(LIFE_OF_PROGRAM);
        header(sheet, LOP_HEADER);
        int r = 1;
        int lastYear = years.isEmpty() ? 0 : List.copyOf(years.keySet()).get(years.size() - 1);
        for (IpttReport.Row row : lop == null ? List.<IpttReport.Row>of() : lop) {
            final int at = r;
            Hidden hidden = column -> published != null && published.hidden(lastYear, at - 1, column);
            text(sheet, r, 0, programName);
            text(sheet, r, 1, row.indicator());
            text(sheet, r, 2, row.disaggregation());
            text(sheet, r, 3, row.category());
            figure(sheet, r, 4, row.share(), row.baseline());
            figure(sheet, r, 5, row.share(), row.lopTarget());
            actual(sheet, r, 6, row.share(), row.lopActual(), hidden, "lop_actual", published);
            if (hidden.is("lop_achieved")) {
                text(sheet, r, 7, published.shown("lop_achieved"));
            } else {
                percent(sheet, r, 7, lopAchieved(row));
            }
            r++;
        }
        note(sheet, r, published);
        widths(sheet, LOP_HEADER.size());
        sheet.finish();
        workbook.finish();
    }

    /** The fiscal-year sheet's header: the program's name, then the CSV's columns. */
    static List<String> fiscalHeader() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of("program"), IpttReport.HEADER.stream()).toList();
    }

    private static void header(Worksheet sheet, List<String> names) {
        for (int c = 0; c < names.size(); c++) {
            sheet.value(0, c, names.get(c));
            sheet.style(0, c).bold().format(TEXT).set();
        }
        sheet.freezePane(0, 1);
    }

    private static void widths(Worksheet sheet, int columns) {
        sheet.width(0, 24);
        sheet.width(1, 20);
        sheet.width(2, 14);
        sheet.width(3, 22);
        for (int c = 4; c < columns; c++) {
            sheet.width(c, 12);
        }
    }

    /** A text as a string cell in text format; never a formula, whatever it starts with. */
    private static void text(Worksheet sheet, int r, int c, String value) {
        if (!value.isEmpty()) {
            sheet.value(r, c, value);
        }
        sheet.style(r, c).format(TEXT).set();
    }

    /** Whether a column of the row being written is hidden. */
    private interface Hidden {
        boolean is(String column);
    }

    /** An actual: a figure, or the marker text when it is hidden. */
    private static void actual(Worksheet sheet, int r, int c, boolean share, Double value, Hidden hidden, String column,
                               IpttPublication published) {
        if (hidden.is(column)) {
            text(sheet, r, c, published.shown(column, share));
        } else {
            figure(sheet, r, c, share, value);
        }
    }

    /** Life-of-program actual over its target; null without a target or actual. */
    static Double lopAchieved(IpttReport.Row row) {
        return row.lopTarget() == null || row.lopTarget() == 0 || row.lopActual() == null ? null : row.lopActual() / row.lopTarget();
    }

    /** A figure: a rate's share as a percentage, a count as a number. */
    private static void figure(Worksheet sheet, int r, int c, boolean share, Double value) {
        if (share) {
            percent(sheet, r, c, value);
        } else {
            number(sheet, r, c, value);
        }
    }

    /** Below a published table, one row (after an empty one) saying which numbers are hidden and why. */
    private static void note(Worksheet sheet, int r, IpttPublication published) {
        if (published != null) {
            text(sheet, r + 1, 0, SmallCells.note(published.k()));
        }
    }

    private static void number(Worksheet sheet, int r, int c, Double value) {
        if (value != null) {
            sheet.value(r, c, value);
        }
    }

    private static void percent(Worksheet sheet, int r, int c, Double share) {
        if (share != null) {
            sheet.value(r, c, share);
            sheet.style(r, c).format(PERCENT).set();
        }
    }
}
