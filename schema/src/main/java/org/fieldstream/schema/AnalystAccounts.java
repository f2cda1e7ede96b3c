package org.fieldstream.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.fieldstream.clickhouse.ClickHouseSql;
import org.fieldstream.clickhouse.Sql;

/**
 * Analysts' ClickHouse accounts on a ClickHouse 18.16 server whose config files FieldStream writes
 * (the local stack's, the tests'): 18.16 has no SQL users, so each analyst is a file
 * {@code users.d/fieldstream-analyst-<name>.xml} next to the server's {@code users.xml} (its password
 * only as SHA-256), which the server reloads within seconds, without a restart. The first account of
 * a main database adds {@code users.d/fieldstream-scopes-<db>.xml} (the internal read-only user that
 * the scope cluster logs in as, and the analysts' read-only profile with its limits) and
 * {@code config.d/fieldstream-scopes-<db>.xml} (the one-replica cluster {@code <db>_scopes} of the
 * server itself); the scope's tables are made by {@link ScopeViews}. Passwords are printed once by the
 * caller and never logged or stored in clear, except the internal user's, which the cluster definition
 * needs (a file only the server's owner reads). The dashboard's viewers have no account here; each
 * program they read has one internal program-scope account, {@code <db>_viewers_<hash>}
 * ({@link #viewersReader(String, String)}), whose password only the dashboard keeps; {@link #list()}
 * leaves these out.
 */
public final class AnalystAccounts {

    /** An analyst profile's limits: one query cannot stall the server or the sink. */
    public record Limits(int maxExecutionSeconds, long maxMemoryBytes, long maxResultRows, int maxConcurrentQueries) {
        public static final Limits DEFAULT = new Limits(60, 2_000_000_000L, 1_000_000L, 8);
    }

    /** An account as its file records it. */
    public record Analyst(String name, AnalystScope scope, String database) {
    }

