package org.fieldstream.schema;

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fieldstream.clickhouse.ClickHouseSql;
import org.fieldstream.clickhouse.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database to the bundled schema at start, on ClickHouse 18.16 and on current releases with
 * their default settings: the table migrations ({@code sql/migrations}), then the columns that the
 * Avro schemas gained with a default ({@link TableColumns}), then the views ({@link Views}).
 *
 * <p>Each applied migration is recorded with its checksum in {@code <db>.schema_migrations}; applied
 * versions are skipped, and an applied file whose text changed stops the start rather than leaving
 * the schema undefined. A recorded checksum is also accepted when it is the one listed for that
 * version in {@code released-checksums.txt}: the SHA-256 of a text released before the file's view
 * statements moved to {@code sql/views} (the tables it creates are unchanged). A recorded checksum
 * that is empty marks a migration whose tables an operator created otherwise (the cluster variant,
 * {@code sql/cluster/tables.sql}): it is not run, and the bundled file's checksum is recorded.
 *
 * <p>Every statement is idempotent ({@code IF NOT EXISTS}, copies into a ReplacingMergeTree, a
 * rename whose target is dropped first), so two sinks starting together do no harm, and a start
 * stopped by a failing statement (the error names the file, the statement's first line, the server
 * version and the server's message) completes the migration when run again after the fix.
 */
public final class Migrations {

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    static final String RESOURCE_DIR = "/sql/migrations/";
    static final String RELEASED_CHECKSUMS = RESOURCE_DIR + "released-checksums.txt";
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private Migrations() {
    }

    /**
     * Applies every pending bundled migration, adds the columns the Avro schemas gained and applies
     * the views that need it; returns the migration versions applied by this call.
     */
    public static List<Integer> apply(ClickHouseSql sql, String database) {
        ServerVersion version = ServerVersion.of(sql);
        List<Integer> applied = apply(sql, database, bundled(), version);
        List<String> added = TableColumns.addMissing(sql, database, TableColumns.avroTables());
        Views.apply(sql, database, Views.bundled(), version, !applied.isEmpty() || !added.isEmpty());
        return applied;
    }

    /** Applies the given table migrations only; returns the versions applied. */
    static List<Integer> apply(ClickHouseSql sql, String database, List<MigrationFile> files) {
        return apply(sql, database, files, ServerVersion.of(sql));
    }

    private static List<Integer> apply(ClickHouseSql sql, String database, List<MigrationFile> files, ServerVersion version) {
        String db = Sql.identifier(database);
        byVersion(files);
        Map<Integer, Set<String>> released = releasedChecksums();
        LOG.info("ClickHouse server version {}; migrating database {}", version, db);
        sql.execute("CREATE DATABASE IF NOT EXISTS " + db);
        sql.execute("CREATE TABLE IF NOT EXISTS " + db + ".schema_migrations ("
                + "version UInt32, name String, checksum String, applied_at DateTime('UTC')"
                + ") ENGINE = ReplacingMergeTree ORDER BY version");
        Map<Integer, String> applied = appliedChecksums(sql, db);
        List<Integer> done = new ArrayList<>();
        for (MigrationFile file : files) {
            String known = applied.get(file.version());
            if (known == null) {
                LOG.info("applying migration {} to {}", file.label(), db);
                run(sql, file, db, version);
                record(sql, db, file);
                done.add(file.version());
            } else if (known.isEmpty()) {
                LOG.info("migration {} is recorded without checksum (its tables were created otherwise); recording its checksum",
                        file.label());
                record(sql, db, file);
            } else if (!known.equals(file.checksum()) && !released.getOrDefault(file.version(), Set.of()).contains(known)) {
                throw new IllegalStateException("migration " + file.label() + " was changed after it was applied to "
                        + db + "; add a new migration instead");
            }
        }
        done.sort(Comparator.naturalOrder());
        return List.copyOf(done);
    }

    private static void run(ClickHouseSql sql, MigrationFile file, String db, ServerVersion version) {
        List<String> statements = file.statements(db);
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

    private static Map<Integer, MigrationFile> byVersion(List<MigrationFile> files) {
        Map<Integer, MigrationFile> byVersion = new HashMap<>();
        for (MigrationFile file : files) {
            if (byVersion.put(file.version(), file) != null) {
                throw new IllegalStateException("two migrations with version " + file.version());
            }
        }
        return byVersion;
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

    /**
     * The checksums of released texts accepted per version besides the bundled file's own: lines
     * {@code V002 <sha256>} of {@code released-checksums.txt}, written by a command from the
     * project's history (see {@code ReleasedChecksumsTest}), never by hand.
     */
    static Map<Integer, Set<String>> releasedChecksums() {
        Map<Integer, Set<String>> released = new HashMap<>();
        for (String line : resource(RELEASED_CHECKSUMS).split("\\R")) {
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            String[] parts = s.split("\\s+");
            if (parts.length != 2 || !parts[0].matches("V\\d{3,}") || !parts[1].matches("[0-9a-f]{64}")) {
                throw new IllegalStateException(RELEASED_CHECKSUMS + ": not 'V<version> <sha256>': " + s);
            }
            released.computeIfAbsent(Integer.parseInt(parts[0].substring(1)), v -> new HashSet<>()).add(parts[1]);
        }
        return released;
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
        byVersion(files);
        return List.copyOf(files);
    }

    static String resource(String path) {
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
