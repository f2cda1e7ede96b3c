package org.fieldstream.sink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the bundled schema migrations at start. Each applied version is recorded with its
 * checksum in {@code <db>.schema_migrations}; applied versions are skipped, and a changed applied
 * file stops the start rather than leaving the schema undefined. Statements are idempotent
 * ({@code IF NOT EXISTS}), so two sinks starting together do no harm.
 */
public final class Migrations {

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    static final String RESOURCE_DIR = "/sql/migrations/";
    private static final List<String> RECORD_COLUMNS = List.of("version", "name", "checksum", "applied_at");

    private Migrations() {
    }

    /** Applies every pending bundled migration; returns the versions applied by this call. */
    public static List<Integer> apply(ClickHouseGateway gateway, String database) {
        return apply(gateway, database, bundled());
    }

    static List<Integer> apply(ClickHouseGateway gateway, String database, List<MigrationFile> files) {
        String db = Sql.identifier(database);
        gateway.execute("CREATE DATABASE IF NOT EXISTS " + db);
        gateway.execute("CREATE TABLE IF NOT EXISTS " + db + ".schema_migrations ("
                + "version UInt32, name String, checksum String, applied_at DateTime('UTC')"
                + ") ENGINE = ReplacingMergeTree ORDER BY version");
        Map<Integer, String> applied = appliedChecksums(gateway, db);
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
            LOG.info("applying migration {} to {}", file.label(), db);
            file.statements(db).forEach(gateway::execute);
            gateway.insertTabSeparated(db, "schema_migrations", RECORD_COLUMNS, List.of(record(file)));
            done.add(file.version());
        }
        return List.copyOf(done);
    }

    private static Map<Integer, String> appliedChecksums(ClickHouseGateway gateway, String db) {
        Map<Integer, String> applied = new HashMap<>();
        for (Map<String, String> row : gateway.query("SELECT version, checksum FROM " + db + ".schema_migrations FINAL")) {
            applied.put(Integer.parseInt(row.get("version")), row.get("checksum"));
        }
        return applied;
    }

    private static byte[] record(MigrationFile file) {
        return new TsvRow().begin().integer(file.version()).text(file.name()).text(file.checksum())
                .timestamp("applied_at", Instant.now()).end();
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
        for (int i = 1; i < files.size(); i++) {
            if (files.get(i).version() == files.get(i - 1).version()) {
                throw new IllegalStateException("two migrations with version " + files.get(i).version());
            }
        }
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
