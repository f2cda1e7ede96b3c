package org.fieldstream.clickhouse;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.DataStreamWriter;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;

/**
 * The one class that talks to ClickHouse. Works on 18.16 and current releases over HTTP with the
 * client-v2 API shipped in clickhouse-jdbc: responses uncompressed, result formats named in the SQL
 * itself (18.16 ignores the requested format otherwise), no query parameters — values go through
 * {@link Sql}.
 */
public final class ClickHouseGateway implements ClickHouseSql, AutoCloseable {

    private static final Pattern ENDS_WITH_FORMAT = Pattern.compile("(?is).*\\bFORMAT\\s+[A-Za-z]+\\s*;?\\s*$");
    private static final long TIMEOUT_SECONDS = 120;
    private static final int BODY_BUFFER_BYTES = 64 * 1024;

    private final Client client;
    private final String url;

    public ClickHouseGateway(String url, String user, String password) {
        this.url = url;
        this.client = new Client.Builder()
                .addEndpoint(url)
                .setUsername(user)
                .setPassword(password == null ? "" : password)
                .compressServerResponse(false)
                .compressClientRequest(false)
                .setConnectTimeout(2, ChronoUnit.SECONDS)
                .setSocketTimeout(60, ChronoUnit.SECONDS)
                // the sink retries whole batches itself and must see every failure
                .setMaxRetries(0)
                .build();
    }

    public String url() {
        return url;
    }

    /** True when the server answers. */
    public boolean ping() {
        try {
            return client.ping(2_000);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Runs a statement that returns no rows (DDL, INSERT ... SELECT). */
    @Override
    public void execute(String sql) {
        closeQuietly(call(() -> client.execute(sql), "execute"));
    }

    /**
     * Inserts newline-delimited JSON objects in one INSERT; returns when the server has accepted all
     * of them (18.16 reports no written-row count, so none is returned).
     */
    public void insertJsonEachRow(String database, String table, InputStream rows) {
        String target = Sql.qualified(database, table);
        try (InsertResponse ignored = call(() -> client.insert(target, rows, ClickHouseFormat.JSONEachRow, new InsertSettings()),
                "insert into " + target)) {
            // the response only carries statistics
        }
    }

    /**
     * Inserts TabSeparated rows (each ending in a newline) that fill the named
     * columns, in one INSERT streamed from the given arrays; returns when the server has accepted
     * all of them. Columns left out take their defaults.
     */
    public void insertTabSeparated(String database, String table, List<String> columns, List<byte[]> rows) {
        String target = Sql.qualified(database, table);
        List<String> names = columns.stream().map(Sql::identifier).toList();
        DataStreamWriter body = out -> {
            try (OutputStream buffered = new BufferedOutputStream(out, BODY_BUFFER_BYTES)) {
                for (byte[] row : rows) {
                    buffered.write(row);
                }
            }
        };
        try (InsertResponse ignored = call(() -> client.insert(target, names, body, ClickHouseFormat.TabSeparated, new InsertSettings()),
                "insert into " + target)) {
            // the response only carries statistics
        }
    }

    /** Inserts rows given as column name to JSON value maps (tools and tests; the sink writes TabSeparated). */
    public void insertJsonEachRow(String database, String table, List<Map<String, Object>> rows) {
        insertJsonEachRow(database, table, JsonRows.toStream(rows));
    }

    /**
     * Runs a SELECT and returns its rows as column name to text value (SQL NULL as null). The SQL
     * must not name a format; {@code FORMAT TabSeparatedWithNames} is appended.
     */
    @Override
    public List<Map<String, String>> query(String sql) {
        if (ENDS_WITH_FORMAT.matcher(sql).matches()) {
            throw new IllegalArgumentException("query() appends its own FORMAT clause");
        }
        String stripped = sql.strip();
        String text = stripped.endsWith(";") ? stripped.substring(0, stripped.length() - 1) : stripped;
        QuerySettings settings = new QuerySettings().setFormat(ClickHouseFormat.TabSeparatedWithNames);
        QueryResponse response = call(() -> client.query(text + "\nFORMAT TabSeparatedWithNames", settings), "query");
        try {
            return TabSeparated.parseWithNames(readAll(response.getInputStream()));
        } catch (UncheckedIOException e) {
            throw new ClickHouseFailure("cannot read query result: " + e.getMessage(), e, 0);
        } finally {
            closeQuietly(response);
        }
    }

    /** The single value of a one-row, one-column query. */
    public String queryValue(String sql) {
        List<Map<String, String>> rows = query(sql);
        if (rows.size() != 1 || rows.get(0).size() != 1) {
            throw new IllegalStateException("expected one value, got " + rows.size() + " rows");
        }
        return rows.get(0).values().iterator().next();
    }

    @Override
    public void close() {
        client.close();
    }

    /** Runs a client call; the client throws synchronously or through the future, both end here. */
    private static <T> T call(Supplier<Future<T>> request, String what) {
        Future<T> future;
        try {
            future = request.get();
        } catch (RuntimeException e) {
            throw ClickHouseFailure.of(what, e);
        }
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClickHouseFailure(what + " interrupted", e, 0);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new ClickHouseFailure(what + " timed out", e, 0);
        } catch (ExecutionException e) {
            throw ClickHouseFailure.of(what, e.getCause());
        } catch (RuntimeException e) {
            throw ClickHouseFailure.of(what, e);
        }
    }

    // the client's responses declare close() throws Exception; there is nothing to do about a failed close
    private static void closeQuietly(AutoCloseable response) {
        try {
            response.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // statistics only; the result was already read
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A failed ClickHouse call, with the server's error code when it answered with one (0 when it
     * could not be reached or the transfer broke). 18.16 sends its code only in the message text.
     */
    public static final class ClickHouseFailure extends RuntimeException {
        private static final Pattern CODE = Pattern.compile("Code: (\\d+)");
        /** Codes meaning the data itself cannot be stored: parse errors, type mismatches, bad values. */
        private static final Set<Integer> DATA_ERRORS = Set.of(6, 26, 27, 38, 41, 53, 69, 70, 72, 117, 131, 349);

        private final int serverCode;

        ClickHouseFailure(String message, Throwable cause, int serverCode) {
            super(message, cause);
            this.serverCode = serverCode;
        }

        static ClickHouseFailure of(String what, Throwable cause) {
            if (cause instanceof ClickHouseFailure f) {
                return f;
            }
            if (cause instanceof ServerException server) {
                String line = firstLine(server.getMessage());
                int code = server.getCode() > 0 ? server.getCode() : parseCode(line);
                return new ClickHouseFailure(what + " failed: " + line, cause, code);
            }
            return new ClickHouseFailure(what + " failed: " + cause, cause, 0);
        }

        /** ClickHouse error code, 0 when the server did not answer with one. */
        public int serverCode() {
            return serverCode;
        }

        /**
         * True when the server refused the data itself, so sending the same rows again cannot
         * succeed; every other failure (server down, timeout, missing table) may pass on retry.
         */
        public boolean rejectsData() {
            return DATA_ERRORS.contains(serverCode);
        }

        static int parseCode(String message) {
            Matcher m = CODE.matcher(message == null ? "" : message);
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        }

        private static String firstLine(String message) {
            if (message == null) {
                return "";
            }
            int nl = message.indexOf('\n');
            String line = nl < 0 ? message : message.substring(0, nl);
            return line.length() > 300 ? line.substring(0, 300) : line;
        }
    }
}