    /** A new or rotated account: the password exists only here, to be shown once. */
    public record Credentials(String user, String password, String database) {
        @Override
        public String toString() {
            return "Credentials[user=" + user + ", database=" + database + "]";
        }
    }

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final Pattern META = Pattern.compile("<!-- fieldstream analyst (\\S+) -->");
    private static final Pattern READER_PASSWORD = Pattern.compile("<password>([A-Za-z0-9_-]+)</password>");
    private static final Duration RELOAD_WAIT = Duration.ofSeconds(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ClickHouseSql admin;
    private final String httpUrl;
    private final String database;
    private final Path configDir;
    private final String host;
    private final int tcpPort;
    private final Limits limits;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param admin    a user that may create databases and views (the stack's or the tests' user)
     * @param httpUrl  the server's HTTP endpoint, where a new account's login is awaited
     * @param database the main database (tables and views)
     * @param configDir the directory of the server's {@code config.xml} and {@code users.xml}
     * @param tcpPort  the server's native port, which the scope cluster connects to
     */
    public AnalystAccounts(ClickHouseSql admin, String httpUrl, String database, Path configDir, String host, int tcpPort, Limits limits) {
        this.admin = admin;
        this.httpUrl = httpUrl.endsWith("/") ? httpUrl : httpUrl + "/";
        this.database = Sql.identifier(database);
        this.configDir = configDir.toAbsolutePath();
        this.host = host;
        this.tcpPort = tcpPort;
        this.limits = limits;
    }

    public String cluster() {
        return database + "_scopes";
    }

    String readerUser() {
        return database + "_scope_reader";
    }

    String analystProfile() {
        return database + "_analyst";
    }

    Path analystFile(String name) {
        return configDir.resolve("users.d").resolve("fieldstream-analyst-" + name + ".xml");
    }

    Path readerFile() {
        return configDir.resolve("users.d").resolve("fieldstream-scopes-" + database + ".xml");
    }

    Path clusterFile() {
        return configDir.resolve("config.d").resolve("fieldstream-scopes-" + database + ".xml");
    }

    /** Creates the account and its scope; the password is returned once and kept nowhere. */
    public Credentials add(String name, AnalystScope scope) {
        checkName(name);
        if (Files.exists(analystFile(name))) {
            throw new IllegalArgumentException("analyst " + name + " exists (rotate its password with analyst password " + name + ")");
        }
        checkReference(scope);
        ensureCluster();
        ScopeViews.apply(admin, database, scope, cluster());
        String password = newPassword();
        String scopeDb = scope.database(database);
        writePrivate(analystFile(name), analystXml(name, scope, scopeDb, password));
        awaitLogin(name, password, scopeDb);
        return new Credentials(name, password, scopeDb);
    }

    /** A new password for an existing account; the old one stops working once the server reloads. */
    public Credentials rotate(String name) {
        Analyst analyst = find(name).orElseThrow(() -> new IllegalArgumentException("no analyst " + name));
        String password = newPassword();
        writePrivate(analystFile(name), analystXml(name, analyst.scope(), analyst.database(), password));
        awaitLogin(name, password, analyst.database());
        return new Credentials(name, password, analyst.database());
    }

    /** Removes the account; the scope's database goes with its last account. */
    public void remove(String name) {
        Analyst analyst = find(name).orElseThrow(() -> new IllegalArgumentException("no analyst " + name));
        delete(analyst);
    }

    private void delete(Analyst analyst) {
        try {
            Files.delete(analystFile(analyst.name()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + analystFile(analyst.name()), e);
        }
        if (accounts().stream().noneMatch(other -> other.scope().equals(analyst.scope()))) {
            ScopeViews.drop(admin, database, analyst.scope());
        }
    }

    /** The internal account that reads program {@code program} for the dashboard's viewers. */
    public String viewersReader(String program) {
        return database + "_viewers_" + HexFormat.of().formatHex(sha256(program), 0, 4);
    }

    /**
     * The program's internal viewers' reader, a program-scope account: kept when it exists and logs in
     * with {@code known} (the password the dashboard stored; null when none), else written anew with a
     * new password, returned here only (the caller stores it for the dashboard).
     */
    public Credentials viewersReader(String program, String known) {
        AnalystScope scope = new AnalystScope(program, null);
        checkReference(scope);
        ensureCluster();
        ScopeViews.apply(admin, database, scope, cluster());
        String name = viewersReader(program);
        String scopeDb = scope.database(database);
        if (known != null && Files.exists(analystFile(name)) && canLogIn(name, known, scopeDb)) {
            return new Credentials(name, known, scopeDb);
        }
        String password = newPassword();
        writePrivate(analystFile(name), analystXml(name, scope, scopeDb, password));
        awaitLogin(name, password, scopeDb);
        return new Credentials(name, password, scopeDb);
    }

    /** Removes the program's internal viewers' reader (its last viewer went); the scope goes with its last account. */
    public void removeViewersReader(String program) {
        String name = viewersReader(program);
        accounts().stream().filter(a -> a.name().equals(name)).findFirst().ifPresent(this::delete);
    }

    /** Re-creates every scope's tables (after the views changed). */
    public void refresh() {
        if (!accounts().isEmpty()) {
            ensureCluster();
        }
        accounts().stream().map(Analyst::scope).distinct().forEach(scope -> ScopeViews.apply(admin, database, scope, cluster()));
    }

    /**
     * Re-creates the scopes whose tables no longer match the views they offer ({@link ScopeViews#stale}:
     * a view's columns changed in an upgrade, a view was added or dropped, the scope database is missing
     * as after a restore), and the scope cluster's files when missing. Returns each rebuilt scope
     * database with the tables that differed; empty when every scope is current or there is no account.
     */
    public Map<String, List<String>> refreshStale() {
        List<AnalystScope> scopes = accounts().stream().map(Analyst::scope).distinct().toList();
        if (scopes.isEmpty()) {
            return Map.of();
        }
        ensureCluster();
        Map<String, List<String>> rebuilt = new LinkedHashMap<>();
        for (AnalystScope scope : scopes) {
            List<String> stale = ScopeViews.stale(admin, database, scope);
            if (!stale.isEmpty()) {
                ScopeViews.apply(admin, database, scope, cluster());
                rebuilt.put(scope.database(database), stale);
            }
        }
        return rebuilt;
    }

    /** Every analyst account of the main database, by name (not the viewers' internal readers). */
    public List<Analyst> list() {
        return accounts().stream().filter(a -> !internal(a.name())).toList();
    }

    private boolean internal(String name) {
        return name.startsWith(database + "_viewers_");
    }

    /** Every account file of the main database, the viewers' readers included. */
    private List<Analyst> accounts() {
        Path dir = configDir.resolve("users.d");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Analyst> analysts = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String fileName = file.getFileName().toString();
                if (fileName.startsWith("fieldstream-analyst-") && fileName.endsWith(".xml")) {
                    parse(Files.readString(file)).filter(a -> a.database().startsWith(database + "_")).ifPresent(analysts::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        return analysts;
    }

    public Optional<Analyst> find(String name) {
        checkName(name);
        return list().stream().filter(a -> a.name().equals(name)).findFirst();
    }

    private void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.equals("default") || name.equals(readerUser())
                || name.endsWith("_scope_reader") || name.equals(database) || name.startsWith(database + "_")) {
            throw new IllegalArgumentException("an analyst's name is lower-case letters, digits and _, starting with a letter,"
                    + " at most 63 characters, and not default, " + database + " or " + database + "_... (the stack's own users)");
        }
    }

    /** The program, and the partner in that program, must be in the reference data. */
    private void checkReference(AnalystScope scope) {
        if (admin.query("SELECT program_id FROM " + Sql.qualified(database, "v_programs") + " WHERE program_id = "
                + Sql.literal(scope.program())).isEmpty()) {
            throw new IllegalArgumentException("program " + scope.program() + " is not in the reference data of " + database);
        }
        if (scope.partner() != null && admin.query("SELECT partner_id FROM " + Sql.qualified(database, "v_partners")
                + " WHERE program_id = " + Sql.literal(scope.program()) + " AND partner_id = " + Sql.literal(scope.partner())).isEmpty()) {
            throw new IllegalArgumentException("partner " + scope.partner() + " is not a partner of program " + scope.program()
                    + " in the reference data of " + database);
        }
    }

    /** The internal reader, the analysts' profile and the cluster; written once, then awaited. */
    private void ensureCluster() {
        String password = readerPassword().orElse(null);
        if (password == null || !Files.exists(readerFile())) {
            password = password == null ? newPassword() : password;
            writePrivate(readerFile(), readerXml(password));
            writePrivate(clusterFile(), clusterXml(password));
        }
        long deadline = System.nanoTime() + RELOAD_WAIT.toNanos();
        while (admin.query("SELECT cluster FROM system.clusters WHERE cluster = " + Sql.literal(cluster())).isEmpty()
                || !canLogIn(readerUser(), password, database)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("ClickHouse did not load " + clusterFile() + " and " + readerFile() + " within "
                        + RELOAD_WAIT + "; is " + configDir + " the directory of the server's config.xml?");
            }
            sleep();
        }
    }

    private Optional<String> readerPassword() {
        if (!Files.exists(clusterFile())) {
            return Optional.empty();
        }
        try {
            Matcher m = READER_PASSWORD.matcher(Files.readString(clusterFile()));
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + clusterFile(), e);
        }
    }

