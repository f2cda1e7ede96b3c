package org.fieldstream.sink;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro values to JSONEachRow values, by schema field name: dates as 'yyyy-MM-dd', timestamps as
 * 'yyyy-MM-dd HH:mm:ss' in UTC (columns are DateTime('UTC'); milliseconds are dropped), booleans
 * as 0/1, enums as lower-case names, null as JSON null (Nullable columns).
 */
public final class Rows {

    // DateTime is a UInt32 of seconds on every ClickHouse release
    private static final Instant MIN_TIME = Instant.EPOCH;
    private static final Instant MAX_TIME = Instant.ofEpochSecond(4_294_967_295L);
    private static final LocalDate MIN_DATE = LocalDate.of(1970, 1, 1);
    private static final LocalDate MAX_DATE = LocalDate.of(2149, 6, 6);

    private static final Map<Enum<?>, String> SYMBOLS = new ConcurrentHashMap<>();

    private Rows() {
    }

    /** Every field of the record, in schema order. */
    public static Map<String, Object> of(SpecificRecord record) {
        Map<String, Object> row = new LinkedHashMap<>(64);
        for (Schema.Field field : record.getSchema().getFields()) {
            row.put(field.name(), value(field.name(), record.get(field.pos())));
        }
        return row;
    }

    /** One Avro value (as generated code holds it) as a JSON value ClickHouse reads into its column. */
    public static Object value(String field, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof CharSequence text) {
            return text.toString();
        }
        if (value instanceof Integer || value instanceof Long) {
            return value;
        }
        if (value instanceof Boolean flag) {
            return flag ? 1 : 0;
        }
        if (value instanceof Double || value instanceof Float) {
            return floating(((Number) value).doubleValue());
        }
        if (value instanceof Instant instant) {
            return timestamp(field, instant);
        }
        if (value instanceof LocalDate date) {
            return date(field, date);
        }
        if (value instanceof Enum<?> symbol) {
            return SYMBOLS.computeIfAbsent(symbol, e -> e.name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException("field " + field + ": no column mapping for " + value.getClass().getSimpleName());
    }

    /** 'yyyy-MM-dd HH:mm:ss' in UTC. */
    public static String timestamp(Instant instant) {
        // by hand: DateTimeFormatter costs more than the rest of a row's mapping
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        char[] c = new char[19];
        digits(c, 0, t.getYear(), 4);
        c[4] = '-';
        digits(c, 5, t.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, t.getDayOfMonth(), 2);
        c[10] = ' ';
        digits(c, 11, t.getHour(), 2);
        c[13] = ':';
        digits(c, 14, t.getMinute(), 2);
        c[16] = ':';
        digits(c, 17, t.getSecond(), 2);
        return new String(c);
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = width - 1; i >= 0; i--) {
            c[at + i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private static String timestamp(String field, Instant instant) {
        if (instant.isBefore(MIN_TIME) || instant.isAfter(MAX_TIME)) {
            throw new IllegalArgumentException("field " + field + ": timestamp " + instant + " outside the DateTime range");
        }
        return timestamp(instant);
    }

    private static String date(String field, LocalDate date) {
        if (date.isBefore(MIN_DATE) || date.isAfter(MAX_DATE)) {
            throw new IllegalArgumentException("field " + field + ": date " + date + " outside the Date range");
        }
        return date.toString();
    }

    // JSON has no NaN or infinity; ClickHouse reads them from quoted text into Float64
    private static Object floating(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return v;
    }
}
