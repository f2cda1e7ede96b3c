package org.fieldstream.reports;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The analyst's filters, validated on the way in: ids must look like reference ids, months must be
 * yyyy-MM. Nothing here has been checked against the reference tables yet ({@link ReferenceCheck}).
 * {@code from} is the first day of the first month, {@code to} the last day of the last month; null
 * means no bound.
 */
public record Filters(String program, String partner, String district, LocalDate from, LocalDate to) {

    static final Pattern ID = Pattern.compile("^[A-Za-z0-9_.:-]{1,64}$");
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("uuuu-MM");

    public static final Filters NONE = new Filters(null, null, null, null, null);

    public Filters {
        if (from != null && to != null && from.isAfter(to)) {
            throw new ReportError("--from " + YearMonth.from(from) + " is after --to " + YearMonth.from(to));
        }
    }

    /** An id option's value, refused unless it matches {@link #ID}. */
    static String id(String option, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new ReportError("invalid " + option + " " + shown(value)
                    + ": an id is 1 to 64 of the characters A-Z a-z 0-9 _ . : -");
        }
        return value;
    }

    static YearMonth month(String option, String value) {
        try {
            if (value != null && value.length() == 7) {
                return YearMonth.parse(value, MONTH);
            }
        } catch (DateTimeParseException e) {
            // reported below with the expected form
        }
        throw new ReportError("invalid " + option + " " + shown(value) + ": expected a month as yyyy-MM, e.g. 2026-03");
    }

    /** The month of a day as yyyy-MM. */
    static String monthOf(LocalDate day) {
        return YearMonth.from(day).toString();
    }

    public boolean isEmpty() {
        return program == null && partner == null && district == null && !hasPeriod();
    }

    public boolean hasPeriod() {
        return from != null || to != null;
    }

    /** The filters as the analyst would type them, for titles. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (program != null) {
            parts.add("program " + program);
        }
        if (partner != null) {
            parts.add("partner " + partner);
        }
        if (district != null) {
            parts.add("district " + district);
        }
        if (from != null) {
            parts.add("from " + YearMonth.from(from));
        }
        if (to != null) {
            parts.add("to " + YearMonth.from(to));
        }
        return parts.isEmpty() ? "no filters" : String.join(", ", parts);
    }

    /** A refused value shown back without control or non-ASCII characters, and never too long. */
    static String shown(String value) {
        if (value == null) {
            return "(missing)";
        }
        String cut = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        return "'" + cut.replaceAll("[^\\x20-\\x7e]", "?") + "'";
    }
}
