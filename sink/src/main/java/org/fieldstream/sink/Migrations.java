package org.fieldstream.sink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fieldstream.clickhouse.ClickHouseSql;
import org.fieldstream.clickhouse.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the bundled schema migrations at start, on ClickHouse 18.16 and on current releases with
 * their default settings. Each applied version is recorded with its checksum in
 * {@code <db>.schema_migrations}; applied versions are skipped, and a changed applied file stops the
 * start rather than leaving the schema undefined.
 *
 * <p>Every statement is idempotent ({@code IF NOT EXISTS}, a view replaced by {@code DROP TABLE IF
 * EXISTS} then {@code CREATE VIEW IF NOT EXISTS}), so two sinks starting together do no harm, and a
 * start stopped by a failing statement (the error names the file, the statement's first line, the
 * server version and the server's message) completes the migration when run again after the fix.
 *
 * <p><b>Superseded migrations.</b> An applied file is never edited (its checksum would no longer
 * match), so SQL that turns out wrong on some server is replaced by a later migration whose first
 * line says {@code -- supersedes: V002, V003}. That later file must create everything the files it
 * supersedes create. On a database that already applied a superseded file nothing special happens:
 * the later file runs like any other and replaces the objects. On a database that has not applied
 * it, the superseded file is not run: it is recorded, with its own checksum, right after the file
 * that supersedes it has been applied. So an 18.16 database that applied V001-V005 moves forward with
 * V006, and a fresh current server never runs V002-V005 (which it refuses).
 *
 * <p>The server's {@code version()} is read and logged first. On releases that have it (24.1 and
 * later), a {@code DROP TABLE IF EXISTS x} directly followed by {@code CREATE VIEW IF NOT EXISTS x AS
 * ...} runs as one {@code CREATE OR REPLACE VIEW x AS ...}, so readers never find the view missing;
 * the view's rows are the same either way.
 */
public final class Migrations {

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    static final String RESOURCE_DIR = "/sql/migrations/";
    private static final Pattern DROP = Pattern.compile("^DROP TABLE IF EXISTS (\\S+)$");
    private static final Pattern CREATE_VIEW = Pattern.compile("(?s)^CREATE VIEW IF NOT EXISTS (\\S+) AS\\b(.*)$");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private Migrations() {
    }

    /** Applies every pending bundled migration; returns the versions applied or recorded as superseded by this call. */
    public static List<Integer> apply(ClickHouseSql sql, String database) {
        return apply(sql, database, bundled());
    }

    static List<Integer> apply(ClickHouseSql sql, String database, List<MigrationFile> files) {
        String db = Sql.identifier(database);
        Map<Integer, MigrationFile> byVersion = byVersion(files);
        Map<Integer, Integer> supersededBy = supersededBy(files, byVersion);
        ServerVersion version = ServerVersion.of(sql);
        LOG.info("ClickHouse server version {}; migrating database {}", version, db);
        sql.execute("CREATE DATABASE IF NOT EXISTS " + db);
        sql.execute("CREATE TABLE IF NOT EXISTS " + db + ".schema_migrations ("
                + "version UInt32, name String, checksum String, applied_at DateTime('UTC')"
                + ") ENGINE = ReplacingMergeTree ORDER BY version");
        Map<Integer, String> applied = appliedChecksums(sql, db);
        List<Integer> done = new ArrayList<>();
        for (MigrationFile file : files) {
            String known = applied.get(file.version());
            if (known != null) {
                if (!known.equals(file.checksum())) {
                    throw new IllegalStateException("migration " + file.label() + " was changed after it was applied to "
                            + db + "; add a new migration instead");
                }
                continue;
            }
            if (supersededBy.containsKey(file.version())) {
                continue; // recorded once the migration that supersedes it is applied
            }
            LOG.info("applying migration {} to {}", file.label(), db);
            run(sql, file, db, version);
            record(sql, db, file);
            done.add(file.version());
            for (int old : file.supersedes()) {
                if (!applied.containsKey(old)) {
                    LOG.info("recording migration {} as superseded by {}; it was not run", byVersion.get(old).label(), file.label());
                    record(sql, db, byVersion.get(old));
                    done.add(old);
                }
            }
        }
        done.sort(Comparator.naturalOrder());
        return List.copyOf(done);
    }

