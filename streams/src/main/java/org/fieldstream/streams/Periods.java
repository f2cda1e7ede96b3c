package org.fieldstream.streams;

import java.time.LocalDate;
import java.time.YearMonth;

/** Calendar buckets of outreach: month {@code 2026-03}, quarter {@code 2026-Q1}, program to date {@code all}. */
final class Periods {

    static final String MONTH = "month";
    static final String QUARTER = "quarter";
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

    /** First day of a period; {@code programStart} for to_date. */
    static LocalDate start(String kind, String period, LocalDate programStart) {
        switch (kind) {
            case MONTH:
                return YearMonth.parse(period).atDay(1);
            case QUARTER:
                int year = Integer.parseInt(period.substring(0, 4));
                int quarter = Integer.parseInt(period.substring(6));
                return LocalDate.of(year, (quarter - 1) * 3 + 1, 1);
            default:
                return programStart;
        }
    }
}
