package org.fieldstream.schema;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fieldstream.clickhouse.Sql;

/**
 * One versioned migration, {@code V<version>__<name>.sql}: table statements separated by a {@code ;}
 * at the end of a line, whole-line {@code --} comments, {@code ${db}} standing for the database.
 */
public record MigrationFile(int version, String name, String text) {

    private static final Pattern FILE_NAME = Pattern.compile("^V(\\d{3,})__([A-Za-z0-9_]+)\\.sql$");
    private static final String DATABASE_PLACEHOLDER = "${db}";

    public static MigrationFile of(String fileName, String text) {
        Matcher m = FILE_NAME.matcher(fileName);
        if (!m.matches()) {
            throw new IllegalArgumentException("migration file name must look like V001__name.sql: " + fileName);
        }
        return new MigrationFile(Integer.parseInt(m.group(1)), m.group(2), text);
    }

    /** SHA-256 of the file text; an applied migration whose checksum changed stops the start. */
    public String checksum() {
        return sha256(text);
    }

    /** SHA-256 of the UTF-8 text, as lower-case hex. */
    static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** The statements with {@code ${db}} replaced by the validated database name. */
    public List<String> statements(String database) {
        String db = Sql.identifier(database);
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\\R", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--")) {
                continue;
            }
            if (trimmed.endsWith(";")) {
                current.append(line, 0, line.lastIndexOf(';'));
                addIfPresent(statements, current.toString().replace(DATABASE_PLACEHOLDER, db));
                current.setLength(0);
            } else {
                current.append(line).append('\n');
            }
        }
        addIfPresent(statements, current.toString().replace(DATABASE_PLACEHOLDER, db));
        return List.copyOf(statements);
    }

    private static void addIfPresent(List<String> statements, String statement) {
        String s = statement.strip();
        if (!s.isEmpty()) {
            statements.add(s);
        }
    }

    public String label() {
        return String.format("V%03d__%s", version, name);
    }
}