    String readerXml(String password) {
        return """
                <?xml version="1.0"?>
                <!-- written by FieldStream: the read-only user of cluster %s and the analysts' profile -->
                <yandex>
                    <profiles>
                        <%s>
                            <readonly>1</readonly>
                        </%s>
                        <%s>
                            <readonly>1</readonly>
                            <prefer_localhost_replica>0</prefer_localhost_replica>
                            <max_execution_time>%d</max_execution_time>
                            <max_memory_usage>%d</max_memory_usage>
                            <max_result_rows>%d</max_result_rows>
                            <max_concurrent_queries_for_user>%d</max_concurrent_queries_for_user>
                        </%s>
                    </profiles>
                    <users>
                %s
                    </users>
                </yandex>
                """.formatted(cluster(), readerUser() + "_profile", readerUser() + "_profile", analystProfile(),
                limits.maxExecutionSeconds(), limits.maxMemoryBytes(), limits.maxResultRows(), limits.maxConcurrentQueries(),
                analystProfile(), userXml(readerUser(), password, readerUser() + "_profile", database));
    }

    String clusterXml(String password) {
        return """
                <?xml version="1.0"?>
                <!-- written by FieldStream: the server itself as the one replica that analysts' scope tables read through -->
                <yandex>
                    <remote_servers>
                        <%s>
                            <shard>
                                <replica>
                                    <host>%s</host>
                                    <port>%d</port>
                                    <user>%s</user>
                                    <password>%s</password>
                                </replica>
                            </shard>
                        </%s>
                    </remote_servers>
                </yandex>
                """.formatted(cluster(), host, tcpPort, readerUser(), password, cluster());
    }

