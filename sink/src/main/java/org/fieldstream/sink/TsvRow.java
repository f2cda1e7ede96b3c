package org.fieldstream.sink;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds rows of ClickHouse's TabSeparated input, which every release reads the same way: UTF-8,
 * fields separated by a tab, a newline after each row, SQL NULL as {@code \N}, and in text the
 * characters the format gives meaning to (backslash, tab, newline) plus CR, NUL, BS and FF written
 * as backslash escapes. Values follow the column conventions of V001: dates 'yyyy-MM-dd',
 * timestamps 'yyyy-MM-dd HH:mm:ss' in UTC (milliseconds dropped), booleans 0/1, enums as lower-case
 * names, NaN and infinities as nan/inf/-inf.
 *
 * <p>One instance per mapping thread: it reuses its buffer from row to row.
 */
final class TsvRow {

    // Date and DateTime start at 1970 on every release; 18.16 reads dates after 2105 as 0000-00-00
    // and later times as wrapped garbage without an error, so both end where its calendar ends
    private static final LocalDate MIN_DATE = LocalDate.of(1970, 1, 1);
    private static final LocalDate MAX_DATE = LocalDate.of(2105, 12, 31);
    private static final long MAX_SECONDS = MAX_DATE.plusDays(1).toEpochDay() * 86_400 - 1;
    private static final byte[] NULL = {'\\', 'N'};
    private static final Map<Enum<?>, byte[]> SYMBOLS = new ConcurrentHashMap<>();

    private byte[] buffer = new byte[512];
    private int length;
    private boolean firstField = true;

    /** Starts a new row, forgetting the previous one. */
    TsvRow begin() {
        length = 0;
        firstField = true;
        return this;
    }

    /** The row so far, newline included, as a new array. */
    byte[] end() {
        ensure(1);
        buffer[length] = '\n';
        return Arrays.copyOf(buffer, length + 1);
    }

    TsvRow nullValue() {
        separate();
        append(NULL);
        return this;
    }

