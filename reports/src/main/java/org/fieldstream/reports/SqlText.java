package org.fieldstream.reports;

import java.time.LocalDate;
import java.util.List;

import org.fieldstream.clickhouse.Sql;

/**
 * Builds the WHERE conditions of the reports. ClickHouse 18.16 has no query parameters, so every
 * value reaches SQL text through {@link #literal}, the one quoting function (the sink's
 * {@link Sql#literal}), and only after {@link Filters} validated it.
 */
final class SqlText {

    private SqlText() {
    }

    /** The one way a value enters report SQL. */
    static String literal(String value) {
        return Sql.literal(value);
    }

    static String equal(String column, String value) {
        return column + " = " + literal(value);
    }

    static String onOrAfter(String column, LocalDate date) {
        return column + " >= toDate(" + literal(date.toString()) + ")";
    }

    static String onOrBefore(String column, LocalDate date) {
        return column + " <= toDate(" + literal(date.toString()) + ")";
    }

    /** " WHERE a AND b", or "" when there are no conditions. */
    static String where(List<String> conditions) {
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }
}
