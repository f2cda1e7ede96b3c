package org.fieldstream.producers;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What of one row a rejection may show. Hidden: every value of a personal column
 * ({@link Layout#PERSONAL}); every value the reader marked personal ({@link SourceRow#personal()}: the
 * values in personal positions, and in a row whose columns cannot be trusted, every value that may
 * have come from one); any value holding one of those; a free-text value ({@code topic}, {@code role},
 * {@code target_group}) repeating one of them or a token of a name; and anything that looks like a phone number or
 * a national id (nine or more digits, separators allowed, Bangla digits too); and in a typed column
 * (an enum, a number, a date) anything not shaped like such a value or a slip of one. Applies to the
 * raw row and to every value a reason quotes.
 */
public final class Redaction {

    public static final String REDACTED = "[redacted]";

    /** Nine or more digits with at most two separators between them: phones (11-13 digits), NIDs (10, 13, 17). */
    private static final Pattern PHONE_OR_ID = Pattern.compile("\\+?\\(?\\p{Nd}(?:[ .\\-()/]{0,2}\\p{Nd}){8,}");
    /** Personal values shorter than this are only hidden where they stand alone, never inside other text. */
    private static final int MIN_EMBEDDED = 4;
    private static final int SHOWN_CHARS = 40;
    private static final Redaction COLUMNS_ONLY = new Redaction(Set.of(), OwnPersonalData.of(Map.of(), Set.of()));

    private static final Pattern ENUM = Pattern.compile("[A-Za-z][a-z_-]{0,29}");
    private static final Pattern NUMBER = Pattern.compile("[+-]?[0-9][0-9.,]{0,11}|[a-z]{1,12}");
    private static final Pattern DATE = Pattern.compile("[0-9][0-9./ -]{0,11}");
    private static final Pattern FLAG = Pattern.compile("[A-Za-z0-9]{1,5}");
    /**
     * What a value of a typed column looks like when it is a value of that type or a slip of one
     * ({@code woman}, {@code presnt}, {@code 2026-02-30}, {@code three}); anything else in such a
     * column (a person key, a name of two words) came from somewhere else and is hidden.
     */
    private static final Map<String, Pattern> SHAPES = Map.ofEntries(
            Map.entry("sex", ENUM), Map.entry("status", ENUM), Map.entry("reason", ENUM), Map.entry("kind", ENUM),
            Map.entry("planned_sessions", NUMBER), Map.entry("session_number", NUMBER), Map.entry("attendee_no", NUMBER),
            Map.entry("age", NUMBER), Map.entry("birth_year", NUMBER), Map.entry("revision", NUMBER),
            Map.entry("start_date", DATE), Map.entry("end_date", DATE), Map.entry("held_on", DATE),
            Map.entry("enrolled_on", DATE), Map.entry("exited_on", DATE), Map.entry("retracted", FLAG));

    private final Set<String> personal;
    private final OwnPersonalData own;

    private Redaction(Set<String> personal, OwnPersonalData own) {
        this.personal = personal;
        this.own = own;
    }

    /** The row's marked personal values and the values of its personal columns, hidden wherever they stand. */
    public static Redaction of(SourceRow row) {
        Set<String> personal = new HashSet<>(row.personal());
        for (String column : Layout.PERSONAL) {
            String value = row.values().get(column);
            if (value != null && !value.isBlank()) {
                personal.add(value.trim());
            }
        }
        return personal.isEmpty() ? COLUMNS_ONLY : new Redaction(Set.copyOf(personal), OwnPersonalData.of(row.values(), personal));
    }

    /** By column and pattern only: for rows whose reader marked nothing. */
    public static Redaction columnsOnly() {
        return COLUMNS_ONLY;
    }

    public static boolean looksLikePhoneOrId(String value) {
        return PHONE_OR_ID.matcher(value).find();
    }

    /** Whether a value of a column must not be shown. */
    public boolean hides(String column, String value) {
        if (Layout.PERSONAL.contains(column) || personal.contains(value.trim()) || looksLikePhoneOrId(value)) {
            return true;
        }
        if (Layout.FREE_TEXT.contains(column) && own.repeatedIn(value) != null) {
            return true;
        }
        Pattern shape = SHAPES.get(column);
        if (shape != null && !shape.matcher(value.trim()).matches()) {
            return true;
        }
        for (String p : personal) {
            if (p.length() >= MIN_EMBEDDED && value.contains(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What of the row's own personal data a free-text value repeats ("name", "phone", "national id",
     * "person key", "personal data"), or null: the whole value, or a name token of three or more letters.
     */
    String repeatedPersonalData(String value) {
        return own.repeatedIn(value);
    }

    /** The value as a rejection may show it: hidden, or at most 40 characters. */
    public String show(String column, String value) {
        if (hides(column, value)) {
            return REDACTED;
        }
        return value.length() > SHOWN_CHARS ? value.substring(0, SHOWN_CHARS) + "..." : value;
    }

    /**
     * Free text (a reason) with every personal value of the row replaced: a last guard, since reasons
     * quote values only through {@link #show}. Numbers of the reason's own (a range's bounds) stay.
     */
    public String text(String text) {
        String result = text;
        for (String p : personal) {
            if (p.length() >= MIN_EMBEDDED && result.contains(p)) {
                result = result.replace(p, REDACTED);
            }
        }
        return result;
    }
}
