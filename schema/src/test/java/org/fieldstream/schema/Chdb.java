package org.fieldstream.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.fieldstream.clickhouse.ClickHouseSql;
import org.fieldstream.clickhouse.Sql;
import org.fieldstream.clickhouse.TabSeparated;

/**
 * The ClickHouse 26.7 engine as a library (chDB's {@code libchdb.so}, npm package
 * {@code @chdb/lib-linux-x64-gnu@26.7.3-stable.1}), so tests run the project's SQL on a current release
 * where no current server can be installed. One connection per JVM, on its own data directory under
 * {@code target/}, opened on first use and closed by a shutdown hook (the library crashes the process
 * at exit when a connection is left open). Default settings, as a 26.7 server has them.
 *
 * <p>The library is {@value #PROPERTY} (system property), else {@value #VARIABLE}, else the cache that
 * {@code bin/install-deps --tests} fills. A missing library fails the test that needs it: run
 * {@code bin/install-deps --tests}.
 */
public final class Chdb implements ClickHouseSql {

    static final String PROPERTY = "fieldstream.chdb.lib";
    static final String VARIABLE = "FIELDSTREAM_CHDB_LIB";
    static final Path DEFAULT_LIBRARY = Path.of(System.getProperty("user.home"), ".cache", "fieldstream", "chdb-26.7.3", "libchdb.so");
    private static final byte[] RESULT_FORMAT = "TabSeparatedWithNames".getBytes(StandardCharsets.US_ASCII);

    /** chDB's C API (chdb.h); size_t is a Java long on linux-x64, the only platform the package exists for. */
    private interface LibChdb extends Library {
        void chdb_set_signal_handlers_enabled(int enabled);

        /** Returns a {@code chdb_connection *}: the address of the connection handle. */
        Pointer chdb_connect(int argc, String[] argv);

        void chdb_close_conn(Pointer connectionAddress);

        Pointer chdb_query_n(Pointer connection, byte[] query, long queryLength, byte[] format, long formatLength);

        Pointer chdb_result_error(Pointer result);

        Pointer chdb_result_buffer(Pointer result);

        long chdb_result_length(Pointer result);

        void chdb_destroy_query_result(Pointer result);
    }

    private static Chdb shared;

    private final LibChdb lib;
    private final Pointer connectionAddress;
    private final Pointer connection;
    private final Path dataDir;
    private boolean closed;

    private Chdb(LibChdb lib, Pointer connectionAddress, Path dataDir) {
        this.lib = lib;
        this.connectionAddress = connectionAddress;
        this.connection = connectionAddress.getPointer(0);
        this.dataDir = dataDir;
    }

    /** The JVM's connection, opened on first use. */
    public static synchronized Chdb shared() {
        if (shared == null) {
            shared = open(library(), Path.of(System.getProperty("user.dir"), "target", "chdb-" + ProcessHandle.current().pid()));
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "chdb-close"));
        }
        return shared;
    }

    static Path library() {
        String configured = System.getProperty(PROPERTY, System.getenv(VARIABLE));
        Path path = configured == null || configured.isBlank() ? DEFAULT_LIBRARY : Path.of(configured);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("the ClickHouse 26.7 engine (libchdb.so) is not at " + path
                    + ": run bin/install-deps --tests, or point " + VARIABLE + " at it");
        }
        return path;
    }

    private static Chdb open(Path library, Path dataDir) {
        LibChdb lib = Native.load(library.toString(), LibChdb.class);
        // The JVM handles SIGSEGV itself (null checks, safepoints); the engine's own handlers would
        // turn every such signal into a crash, so they stay off.
        lib.chdb_set_signal_handlers_enabled(0);
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // async_insert off: with it on, an INSERT with inline data fails whenever the engine finds bytes
        // on the process's stdin, and a test fork's stdin is the test runner's command channel
        Pointer address = lib.chdb_connect(3, new String[] {"clickhouse", "--path=" + dataDir, "--async_insert=0"});
        if (address == null || address.getPointer(0) == null) {
            throw new IllegalStateException("chdb_connect failed for " + dataDir);
        }
        return new Chdb(lib, address, dataDir);
    }

    /** The engine's {@code version()}. */
    public ServerVersion version() {
        return ServerVersion.of(this);
    }

    @Override
    public void execute(String sql) {
        run(sql);
    }

    @Override
    public List<Map<String, String>> query(String sql) {
        return TabSeparated.parseWithNames(run(sql));
    }

    /** Inserts TabSeparated rows (each ending in a newline) into the named columns, in one INSERT. */
    public void insertTabSeparated(String database, String table, List<String> columns, List<byte[]> rows) {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(Sql.qualified(database, table)).append(" (")
                .append(String.join(", ", columns.stream().map(Sql::identifier).toList())).append(") FORMAT TabSeparated\n");
        rows.forEach(row -> sql.append(new String(row, StandardCharsets.UTF_8)));
        run(sql.toString());
    }

    private synchronized String run(String sql) {
        if (closed) {
            throw new IllegalStateException("the chDB connection is closed");
        }
        byte[] query = sql.getBytes(StandardCharsets.UTF_8);
        Pointer result = lib.chdb_query_n(connection, query, query.length, RESULT_FORMAT, RESULT_FORMAT.length);
        if (result == null) {
            throw new IllegalStateException("chDB returned no result for: " + firstLine(sql));
        }
        try {
            Pointer error = lib.chdb_result_error(result);
            if (error != null) {
                throw new IllegalStateException(error.getString(0, StandardCharsets.UTF_8.name()));
            }
            long length = lib.chdb_result_length(result);
            return length == 0 ? "" : new String(lib.chdb_result_buffer(result).getByteArray(0, Math.toIntExact(length)),
                    StandardCharsets.UTF_8);
        } finally {
            lib.chdb_destroy_query_result(result);
        }
    }

    private synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        lib.chdb_close_conn(connectionAddress);
        try (Stream<Path> paths = Files.walk(dataDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // target/ is cleaned by the build anyway
        }
    }

    private static String firstLine(String sql) {
        return sql.lines().findFirst().orElse("");
    }
}
