package org.fieldstream.schema;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fieldstream.clickhouse.ClickHouseSql;

/** A ClickHouse server's {@code version()}, e.g. 18.16.1 or 26.7.2.1; compared by year and feature release. */
public record ServerVersion(String text, int major, int minor) {

    private static final Pattern NUMBERS = Pattern.compile("^(\\d+)\\.(\\d+)(\\.\\d+)*$");

    /** The first release with {@code CREATE OR REPLACE VIEW} that the project tests: 24.1 (18.16 lacks it). */
    static final ServerVersion REPLACE_VIEW = parse("24.1");

    public static ServerVersion parse(String text) {
        Matcher m = NUMBERS.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a ClickHouse version: " + text);
        }
        return new ServerVersion(text.strip(), Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** Asks the server. */
    public static ServerVersion of(ClickHouseSql sql) {
        return parse(sql.query("SELECT version() AS version").get(0).get("version"));
    }

    public boolean atLeast(ServerVersion other) {
        return major != other.major ? major > other.major : minor >= other.minor;
    }

    @Override
    public String toString() {
        return text;
    }
}
