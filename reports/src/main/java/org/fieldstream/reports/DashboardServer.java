package org.fieldstream.reports;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.events.ConfigOption;
import org.fieldstream.events.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The dashboard over HTTP (the JDK's server): {@code GET /} with the filters as query parameters
 * ({@link DashboardQuery}) answers the page ({@link DashboardPage}) read from the views at that
 * moment. 400 for a refused filter, 404 for any other path, 405 for any other method, 503 while
 * ClickHouse does not answer. Listens on loopback unless {@code dashboard.bind} says otherwise.
 */
public final class DashboardServer implements AutoCloseable {

    /** The dashboard's command line: the settings file, and where to listen over what the settings say. */
    @Command(name = "dashboard", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Serves the dashboard page (retention, survival, people reached, targets, freshness) read from "
                    + "the ClickHouse views, with filters by program, partner, district and months; the page reloads "
                    + "itself every dashboard.refresh.seconds.",
                "Settings: dashboard.bind, dashboard.port, dashboard.refresh.seconds, clickhouse.url, clickhouse.database, "
                    + "clickhouse.user, clickhouse.password (FIELDSTREAM_DASHBOARD_PORT, ...)."})
    static final class Options {
        @Mixin
        ConfigOption config = new ConfigOption();
        @Option(names = "--port", paramLabel = "N", description = "port, 0 for any free one (default: dashboard.port)")
        String port;
        @Option(names = "--bind", paramLabel = "ADDRESS", description = "address (default: dashboard.bind)")
        String bind;

        /** {@code settings} with the port and address given here. */
        DashboardSettings over(DashboardSettings settings) {
            DashboardSettings result = port == null ? settings : settings.withPort(port(port));
            return bind == null ? result : new DashboardSettings(result.clickHouse(), bind, result.port(), result.refreshSeconds());
        }
    }

    /** The usage text, for refusals and {@code --help}. */
    public static String usage() {
        return new CommandLine(new Options()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
    private static final int THREADS = 4;
    private static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static final String CSV = "/csv/";

    private final DashboardSettings settings;
    private final HttpServer server;
    private final ExecutorService executor;
    private final ClickHouseGateway gateway;
    private final Clock clock;
    private final URI url;
    private final AtomicLong pagesServed = new AtomicLong();
    /** Freshness covers the whole database whatever the filters, and its cost grows with the log: read apart from the pages. */
    private final RecentReport freshness;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "dashboard-freshness");
        thread.setDaemon(true);
        return thread;
    });

    private DashboardServer(DashboardSettings settings, HttpServer server, ExecutorService executor, ClickHouseGateway gateway,
                            Clock clock) {
        this.settings = settings;
        this.server = server;
        this.executor = executor;
        this.gateway = gateway;
        this.clock = clock;
        this.url = url(settings.bind(), server.getAddress().getPort());
        String db = settings.clickHouse().database();
        this.freshness = new RecentReport(at -> new FreshnessReport(gateway, db, at).run(), clock,
                freshnessInterval(settings.refreshSeconds()));
    }

    /** Half the page's reload interval: a page reloading by itself finds a reading at most that old plus its read time. */
    static Duration freshnessInterval(int refreshSeconds) {
        return Duration.ofMillis(refreshSeconds * 500L);
    }

    private void refreshFreshness() {
        try {
            freshness.refreshIfViewed();
        } catch (RuntimeException e) {
            LOG.debug("dashboard: freshness not read again: {}", e.toString());
        }
    }

    /** Starts on the settings' port. */
    public static DashboardServer start(DashboardSettings settings) throws IOException {
        return start(settings, settings.port());
    }

    /** Starts on the given port (0: any free one; {@link #url()} tells which). */
    public static DashboardServer start(DashboardSettings settings, int port) throws IOException {
        return start(settings.withPort(port), Clock.systemUTC());
    }

    static DashboardServer start(DashboardSettings settings, Clock clock) throws IOException {
        ReportSettings source = settings.clickHouse();
        ClickHouseGateway gateway = new ClickHouseGateway(source.url(), source.user(), source.password());
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, task -> {
            Thread thread = new Thread(task, "dashboard-http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(settings.bind()), settings.port()), 0);
            server.setExecutor(executor);
            DashboardServer dashboard = new DashboardServer(settings, server, executor, gateway, clock);
            server.createContext("/", dashboard::handle);
            server.start();
            long interval = freshnessInterval(settings.refreshSeconds()).toMillis();
            dashboard.refresher.scheduleWithFixedDelay(dashboard::refreshFreshness, interval, interval, TimeUnit.MILLISECONDS);
            LOG.info("dashboard at {} reading database {} at {}", dashboard.url, source.database(), source.url());
            return dashboard;
        } catch (IOException | RuntimeException e) {
            executor.shutdownNow();
            gateway.close();
            throw e;
        }
    }

    /** Where a browser on this machine finds the page, e.g. {@code http://127.0.0.1:8089/}. */
    public URI url() {
        return url;
    }

    /** Pages answered with figures (status 200) since the start. */
    public long pagesServed() {
        return pagesServed.get();
    }

    @Override
    public void close() {
        server.stop(0);
        refresher.shutdownNow();
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        gateway.close();
        LOG.info("dashboard at {} stopped", url);
    }

    private void handle(HttpExchange exchange) {
        try {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                send(exchange, 405, plain("Only GET is answered here."));
            } else if ("/cohort".equals(exchange.getRequestURI().getRawPath())) {
                cohort(exchange);
            } else if (exchange.getRequestURI().getRawPath().startsWith(CSV)) {
                csv(exchange, exchange.getRequestURI().getRawPath().substring(CSV.length()));
            } else if (!"/".equals(exchange.getRequestURI().getRawPath())) {
                send(exchange, 404, plain("Nothing here: the dashboard is at /."));
            } else {
                page(exchange);
            }
        } catch (IOException e) {
            LOG.debug("dashboard: the browser went away", e);
        } catch (RuntimeException e) {
            LOG.warn("dashboard: request failed: {}", e.toString());
            try {
                send(exchange, 500, plain("The dashboard failed to answer; the log says why."));
            } catch (IOException ignored) {
                // nothing more to tell a browser that is gone
            }
        } finally {
            exchange.close();
        }
    }

    private void page(HttpExchange exchange) throws IOException {
        Filters filters = null;
        try {
            DashboardQuery.Request request = DashboardQuery.request(exchange.getRequestURI().getRawQuery());
            filters = request.filters();
            String db = settings.clickHouse().database();
            String html = DashboardPage.render(Dashboard.read(gateway, db, filters, request.listing(), clock, freshness::get),
                    settings.refreshSeconds());
            send(exchange, 200, html);
            pagesServed.incrementAndGet();
        } catch (ReportError e) {
            send(exchange, 400, DashboardPage.error(e.getMessage(), filters, choicesOrNull(), settings.refreshSeconds(), false));
        } catch (ClickHouseGateway.ClickHouseFailure e) {
            LOG.warn("dashboard: ClickHouse did not answer: {}", e.getMessage());
            send(exchange, 503, DashboardPage.error("ClickHouse did not answer (" + e.getMessage()
                    + "). This page tries again every " + settings.refreshSeconds() + " s.", filters, null, settings.refreshSeconds(), true));
        }
    }

    /** A cohort's page; 404 when the views hold no such cohort. */
    private void cohort(HttpExchange exchange) throws IOException {
        try {
            CohortPage.Key key = CohortPage.parse(exchange.getRequestURI().getRawQuery());
            String html = CohortPage.render(gateway, settings.clickHouse().database(), key, settings.refreshSeconds());
            if (html == null) {
                send(exchange, 404, plain("No cohort " + Filters.shown(key.cohort()) + " of partner " + key.partner() + " in program "
                        + key.program() + "."));
            } else {
                send(exchange, 200, html);
                pagesServed.incrementAndGet();
            }
        } catch (ReportError e) {
            send(exchange, 400, plain(e.getMessage()));
        } catch (ClickHouseGateway.ClickHouseFailure e) {
            LOG.warn("dashboard: ClickHouse did not answer: {}", e.getMessage());
            send(exchange, 503, plain("ClickHouse did not answer (" + e.getMessage() + ")."));
        }
    }

    /** Every row of one of the page's long tables for the filters of the query string, as CSV, read from that table's report only. */
    private void csv(HttpExchange exchange, String table) throws IOException {
        if (!DashboardListing.PAGED.contains(table)) {
            send(exchange, 404, plain("No table " + Filters.shown(table) + ": the CSV tables are " + String.join(", ", DashboardListing.PAGED) + "."));
            return;
        }
        try {
            Filters filters = DashboardQuery.parse(exchange.getRequestURI().getRawQuery());
            DashboardPage.Table rows = Dashboard.table(gateway, settings.clickHouse().database(), filters, table);
            if (rows == null) {
                send(exchange, 400, plain(Dashboard.OUTREACH_NEEDS_ONE));
                return;
            }
            byte[] body = CsvTable.write(rows.columns(), rows.rows()).getBytes(StandardCharsets.UTF_8);
            var headers = exchange.getResponseHeaders();
            headers.set("Content-Type", "text/csv; charset=utf-8");
            headers.set("Content-Disposition", "attachment; filename=\"" + table + ".csv\"");
            headers.set("Cache-Control", "no-store");
            headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Referrer-Policy", "no-referrer");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (ReportError e) {
            send(exchange, 400, plain(e.getMessage()));
        } catch (ClickHouseGateway.ClickHouseFailure e) {
            LOG.warn("dashboard: ClickHouse did not answer: {}", e.getMessage());
            send(exchange, 503, plain("ClickHouse did not answer (" + e.getMessage() + ")."));
        }
    }

    /** The filter choices for an error page, if ClickHouse answers. */
    private ReferenceCheck.Choices choicesOrNull() {
        try {
            return new ReferenceCheck(gateway, settings.clickHouse().database()).choices();
        } catch (ClickHouseGateway.ClickHouseFailure e) {
            return null;
        }
    }

    private static String plain(String message) {
        return DashboardPage.error(message, null, null, 0, false);
    }

    private static void send(HttpExchange exchange, int status, String html) throws IOException {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "text/html; charset=utf-8");
        headers.set("Cache-Control", "no-store");
        headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static URI url(String bind, int port) {
        String host = bind;
        try {
            if (InetAddress.getByName(bind).isAnyLocalAddress()) {
                host = "127.0.0.1";
            }
        } catch (IOException e) {
            // keep the name as given
        }
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/");
    }

    /** {@code fieldstream dashboard}: serves until the process is stopped. Exit codes: 1 cannot listen, 2 refused settings. */
    public static int run(String[] args, Map<String, String> env, PrintStream out) throws InterruptedException {
        DashboardSettings settings;
        try {
            Options options = parse(args);
            if (options == null) {
                out.println(usage());
                return ReportCommand.OK;
            }
            settings = options.over(DashboardSettings.load(options.config.file(), env));
        } catch (ReportError | Settings.Invalid | IllegalArgumentException e) {
            out.println("dashboard: " + e.getMessage());
            out.println(usage());
            return ReportCommand.REFUSED;
        }
        DashboardServer dashboard;
        try {
            dashboard = start(settings);
        } catch (IOException e) {
            out.println("dashboard: cannot listen on " + settings.bind() + ":" + settings.port() + ": " + e.getMessage());
            return ReportCommand.FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dashboard.close();
            stopped.countDown();
        }, "dashboard-shutdown"));
        if (!dashboard.gateway.ping()) {
            out.println("dashboard: ClickHouse at " + settings.clickHouse().url() + " does not answer yet; the page says so until it does");
        }
        out.println("dashboard: " + dashboard.url() + " (database " + settings.clickHouse().database() + ", refreshes every "
                + settings.refreshSeconds() + " s); Ctrl-C stops it");
        stopped.await();
        return ReportCommand.OK;
    }

    /** The command line over the settings; null for --help. */
    static DashboardSettings options(String[] args, DashboardSettings settings) {
        Options options = parse(args);
        return options == null ? null : options.over(settings);
    }

    /** The parsed command line; null for --help. */
    static Options parse(String[] args) {
        Options options = new Options();
        try {
            CommandLine.ParseResult result = new CommandLine(options).parseArgs(args);
            return result.isUsageHelpRequested() || result.isVersionHelpRequested() ? null : options;
        } catch (CommandLine.MissingParameterException e) {
            throw new ReportError(Filters.shown(e.getMissing().get(0) instanceof CommandLine.Model.OptionSpec o ? o.longestName()
                    : e.getMissing().get(0).paramLabel()) + " needs a value");
        } catch (CommandLine.UnmatchedArgumentException e) {
            String first = e.getUnmatched().isEmpty() ? "" : e.getUnmatched().get(0);
            throw new ReportError((first.startsWith("-") ? "unknown option " : "unexpected argument ") + Filters.shown(first));
        } catch (CommandLine.ParameterException e) {
            throw new ReportError("cannot read the command line: " + e.getMessage());
        }
    }

    private static int port(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ReportError("--port must be a number, not " + Filters.shown(value));
        }
    }

    public static void main(String[] args) throws InterruptedException {
        System.exit(run(args, System.getenv(), System.out));
    }
}
