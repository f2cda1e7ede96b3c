package org.fieldstream.producers.forms;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dates and times as form tools write them. A date question gives {@code 2026-03-01}; timestamps come
 * with an offset ({@code start}/{@code end}: {@code 2016-03-14T14:15:48.000-04:00}; ODK Central's
 * {@code __system/submissionDate}: {@code 2024-05-02T10:11:12.345Z}) or without one (Kobo's
 * {@code _submission_time}: {@code 2021-11-16T23:46:27}, which Kobo writes in UTC, so a timestamp without
 * offset is read as UTC). A timestamp's date is the local date in the program's time zone at that instant.
 */
public final class FormDates {

    private static final Pattern STAMP = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})(?:[T ](\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?)(Z|[+-]\\d{2}(?::?\\d{2})?)?)?");

    private FormDates() {
    }

    /** The instant of a timestamp (a bare date is its UTC midnight), or null when the text is neither. */
    public static Instant instant(String text) {
        Matcher m = STAMP.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        try {
            LocalDate date = LocalDate.parse(m.group(1));
            LocalTime time = m.group(2) == null ? LocalTime.MIDNIGHT : LocalTime.parse(m.group(2));
            ZoneOffset offset = m.group(3) == null ? ZoneOffset.UTC : offset(m.group(3));
            return LocalDateTime.of(date, time).toInstant(offset);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * The local date of a date or timestamp in {@code zone}, as {@code yyyy-MM-dd}; anything else is
     * returned unchanged, so validation rejects it naming the column.
     */
    public static String localDate(String text, ZoneId zone) {
        Matcher m = STAMP.matcher(text.trim());
        if (!m.matches()) {
            return text;
        }
        if (m.group(2) == null) {
            return m.group(1);
        }
        Instant instant = instant(text);
        return instant == null ? text : LocalDate.ofInstant(instant, zone).toString();
    }

    private static ZoneOffset offset(String text) {
        if (text.equals("Z")) {
            return ZoneOffset.UTC;
        }
        String digits = text.replace(":", "");
        return digits.length() == 3 ? ZoneOffset.of(digits) : ZoneOffset.of(digits.substring(0, 3) + ":" + digits.substring(3));
    }
}
