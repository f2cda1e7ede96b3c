package org.fieldstream.producers;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The personal values of one row (its person key, name, phone and national id, and whatever else the
 * reader marked personal), to tell whether a free-text value of the same row repeats one of them:
 * the whole value, or a token of three or more letters of a name, case-insensitively and as a whole
 * word ({@code Begum} is found in {@code "Begum's deputy"}, not in {@code "Begumpur"}). A value shorter
 * than three characters is found only as the whole text.
 */
final class OwnPersonalData {

    private static final int MIN_LETTERS = 3;
    private static final Pattern NOT_NAME = Pattern.compile("[^\\p{L}\\p{M}]+");
    private static final Map<String, String> LABELS = Map.of("person_key", "person key", "name", "name",
            "phone", "phone", "national_id", "national id");
    private static final OwnPersonalData NONE = new OwnPersonalData(Map.of());

    /** Lower-case value or name token to what it is ("name", "phone", ...). */
    private final Map<String, String> needles;

    private OwnPersonalData(Map<String, String> needles) {
        this.needles = needles;
    }

    /**
     * @param values the row's values by column
     * @param marked values the reader marked personal wherever they stand (see {@link SourceRow#personal()})
     */
    static OwnPersonalData of(Map<String, String> values, Set<String> marked) {
        Map<String, String> needles = new LinkedHashMap<>();
        Map<String, String> byValue = new LinkedHashMap<>();
        for (String column : Layout.PERSONAL) {
            String value = values.get(column);
            if (value != null && !value.isBlank()) {
                byValue.put(value.trim(), LABELS.get(column));
            }
        }
        for (String value : marked) {
            byValue.putIfAbsent(value.trim(), "personal data");
        }
        byValue.forEach((value, label) -> {
            needles.putIfAbsent(lower(value), label);
            // a name's tokens; a marked value without digits may be a name from a column the layout lacks
            if (label.equals("name") || label.equals("personal data") && value.chars().noneMatch(Character::isDigit)) {
                for (String token : NOT_NAME.split(value)) {
                    if (token.codePoints().filter(Character::isLetter).count() >= MIN_LETTERS) {
                        needles.putIfAbsent(lower(token), label);
                    }
                }
            }
        });
        return needles.isEmpty() ? NONE : new OwnPersonalData(Collections.unmodifiableMap(needles));
    }

    boolean isEmpty() {
        return needles.isEmpty();
    }

    /** What of the row's personal data {@code text} repeats ("name", "phone", ...), or null. */
    String repeatedIn(String text) {
        if (needles.isEmpty() || text == null) {
            return null;
        }
        String haystack = lower(text.trim());
        for (Map.Entry<String, String> needle : needles.entrySet()) {
            if (contains(haystack, needle.getKey())) {
                return needle.getValue();
            }
        }
        return null;
    }

    private static boolean contains(String text, String needle) {
        if (needle.isEmpty()) {
            return false;
        }
        if (needle.length() < MIN_LETTERS) {
            return text.equals(needle);
        }
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            int end = at + needle.length();
            boolean startsClear = at == 0 || !wordChar(needle.codePointAt(0)) || !wordChar(text.codePointBefore(at));
            boolean endsClear = end == text.length() || !wordChar(needle.codePointBefore(needle.length()))
                    || !wordChar(text.codePointAt(end));
            if (startsClear && endsClear) {
                return true;
            }
        }
        return false;
    }

    private static boolean wordChar(int c) {
        return Character.isLetterOrDigit(c) || Character.getType(c) == Character.NON_SPACING_MARK
                || Character.getType(c) == Character.COMBINING_SPACING_MARK;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
