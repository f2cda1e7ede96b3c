package org.fieldstream.platform;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Minimal ClickHouse HTTP client for tests and the demo: one POST per statement, the body as text.
 * The pipeline's own gateway lives in the sink module.
 */
public final class ClickHouseHttp {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String url;
    private final String authorization;

    /** As the {@code default} user with no password. */
    public ClickHouseHttp(String httpUrl) {
        this(httpUrl, "default", "");
    }

    public ClickHouseHttp(String httpUrl, String user, String password) {
        this.url = httpUrl.endsWith("/") ? httpUrl : httpUrl + "/";
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public static ClickHouseHttp of(ClickHouseService service) {
        return new ClickHouseHttp(service.httpUrl());
    }

    /**
     * Runs one statement and returns the response body (TabSeparated unless the SQL says {@code FORMAT}).
     *
     * @throws ClickHouseHttpException with the server's message when it does not answer 200
     */
    public String query(String sql) {
        return send(url, sql);
    }

    /** Runs one statement with {@code database} as the current database. */
    public String query(String database, String sql) {
        return send(url + "?database=" + URLEncoder.encode(database, StandardCharsets.UTF_8), sql);
    }

    /** True when {@code GET /ping} answers {@code Ok.}; false when the server is down or not ready. */
    public boolean ping() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "ping"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().startsWith("Ok.");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pinging " + url, e);
        }
    }

    /** Pings until the server answers; false if it did not within {@code timeout}. */
    public boolean awaitPing(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ping()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private String send(String target, String sql) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(target))
                .timeout(TIMEOUT)
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw new ClickHouseHttpException(response.statusCode(), response.body().strip());
            }
            return response.body();
        } catch (IOException e) {
            throw new ClickHouseHttpException(-1, "no answer from " + url + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClickHouseHttpException(-1, "interrupted while waiting for " + url);
        }
    }

    /** A statement ClickHouse refused (status >= 400) or a server that did not answer (status -1). */
    public static final class ClickHouseHttpException extends RuntimeException {

        private final int status;

        ClickHouseHttpException(int status, String message) {
            super(status < 0 ? message : "ClickHouse answered HTTP " + status + ": " + message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
