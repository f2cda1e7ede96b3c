package org.fieldstream.reports;

import java.time.DateTimeException;
import java.time.YearMonth;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The period of an explained outreach cell or target actual: a month (2026-03), a calendar quarter
 * (2026-Q1), a calendar year (2026), the program's fiscal year (FY2026, named by the year it ends in),
 * one of its fiscal quarters (FY2026-Q1, its first three months: a calendar quarter's cell, as a fiscal
 * year starts in January, April, July or October) or the program to date. {@code outreachKind} and {@code outreachName} name the v_outreach cell
 * (a fiscal year starting in January is the calendar year's cell, another the fiscal_year cell of its
 * start month, FY2026-10); {@code actualName} the period of actuals_by_period; {@code from} and
 * {@code to} its first and last month (both null to date).
 */
record ExplainPeriod(String outreachKind, String outreachName, String actualName, YearMonth from, YearMonth to) {

    private static final Pattern QUARTER = Pattern.compile("^(\\d{4})-Q([1-4])$");
    private static final Pattern YEAR = Pattern.compile("^(\\d{4})$");
    private static final Pattern FISCAL_YEAR = Pattern.compile("^FY(\\d{4})$");
    private static final Pattern FISCAL_QUARTER = Pattern.compile("^FY(\\d{4})-Q([1-4])$");

    static final ExplainPeriod TO_DATE = new ExplainPeriod("to_date", "all", "all", null, null);

    static ExplainPeriod month(String value) {
        YearMonth month = Filters.month("--period", value);
        return new ExplainPeriod("month", month.toString(), month.toString(), month, month);
    }

    static ExplainPeriod quarter(String value) {
        Matcher m = QUARTER.matcher(value);
        if (!m.matches()) {
            throw new ReportError("invalid --quarter " + Filters.shown(value) + ": expected a calendar quarter as yyyy-Qn, e.g. 2026-Q1");
        }
        YearMonth from = YearMonth.of(Integer.parseInt(m.group(1)), 3 * Integer.parseInt(m.group(2)) - 2);
        return new ExplainPeriod("quarter", value, value, from, from.plusMonths(2));
    }

    static ExplainPeriod year(String value) {
        Matcher m = YEAR.matcher(value);
        if (!m.matches()) {
            throw new ReportError("invalid --year " + Filters.shown(value) + ": expected a calendar year as yyyy, e.g. 2026");
        }
        int year = Integer.parseInt(m.group(1));
        return new ExplainPeriod("year", value, value, YearMonth.of(year, 1), YearMonth.of(year, 12));
    }

    /** The year a fiscal year FYyyyy ends in; the period itself needs the program's start month ({@link #fiscalYear}). */
    static int fiscalYearEnding(String value) {
        Matcher m = FISCAL_YEAR.matcher(value);
        if (!m.matches()) {
            throw new ReportError("invalid --fiscal-year " + Filters.shown(value)
                    + ": expected a fiscal year as FYyyyy, named by the year it ends in, e.g. FY2026");
        }
        return Integer.parseInt(m.group(1));
    }

    /** The fiscal year ending in {@code endYear} of a program whose fiscal year starts in month {@code startMonth} (1, 4, 7, 10). */
    static ExplainPeriod fiscalYear(int endYear, int startMonth) {
        try {
            if (startMonth == 1) {
                return new ExplainPeriod("year", String.valueOf(endYear), "FY" + endYear, YearMonth.of(endYear, 1), YearMonth.of(endYear, 12));
            }
            YearMonth from = YearMonth.of(endYear - 1, startMonth);
            return new ExplainPeriod("fiscal_year", String.format("FY%d-%02d", endYear, startMonth), "FY" + endYear, from, from.plusMonths(11));
        } catch (DateTimeException e) {
            throw new ReportError("fiscal year start month " + startMonth + " of the program is not a month");
        }
    }

    /** The year and quarter of a fiscal quarter FYyyyy-Qn; the period itself needs the program's start month ({@link #fiscalQuarter}). */
    static int[] fiscalQuarterOf(String value) {
        Matcher m = FISCAL_QUARTER.matcher(value);
        if (!m.matches()) {
            throw new ReportError("invalid --fiscal-quarter " + Filters.shown(value)
                    + ": expected a fiscal quarter as FYyyyy-Qn, its fiscal year named by the year it ends in, e.g. FY2026-Q1");
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    /**
     * Quarter {@code quarter} (1-4) of the fiscal year ending in {@code endYear} of a program whose fiscal
     * year starts in month {@code startMonth}: the calendar quarter's outreach cell, actuals_by_period's FYyyyy-Qn.
     */
    static ExplainPeriod fiscalQuarter(int endYear, int quarter, int startMonth) {
        ExplainPeriod year = fiscalYear(endYear, startMonth);
        if ((startMonth - 1) % 3 != 0) {
            throw new ReportError("fiscal year start month " + startMonth + " of the program does not start a calendar quarter");
        }
        YearMonth from = year.from().plusMonths(3L * (quarter - 1));
        String calendar = from.getYear() + "-Q" + ((from.getMonthValue() - 1) / 3 + 1);
        return new ExplainPeriod("quarter", calendar, "FY" + endYear + "-Q" + quarter, from, from.plusMonths(2));
    }

    /** The SQL condition that a Date column lies in the period ("1" to date). */
    String dayCondition(String column) {
        if (from == null) {
            return "1";
        }
        return column + " >= toDate(" + SqlText.literal(from.atDay(1).toString()) + ") AND " + column + " <= toDate("
                + SqlText.literal(to.atEndOfMonth().toString()) + ")";
    }
}
