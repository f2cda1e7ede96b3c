package org.fieldstream.clickhouse;

import java.util.regex.Pattern;

/**
 * The one place where values enter SQL text. ClickHouse 18.16 has no query parameters, so every
 * identifier is validated and every string literal escaped here; nothing else concatenates input
 * into SQL.
 */
public final class Sql {

    private static final Pattern IDENTIFIER = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");

    private Sql() {
    }

    /** Returns the name unchanged if it is a plain identifier; rejects anything else. */
    public static String identifier(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain SQL identifier: " + describe(name));
        }
        return name;
    }

    /** {@code database.table}, both validated. */
    public static String qualified(String database, String table) {
        return identifier(database) + "." + identifier(table);
    }

    /**
     * A single-quoted string literal. Backslash and quote are escaped with a backslash and control
     * characters by their escapes, which old and current servers both read back unchanged.
     */
    public static String literal(String value) {
        if (value == null) {
            return "NULL";
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\0' -> out.append("\\0");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> out.append(c);
            }
        }
        return out.append('\'').toString();
    }

    private static String describe(String name) {
        if (name == null) {
            return "null";
        }
        // say what was wrong without echoing arbitrary text into logs
        return "'" + (name.length() > 40 ? name.substring(0, 40) + "..." : name).replaceAll("[^\\x20-\\x7e]", "?") + "'";
    }
}
