package org.fieldstream.streams;

import java.time.LocalDate;
import java.time.YearMonth;

/**
 * Buckets of outreach: month {@code 2026-03}, calendar quarter {@code 2026-Q1}, calendar year
 * {@code 2026}, fiscal year {@code FY2026-10} (the twelve months starting in October 2025, named by
 * the year it ends in, with its first month after the dash) and program to date {@code all}. Fiscal
 * years start at the beginning of a calendar quarter, so fiscal quarters are calendar quarters; one
 * fiscal-year cell exists for each start month but January (whose fiscal year is the calendar year),
 * so a program's fiscal year is an exact cell whatever month its setting names.
 */
final class Periods {

    static final String MONTH = "month";
    static final String QUARTER = "quarter";
    static final String YEAR = "year";
    static final String FISCAL_YEAR = "fiscal_year";
    /** First months of the fiscal years that are not calendar years. */
    static final int[] FISCAL_STARTS = {4, 7, 10};
    static final String TO_DATE = "to_date";
    static final String ALL = "all";

    private Periods() {
    }

    static String month(LocalDate date) {
        return YearMonth.from(date).toString();
    }

    /** {@code 2026-03} -> {@code 2026-Q1}; read by position (months are always {@code yyyy-MM}, see {@link #month}). */
    static String quarterOfMonth(String month) {
        int m = (month.charAt(5) - '0') * 10 + (month.charAt(6) - '0');
        return month.substring(0, 4) + "-Q" + ((m - 1) / 3 + 1);
    }

    /** {@code 2026-03} -> {@code 2026}. */
    static String yearOfMonth(String month) {
        return month.substring(0, 4);
    }

    /** {@code 2025-11} with fiscal years starting in October -> {@code FY2026-10}. */
    static String fiscalYearOfMonth(String month, int startMonth) {
        int year = Integer.parseInt(month.substring(0, 4));
        int m = (month.charAt(5) - '0') * 10 + (month.charAt(6) - '0');
        return "FY" + (m >= startMonth ? year + 1 : year) + "-" + (startMonth < 10 ? "0" : "") + startMonth;
    }

    /** First day of a period; {@code programStart} for to_date. */
    static LocalDate start(String kind, String period, LocalDate programStart) {
        switch (kind) {
            case MONTH:
                return YearMonth.parse(period).atDay(1);
            case QUARTER:
                int year = Integer.parseInt(period.substring(0, 4));
                int quarter = Integer.parseInt(period.substring(6));
                return LocalDate.of(year, (quarter - 1) * 3 + 1, 1);
            case YEAR:
                return LocalDate.of(Integer.parseInt(period), 1, 1);
            case FISCAL_YEAR:
                return LocalDate.of(Integer.parseInt(period.substring(2, 6)) - 1, Integer.parseInt(period.substring(7)), 1);
            default:
                return programStart;
        }
    }
}
