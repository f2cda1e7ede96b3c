package org.fieldstream.producers;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Typed access to a row's values; every failure is a {@link RowRejection} naming the column and the
 * reason. A reason shows a value only as the row's {@link Redaction} allows: never a personal value,
 * wherever it landed, nor anything that looks like a phone number or national id.
 */
final class Cells {

    private static final Pattern ID = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}\\p{M} ._:/#()-]{0,79}");

    private final Map<String, String> values;
    private final Redaction redaction;

    Cells(Map<String, String> values, Redaction redaction) {
        this.values = values;
        this.redaction = redaction;
    }

    /** The value as a reason may quote it. */
    String show(String column, String value) {
        return redaction.show(column, value);
    }

    /**
     * Free text (a topic, a role): at most {@code maxChars} characters, nothing that looks like a phone
     * number or national id, and nothing repeating the row's own person key, name (or a token of it),
     * phone or national id, since the text is published as it is.
     */
    String text(String column, String value, int maxChars) {
        if (value == null) {
            return null;
        }
        if (value.length() > maxChars) {
            throw new RowRejection(column, "too_long", "longer than " + maxChars + " characters");
        }
        if (Redaction.looksLikePhoneOrId(value)) {
            throw new RowRejection(column, "personal_identifier", "looks like a phone number or national id; personal data is not accepted here");
        }
        String repeated = redaction.repeatedPersonalData(value);
        if (repeated != null) {
            throw new RowRejection(column, "repeated_value", "repeats the row's " + repeated + "; personal data is never published");
        }
        return value;
    }

    /**
     * No value of any column holds a control character (U+0000..U+001F, U+007F): none is meant in a
     * partner's data, and a published one would travel into topics, ClickHouse and reports.
     */
    void checkNoControlCharacters() {
        values.forEach((column, value) -> {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < 0x20 || c == 0x7F) {
                    throw new RowRejection(column, "control_character", String.format(Locale.ROOT,
                            "holds a control character (U+%04X at character %d); no column accepts U+0000..U+001F or U+007F",
                            (int) c, i + 1));
                }
            }
        });
    }

    String required(String column) {
        String value = values.get(column);
        if (value == null) {
            throw new RowRejection(column, "missing_value", "required value is missing");
        }
        return value;
    }

    /**
     * A cohort or dialogue id: 1 to 80 characters, letters, digits, space and {@code . _ - : / # ( )}.
     * Store and topic keys join ids with '|', so an id can never contain it (nor control characters).
     */
    String requiredId(String column) {
        return id(column, required(column));
    }

    /** As {@link #requiredId}, for a value already read. */
    static String id(String column, String value) {
        if (!ID.matcher(value).matches()) {
            throw new RowRejection(column, "invalid_id", "an id has 1 to 80 letters, digits, spaces or . _ - : / # ( ), starting with a letter or digit");
        }
        return value;
    }

    String optional(String column) {
        return values.get(column);
    }

    int requiredInt(String column, int min, int max) {
        return parseInt(column, required(column), min, max);
    }

    Integer optionalInt(String column, int min, int max) {
        String value = values.get(column);
        return value == null ? null : parseInt(column, value, min, max);
    }

    LocalDate requiredDate(String column) {
        return parseDate(column, required(column));
    }

    LocalDate optionalDate(String column) {
        String value = values.get(column);
        return value == null ? null : parseDate(column, value);
    }

    boolean flag(String column) {
        String value = values.get(column);
        if (value == null) {
            return false;
        }
        switch (value.toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "y":
                return true;
            case "0", "false", "no", "n":
                return false;
            default:
                throw new RowRejection(column, "not_a_flag", "'" + quote(column, value) + "' is not a flag (1/0, true/false)");
        }
    }

    /** Maps a value case-insensitively through {@code symbols}, naming the allowed values on failure. */
    <E> E requiredEnum(String column, Map<String, E> symbols, List<String> allowed) {
        String value = required(column);
        E symbol = symbols.get(value.toLowerCase(Locale.ROOT));
        if (symbol == null) {
            throw new RowRejection(column, "not_allowed_value", "'" + quote(column, value) + "' is not one of " + String.join(", ", allowed));
        }
        return symbol;
    }

    private int parseInt(String column, String value, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new RowRejection(column, "not_a_number", "'" + quote(column, value) + "' is not a whole number"
                    + (value.chars().allMatch(Character::isDigit) ? " in " + min + ".." + max : ""));
        }
        if (n < min || n > max) {
            throw new RowRejection(column, "out_of_range", quote(column, value) + " is outside " + min + ".." + max);
        }
        return n;
    }

    private LocalDate parseDate(String column, String value) {
        try {
            if (value.length() != 10) {
                throw new DateTimeParseException("not yyyy-MM-dd", value, 0);
            }
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new RowRejection(column, "not_a_date", "'" + quote(column, value) + "' is not a date yyyy-MM-dd");
        }
    }

    /** Person-identifying values are never echoed into a reason: those travel further than the row. */
    private String quote(String column, String value) {
        return redaction.show(column, value);
    }
}
