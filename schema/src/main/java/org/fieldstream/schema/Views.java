package org.fieldstream.schema;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.fieldstream.clickhouse.ClickHouseSql;
import org.fieldstream.clickhouse.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the views as code ({@code sql/views/<name>.sql}, listed in {@code index.txt}) after the
 * migrations. A view is (re)created when it is missing, when the checksum of its definition differs
 * from the one recorded in {@code <db>.schema_views}, when a view it reads is (re)created in the same
 * pass, or, for every view, when the caller says the tables changed (a migration applied, a column
 * added: a view's column list is fixed when it is created). Views are created after the views they
 * read. {@code schema_views} is a plain table on the node the sink writes to, as the views are.
 *
 * <p>On releases with {@code CREATE OR REPLACE VIEW} (24.1 and later) a view is replaced in one
 * statement, so readers never find it missing; on older ones (18.16) by {@code DROP TABLE IF EXISTS}
 * then {@code CREATE VIEW IF NOT EXISTS}. Either way a repeated or concurrent start does no harm.
 */
public final class Views {

    private static final Logger LOG = LoggerFactory.getLogger(Views.class);
    static final String RESOURCE_DIR = "/sql/views/";
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private Views() {
    }

    /** The bundled views, in an order where every view comes after the views it reads. */
    public static List<ViewFile> bundled() {
        List<ViewFile> views = new ArrayList<>();
        for (String line : Migrations.resource(RESOURCE_DIR + "index.txt").split("\\R")) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
                views.add(new ViewFile(name, Migrations.resource(RESOURCE_DIR + name + ".sql")));
            }
        }
        return ordered(views);
    }

    /**
     * The row of {@code schema_views} written after every view was applied: its checksum is
     * {@link #setChecksum} of the views applied, so that a reader tells a finished apply from one under way.
     */
    public static final String SET_ROW = "*";

    /** SHA-256 of every view's name and checksum, by name. */
    static String setChecksum(List<ViewFile> views) {
        StringBuilder text = new StringBuilder();
        views.stream().sorted(java.util.Comparator.comparing(ViewFile::name))
                .forEach(view -> text.append(view.name()).append(' ').append(view.checksum()).append('\n'));
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether the sink has finished applying the bundled views to {@code database}: {@code schema_views}
     * records each with its bundled checksum, and the {@link #SET_ROW} of these views was written at
     * or after the last of them (an apply under way has not written it yet).
     */
    public static boolean current(ClickHouseSql sql, String database) {
        String db = Sql.identifier(database);
        if (sql.query("SELECT name FROM system.tables WHERE database = " + Sql.literal(db) + " AND name = 'schema_views'").isEmpty()) {
            return false;
        }
        Map<String, String> recorded = new HashMap<>();
        Map<String, Long> at = new HashMap<>();
        for (Map<String, String> row : sql.query("SELECT name, checksum, toUInt32(applied_at) AS at FROM " + db + ".schema_views FINAL")) {
            recorded.put(row.get("name"), row.get("checksum"));
            at.put(row.get("name"), Long.parseLong(row.get("at")));
        }
        List<ViewFile> bundled = bundled();
        if (!setChecksum(bundled).equals(recorded.get(SET_ROW))) {
            return false;
        }
        long set = at.get(SET_ROW);
        return bundled.stream().allMatch(view -> view.checksum().equals(recorded.get(view.name())) && at.get(view.name()) <= set);
    }

    /**
     * Creates or replaces the views that need it (see the class comment); {@code tablesChanged}
     * replaces all of them. Returns the names of the views applied, in the order applied.
     */
    public static List<String> apply(ClickHouseSql sql, String database, List<ViewFile> views, ServerVersion version,
                                     boolean tablesChanged) {
        String db = Sql.identifier(database);
        sql.execute("CREATE TABLE IF NOT EXISTS " + db + ".schema_views ("
                + "name String, checksum String, applied_at DateTime('UTC')"
                + ") ENGINE = ReplacingMergeTree ORDER BY name");
        Map<String, String> recorded = new HashMap<>();
        for (Map<String, String> row : sql.query("SELECT name, checksum FROM " + db + ".schema_views FINAL")) {
            recorded.put(row.get("name"), row.get("checksum"));
        }
        Set<String> existing = new HashSet<>();
        for (Map<String, String> row : sql.query("SELECT name FROM system.tables WHERE database = " + Sql.literal(db))) {
            existing.add(row.get("name"));
        }
        Set<String> applied = new HashSet<>();
        List<String> order = new ArrayList<>();
        for (ViewFile view : ordered(views)) {
            boolean readsApplied = view.reads().stream().anyMatch(applied::contains);
            if (tablesChanged || readsApplied || !existing.contains(view.name()) || !view.checksum().equals(recorded.get(view.name()))) {
                run(sql, db, view, version);
                sql.execute("INSERT INTO " + db + ".schema_views (name, checksum, applied_at) VALUES (" + Sql.literal(view.name())
                        + ", " + Sql.literal(view.checksum()) + ", " + Sql.literal(DATE_TIME.format(Instant.now())) + ")");
                applied.add(view.name());
                order.add(view.name());
            }
        }
        if (!order.isEmpty()) {
            LOG.info("applied {} of {} views to {}: {}", order.size(), views.size(), db, order);
        }
        // written last: whoever waits for this release's views (the scope refresh of up) knows they are all in place
        sql.execute("INSERT INTO " + db + ".schema_views (name, checksum, applied_at) VALUES (" + Sql.literal(SET_ROW)
                + ", " + Sql.literal(setChecksum(views)) + ", " + Sql.literal(DATE_TIME.format(Instant.now())) + ")");
        return List.copyOf(order);
    }

    /** The statements that create or replace the view on this server. */
    static List<String> statements(ViewFile view, String db, ServerVersion version) {
        String name = Sql.qualified(db, view.name());
        String select = view.select(db);
        if (version.atLeast(ServerVersion.REPLACE_VIEW)) {
            return List.of("CREATE OR REPLACE VIEW " + name + " AS\n" + select);
        }
        return List.of("DROP TABLE IF EXISTS " + name, "CREATE VIEW IF NOT EXISTS " + name + " AS\n" + select);
    }

    private static void run(ClickHouseSql sql, String db, ViewFile view, ServerVersion version) {
        for (String statement : statements(view, db, version)) {
            try {
                sql.execute(statement);
            } catch (RuntimeException e) {
                String message = "view " + view.name() + " (sql/views/" + view.name() + ".sql) failed on ClickHouse " + version
                        + ": " + statement.lines().findFirst().orElse("").strip() + " -- " + e.getMessage()
                        + ". Fix the cause and start again: the view is applied then";
                LOG.error(message);
                throw new IllegalStateException(message, e);
            }
        }
    }

    /** The views with each after the views it reads, else by name; a cycle fails naming its views. */
    static List<ViewFile> ordered(List<ViewFile> views) {
        Map<String, ViewFile> byName = new TreeMap<>();
        for (ViewFile view : views) {
            if (byName.put(view.name(), view) != null) {
                throw new IllegalStateException("two views named " + view.name());
            }
        }
        Map<String, ViewFile> done = new LinkedHashMap<>();
        Set<String> visiting = new HashSet<>();
        for (String name : byName.keySet()) {
            visit(name, byName, done, visiting);
        }
        return List.copyOf(done.values());
    }

    private static void visit(String name, Map<String, ViewFile> byName, Map<String, ViewFile> done, Set<String> visiting) {
        if (done.containsKey(name) || !byName.containsKey(name)) {
            return;
        }
        if (!visiting.add(name)) {
            throw new IllegalStateException("views read each other in a cycle: " + visiting);
        }
        for (String read : byName.get(name).reads()) {
            visit(read, byName, done, visiting);
        }
        visiting.remove(name);
        done.put(name, byName.get(name));
    }
}