    String analystXml(String name, AnalystScope scope, String scopeDb, String password) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("role", scope.role().text());
        meta.put("program", scope.program());
        if (scope.partner() != null) {
            meta.put("partner", scope.partner());
        }
        meta.put("database", scopeDb);
        StringBuilder encoded = new StringBuilder();
        meta.forEach((k, v) -> encoded.append(encoded.isEmpty() ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("-", "%2D")));
        return """
                <?xml version="1.0"?>
                <!-- fieldstream analyst %s -->
                <yandex>
                    <users>
                %s
                    </users>
                </yandex>
                """.formatted(encoded, userXml(name, password, analystProfile(), Sql.identifier(scopeDb)));
    }

    /** A user of loopback only, with its password's SHA-256, its profile and the one database it may read. */
    private static String userXml(String name, String password, String profile, String database) {
        return """
                        <%s>
                            %s
                            <networks>
                                <ip>127.0.0.1</ip>
                                <ip>::1</ip>
                            </networks>
                            <profile>%s</profile>
                            <quota>default</quota>
                            <allow_databases>
                                <database>%s</database>
                            </allow_databases>
                        </%s>""".formatted(name, sha256Element(password), profile, database, name);
    }

    static Optional<Analyst> parse(String xml) {
        Matcher m = META.matcher(xml);
        Matcher user = Pattern.compile("<users>\\s*<([a-z][a-z0-9_]*)>").matcher(xml);
        if (!m.find() || !user.find()) {
            return Optional.empty();
        }
        Map<String, String> meta = new LinkedHashMap<>();
        for (String pair : m.group(1).split("&")) {
            int eq = pair.indexOf('=');
            meta.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        AnalystScope scope = AnalystScope.of(AnalystScope.Role.parse(meta.get("role")), meta.get("program"), meta.get("partner"));
        return Optional.of(new Analyst(user.group(1), scope, meta.get("database")));
    }

    static String sha256Element(String password) {
        return "<password_sha256_hex>" + HexFormat.of().formatHex(sha256(password)) + "</password_sha256_hex>";
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String newPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private void awaitLogin(String user, String password, String scopeDb) {
        long deadline = System.nanoTime() + RELOAD_WAIT.toNanos();
        while (!canLogIn(user, password, scopeDb)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("ClickHouse did not load the account " + user + " within " + RELOAD_WAIT
                        + "; is " + configDir + " the directory of the server's users.xml?");
            }
            sleep();
        }
    }

    /** True when {@code user} logs in with {@code password} and may use {@code database}. */
    public boolean canLogIn(String user, String password, String db) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(httpUrl + "?database=" + URLEncoder.encode(db, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("SELECT 1")).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for ClickHouse to load an account", e);
        }
    }

    /** Written beside, then moved into place, so the server never reads half a file; rw------- where POSIX. */
    private static void writePrivate(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.writeString(tmp, text);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's permissions apply
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for ClickHouse to reload its users", e);
        }
    }
}
