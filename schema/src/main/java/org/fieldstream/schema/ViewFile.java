package org.fieldstream.schema;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fieldstream.clickhouse.Sql;

/**
 * One view as code, {@code sql/views/<name>.sql}: whole-line {@code --} comments and the view's
 * {@code SELECT}, {@code ${db}} standing for the database. Its checksum covers the {@code SELECT}
 * only, so a comment edit does not re-create the view.
 */
public record ViewFile(String name, String text) {

    private static final Pattern READS = Pattern.compile("\\$\\{db}\\.(\\w+)");
    private static final String DATABASE_PLACEHOLDER = "${db}";

    public ViewFile {
        Sql.identifier(name);
        if (withoutComments(text).isEmpty()) {
            throw new IllegalArgumentException("view " + name + " has no SELECT");
        }
    }

    /** The SELECT as written, comment lines and a trailing {@code ;} removed, {@code ${db}} kept. */
    public String select() {
        return withoutComments(text);
    }

    /** SHA-256 of {@link #select()}. */
    public String checksum() {
        return MigrationFile.sha256(select());
    }

    /** The names this view reads from its database (tables and views), other than itself. */
    public Set<String> reads() {
        Set<String> names = new TreeSet<>();
        Matcher m = READS.matcher(select());
        while (m.find()) {
            if (!m.group(1).equals(name)) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** The SELECT for the validated database. */
    public String select(String database) {
        return select().replace(DATABASE_PLACEHOLDER, Sql.identifier(database));
    }

    private static String withoutComments(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\\R")) {
            if (!line.strip().startsWith("--")) {
                out.append(line).append('\n');
            }
        }
        String s = out.toString().strip();
        return s.endsWith(";") ? s.substring(0, s.length() - 1).strip() : s;
    }
}