    private static void run(ClickHouseSql sql, MigrationFile file, String db, ServerVersion version) {
        List<String> statements = forServer(file.statements(db), version);
        for (int i = 0; i < statements.size(); i++) {
            String statement = statements.get(i);
            try {
                sql.execute(statement);
            } catch (RuntimeException e) {
                String message = "migration " + file.label() + " failed at statement " + (i + 1) + " of " + statements.size()
                        + " on ClickHouse " + version + ": " + statement.lines().findFirst().orElse("").strip()
                        + " -- " + e.getMessage() + ". Fix the cause and start again: the statements are idempotent,"
                        + " so the migration completes then";
                LOG.error(message);
                throw new IllegalStateException(message, e);
            }
        }
    }

    /** The statements as this server runs them: on releases with CREATE OR REPLACE VIEW, each drop-and-create pair as one. */
    static List<String> forServer(List<String> statements, ServerVersion version) {
        if (!version.atLeast(ServerVersion.REPLACE_VIEW)) {
            return statements;
        }
        List<String> out = new ArrayList<>(statements.size());
        for (int i = 0; i < statements.size(); i++) {
            Matcher drop = DROP.matcher(statements.get(i));
            Matcher create = i + 1 < statements.size() ? CREATE_VIEW.matcher(statements.get(i + 1)) : null;
            if (drop.matches() && create != null && create.matches() && create.group(1).equals(drop.group(1))) {
                out.add("CREATE OR REPLACE VIEW " + create.group(1) + " AS" + create.group(2));
                i++;
            } else {
                out.add(statements.get(i));
            }
        }
        return List.copyOf(out);
    }

    private static Map<Integer, MigrationFile> byVersion(List<MigrationFile> files) {
        Map<Integer, MigrationFile> byVersion = new HashMap<>();
        for (MigrationFile file : files) {
            if (byVersion.put(file.version(), file) != null) {
                throw new IllegalStateException("two migrations with version " + file.version());
            }
        }
        return byVersion;
    }

    /** Superseded version to the version that supersedes it; each must be an earlier migration of the set, named once. */
    static Map<Integer, Integer> supersededBy(List<MigrationFile> files, Map<Integer, MigrationFile> byVersion) {
        Map<Integer, Integer> supersededBy = new HashMap<>();
        for (MigrationFile file : files) {
            for (int old : file.supersedes()) {
                if (old >= file.version() || !byVersion.containsKey(old)) {
                    throw new IllegalStateException(file.label() + " supersedes V" + old + ", which is not an earlier bundled migration");
                }
                if (supersededBy.put(old, file.version()) != null) {
                    throw new IllegalStateException("V" + old + " is superseded twice");
                }
            }
        }
        return supersededBy;
    }

    private static Map<Integer, String> appliedChecksums(ClickHouseSql sql, String db) {
        Map<Integer, String> applied = new HashMap<>();
        for (Map<String, String> row : sql.query("SELECT version, checksum FROM " + db + ".schema_migrations FINAL")) {
            applied.put(Integer.parseInt(row.get("version")), row.get("checksum"));
        }
        return applied;
    }

    private static void record(ClickHouseSql sql, String db, MigrationFile file) {
        sql.execute("INSERT INTO " + db + ".schema_migrations (version, name, checksum, applied_at) VALUES ("
                + file.version() + ", " + Sql.literal(file.name()) + ", " + Sql.literal(file.checksum()) + ", "
                + Sql.literal(DATE_TIME.format(Instant.now())) + ")");
    }

    /** The migrations bundled with the sink, listed in {@code sql/migrations/index.txt}, by version. */
    public static List<MigrationFile> bundled() {
        List<MigrationFile> files = new ArrayList<>();
        for (String line : resource(RESOURCE_DIR + "index.txt").split("\\R")) {
            String fileName = line.strip();
            if (!fileName.isEmpty() && !fileName.startsWith("#")) {
                files.add(MigrationFile.of(fileName, resource(RESOURCE_DIR + fileName)));
            }
        }
        files.sort(Comparator.comparingInt(MigrationFile::version));
        supersededBy(files, byVersion(files));
        return List.copyOf(files);
    }

    private static String resource(String path) {
        try (InputStream in = Migrations.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