    /** Text, escaped; null is SQL NULL. */
    TsvRow text(String value) {
        if (value == null) {
            return nullValue();
        }
        separate();
        ensure(value.length() * 3);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                ascii(c);
            } else if (c < 0x800) {
                buffer[length++] = (byte) (0xC0 | c >> 6);
                buffer[length++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                ensure(4);
                int cp = Character.toCodePoint(c, value.charAt(++i));
                buffer[length++] = (byte) (0xF0 | cp >> 18);
                buffer[length++] = (byte) (0x80 | cp >> 12 & 0x3F);
                buffer[length++] = (byte) (0x80 | cp >> 6 & 0x3F);
                buffer[length++] = (byte) (0x80 | cp & 0x3F);
            } else if (Character.isSurrogate(c)) {
                buffer[length++] = '?'; // an unpaired surrogate has no UTF-8 form; String.getBytes does the same
            } else {
                buffer[length++] = (byte) (0xE0 | c >> 12);
                buffer[length++] = (byte) (0x80 | c >> 6 & 0x3F);
                buffer[length++] = (byte) (0x80 | c & 0x3F);
            }
        }
        return this;
    }

    /** One character below 0x80; room for two bytes is ensured by the caller. */
    private void ascii(char c) {
        byte escape = switch (c) {
            case '\\' -> '\\';
            case '\t' -> 't';
            case '\n' -> 'n';
            case '\r' -> 'r';
            case '\0' -> '0';
            case '\b' -> 'b';
            case '\f' -> 'f';
            default -> 0;
        };
        if (escape == 0) {
            buffer[length++] = (byte) c;
        } else {
            buffer[length++] = '\\';
            buffer[length++] = escape;
        }
    }

    TsvRow integer(long value) {
        separate();
        if (value == Long.MIN_VALUE) {
            append(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
            return this;
        }
        ensure(20);
        if (value < 0) {
            buffer[length++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        for (int i = length + digits - 1; i >= length; i--) {
            buffer[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += digits;
        return this;
    }

    TsvRow flag(boolean value) {
        return integer(value ? 1 : 0);
    }

    TsvRow floating(double value) {
        separate();
        String text = Double.isNaN(value) ? "nan"
                : Double.isInfinite(value) ? value > 0 ? "inf" : "-inf"
                : Double.toString(value);
        ensure(text.length());
        for (int i = 0; i < text.length(); i++) {
            buffer[length++] = (byte) text.charAt(i);
        }
        return this;
    }

    /** 'yyyy-MM-dd'; refused outside the Date range, naming the field. */
    TsvRow date(String field, LocalDate date) {
        if (date.isBefore(MIN_DATE) || date.isAfter(MAX_DATE)) {
            throw new IllegalArgumentException("field " + field + ": date " + date + " outside the Date range");
        }
        separate();
        ensure(10);
        ymd(date.getYear(), date.getMonthValue(), date.getDayOfMonth());
        return this;
    }

    /** A date given as days since 1970-01-01 (Avro's date), as {@link #date}. */
    TsvRow epochDay(String field, long days) {
        return date(field, LocalDate.ofEpochDay(days));
    }

    /** 'yyyy-MM-dd HH:mm:ss' in UTC; refused outside the DateTime range, naming the field. */
    TsvRow timestamp(String field, Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < 0 || seconds > MAX_SECONDS) {
            throw new IllegalArgumentException("field " + field + ": timestamp " + instant + " outside the DateTime range");
        }
        return epochSecond(seconds);
    }

    /** A timestamp given as milliseconds since the epoch (Avro's timestamp-millis), as {@link #timestamp}. */
    TsvRow epochMilli(String field, long millis) {
        long seconds = Math.floorDiv(millis, 1000L);
        if (seconds < 0 || seconds > MAX_SECONDS) {
            return timestamp(field, Instant.ofEpochMilli(millis)); // fails with the value in the message
        }
        return epochSecond(seconds);
    }

    private TsvRow epochSecond(long seconds) {
        separate();
        ensure(19);
        // by hand: DateTimeFormatter costs more than the rest of a row
        long days = seconds / 86_400;
        int secondOfDay = (int) (seconds % 86_400);
        LocalDate date = LocalDate.ofEpochDay(days);
        ymd(date.getYear(), date.getMonthValue(), date.getDayOfMonth());
        buffer[length++] = ' ';
        twoDigits(secondOfDay / 3600);
        buffer[length++] = ':';
        twoDigits(secondOfDay / 60 % 60);
        buffer[length++] = ':';
        twoDigits(secondOfDay % 60);
        return this;
    }

    /**
     * Text given as UTF-8 bytes (Avro's string), as {@link #text}: ASCII is escaped byte by byte;
     * anything else goes through a String so that invalid UTF-8 turns out exactly as Java decodes it.
     */
    TsvRow utf8(byte[] source, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (source[i] < 0) {
                return text(new String(source, from, count, StandardCharsets.UTF_8));
            }
        }
        separate();
        ensure(count * 2);
        for (int i = from; i < from + count; i++) {
            ascii((char) source[i]);
        }
        return this;
    }

    /** A field whose bytes are already in TabSeparated form (symbols, names). */
    TsvRow raw(byte[] field) {
        separate();
        append(field);
        return this;
    }

    /** Bytes written so far in this row. */
    int position() {
        return length;
    }

    /** The next field starts without a separator: the row is used as scratch space for single fields. */
    TsvRow detach() {
        firstField = true;
        return this;
    }

    /** Copies one field written to {@code scratch} between two of its positions. */
    TsvRow field(TsvRow scratch, int from, int to) {
        separate();
        ensure(to - from);
        System.arraycopy(scratch.buffer, from, buffer, length, to - from);
        length += to - from;
        return this;
    }

    /**
     * One Avro value as generated code holds it (CharSequence, Integer, Long, Boolean, Double,
     * Float, Instant, LocalDate, enum, or null), in the column convention of its type.
     */
    TsvRow value(String field, Object value) {
        if (value == null) {
            return nullValue();
        }
        if (value instanceof CharSequence text) {
            return text(text.toString());
        }
        if (value instanceof Integer || value instanceof Long) {
            return integer(((Number) value).longValue());
        }
        if (value instanceof Instant instant) {
            return timestamp(field, instant);
        }
        if (value instanceof LocalDate date) {
            return date(field, date);
        }
        if (value instanceof Enum<?> symbol) {
            separate();
            append(SYMBOLS.computeIfAbsent(symbol, e -> e.name().toLowerCase(Locale.ROOT)
                    .getBytes(StandardCharsets.UTF_8)));
            return this;
        }
        if (value instanceof Boolean flag) {
            return flag(flag);
        }
        if (value instanceof Double || value instanceof Float) {
            return floating(((Number) value).doubleValue());
        }
        throw new IllegalArgumentException("field " + field + ": no column mapping for " + value.getClass().getSimpleName());
    }

    private void ymd(int year, int month, int day) {
        int y = year;
        for (int i = 3; i >= 0; i--) {
            buffer[length + i] = (byte) ('0' + y % 10);
            y /= 10;
        }
        length += 4;
        buffer[length++] = '-';
        twoDigits(month);
        buffer[length++] = '-';
        twoDigits(day);
    }

    private void twoDigits(int value) {
        buffer[length++] = (byte) ('0' + value / 10);
        buffer[length++] = (byte) ('0' + value % 10);
    }

    private void separate() {
        if (firstField) {
            firstField = false;
        } else {
            ensure(1);
            buffer[length++] = '\t';
        }
    }

    private void append(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
