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
import java.util.List;
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
 * moment; {@code /cohort} a cohort's page ({@link CohortPage}); {@code /iptt}, {@code /iptt.csv} and
 * {@code /iptt.xlsx} a program's IPTT and its downloads ({@link IpttPage}). 400 for a refused filter, 404 for any other path, 405 for any other method, 503 while
 * ClickHouse does not answer. Listens on loopback unless {@code dashboard.bind} says otherwise.
 * With {@code dashboard.login=analysts} every page but {@code /login} needs a session
 * ({@link DashboardSessions}; without one: 303 to {@code /login}): the login form checks the account
 * by logging in to ClickHouse as it, and every query of the session runs as that analyst in their
 * scope database ({@link DashboardScope}); a program or partner outside the scope is 403. A viewer
 * ({@link ViewerAccounts}: no SQL account, password checked against its stored hash) is read as their
 * program's internal reader and sees the published figures only ({@link ViewerPage}); every other page
 * is 403 to them.
 * {@code GET /explain?...} explains a figure ({@link ExplainPage}), {@code /explain.csv?...} lists
 * every person it counts as CSV: person-level pages, refused (403) to a role without person-level
 * rights ({@link #requirePersonLevel}).
 */
public final class DashboardServer implements AutoCloseable {

    /** The dashboard's command line: the settings file, and where to listen over what the settings say. */
    @Command(name = "dashboard", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Serves the dashboard page (retention, survival, people reached, targets, freshness) read from "
                    + "the ClickHouse views, with filters by program, partner, district and months, and a program's IPTT "
                    + "(/iptt, with CSV and .xlsx downloads); the page reloads itself every dashboard.refresh.seconds.",
                "Settings: dashboard.bind, dashboard.port, dashboard.refresh.seconds, dashboard.login (analysts: each analyst logs in "
                    + "and reads their scope; open: no login, loopback only), dashboard.session.idle.seconds, "
                    + "dashboard.session.lifetime.seconds, clickhouse.url, clickhouse.database, "
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
            return bind == null ? result : result.withBind(bind);
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
    private static final String LOGIN = "/login";
    private static final String LOGOUT = "/logout";
    private static final int LOGIN_FAILURES = 5;
    private static final Duration LOGIN_WINDOW = Duration.ofMinutes(1);

    /** Where a request reads from: the dashboard's own user and the main database, or a logged-in analyst in their scope. */
    private record Reader(ClickHouseGateway gateway, String database, DashboardSessions.Session session) {
        DashboardScope scope() {
            return session == null ? null : session.scope();
        }

        DashboardPage.SignedIn signedIn() {
            return session == null ? null : new DashboardPage.SignedIn(session.scope().user(), session.scope().describe(), session.token(),
                    session.scope().partner() == null);
        }
    }

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
    private final DashboardSessions sessions;
    private final LoginThrottle throttle;
    /** Null when the settings name no data directory: then only analysts log in. */
    private final ViewerAccounts viewers;

    private DashboardServer(DashboardSettings settings, HttpServer server, ExecutorService executor, ClickHouseGateway gateway,
                            Clock clock) {
        this.settings = settings;
        this.server = server;
        this.executor = executor;
        this.gateway = gateway;
        this.clock = clock;
        this.url = url(settings.bind(), server.getAddress().getPort());
        this.sessions = new DashboardSessions(Duration.ofSeconds(settings.sessionIdleSeconds()),
                Duration.ofSeconds(settings.sessionLifetimeSeconds()), clock);
        this.throttle = new LoginThrottle(LOGIN_FAILURES, LOGIN_WINDOW, clock);
        this.viewers = settings.dataDir() == null ? null : new ViewerAccounts(settings.dataDir());
        String db = settings.clickHouse().database();
        this.freshness = new RecentReport(at -> new FreshnessReport(gateway, db, at).run(), clock,
                freshnessInterval(settings.refreshSeconds()), task -> refresher.execute(() -> refreshing(task)));
    }

    /** Half the page's reload interval: a page reloading by itself finds a reading at most that old plus its read time. */
    static Duration freshnessInterval(int refreshSeconds) {
        return Duration.ofMillis(refreshSeconds * 500L);
    }

    private void refreshFreshness() {
        refreshing(freshness::refresh);
    }

    private static void refreshing(Runnable read) {
        try {
            read.run();
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
            if (settings.login() == DashboardSettings.Login.OPEN) {
                // only the open page shows freshness: an analyst's scope holds none
                long interval = freshnessInterval(settings.refreshSeconds()).toMillis();
                // read once at start, so that no page waits for it, then as RecentReport says
                dashboard.refresher.scheduleWithFixedDelay(dashboard::refreshFreshness, 0, interval, TimeUnit.MILLISECONDS);
            }
            LOG.info("dashboard at {} reading database {} at {} ({})", dashboard.url, source.database(), source.url(),
                    settings.login() == DashboardSettings.Login.OPEN ? "open: no login" : "analysts log in");
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
        sessions.close();
        gateway.close();
        LOG.info("dashboard at {} stopped", url);
    }

    private void handle(HttpExchange exchange) {
        try {
            String path = exchange.getRequestURI().getRawPath();
            Reader reader = new Reader(gateway, settings.clickHouse().database(), null);
            if (settings.login() == DashboardSettings.Login.ANALYSTS) {
                if (LOGIN.equals(path)) {
                    login(exchange);
                    return;
                }
                if (LOGOUT.equals(path)) {
                    logout(exchange);
                    return;
                }
                DashboardSessions.Session session = sessions.find(DashboardLogin.cookie(exchange, DashboardLogin.SESSION_COOKIE));
                if (session == null) {
                    redirect(exchange, LOGIN);
                    return;
                }
                reader = new Reader(session.gateway(), session.scope().database(), session);
                if (!session.scope().personLevel() && !"/".equals(path) && !path.startsWith(CSV)) {
                    send(exchange, 403, plain("Your account reads the published figures of its program only: the page at / and its CSV tables."));
                    return;
                }
            }
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                send(exchange, 405, plain("Only GET is answered here."));
            } else if ("/cohort".equals(path)) {
                cohort(exchange, reader);
            } else if (IpttPage.PATH.equals(path) || IpttPage.CSV_PATH.equals(path) || IpttPage.XLSX_PATH.equals(path)) {
                iptt(exchange, path, reader);
            } else if (ExplainLinks.PATH.equals(path) || ExplainPage.CSV_PATH.equals(path)) {
                explain(exchange, reader, ExplainPage.CSV_PATH.equals(path));
            } else if (QualityPage.PATH.equals(path)) {
                quality(exchange, reader);
            } else if (path.startsWith(CSV)) {
                csv(exchange, path.substring(CSV.length()), reader);
            } else if (!"/".equals(path)) {
                send(exchange, 404, plain("Nothing here: the dashboard is at /."));
            } else {
                page(exchange, reader);
            }
        } catch (DashboardLogin.Refused e) {
            try {
                send(exchange, 403, plain(e.getMessage()));
            } catch (IOException ignored) {
                // nothing more to tell a browser that is gone
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

    /** GET: the login form (or the dashboard, for a live session); POST: the login. */
    private void login(HttpExchange exchange) throws IOException {
        if ("GET".equals(exchange.getRequestMethod())) {
            if (sessions.find(DashboardLogin.cookie(exchange, DashboardLogin.SESSION_COOKIE)) != null) {
                redirect(exchange, "/");
            } else {
                loginPage(exchange, 200, null);
            }
            return;
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "GET, POST");
            send(exchange, 405, plain("The login form is GET and POST only."));
            return;
        }
        Map<String, String> form = DashboardLogin.form(exchange, List.of("user", "password", "token"));
        if (!DashboardLogin.sameToken(DashboardLogin.cookie(exchange, DashboardLogin.LOGIN_COOKIE), form.get("token"))) {
            loginPage(exchange, 403, "The login form expired or did not come from this dashboard: log in again.");
            return;
        }
        String client = exchange.getRemoteAddress().getAddress().getHostAddress();
        long wait = throttle.waitSeconds(client);
        if (wait > 0) {
            exchange.getResponseHeaders().set("Retry-After", Long.toString(wait));
            loginPage(exchange, 429, "Too many failed logins from this address: try again in " + wait + " s.");
            return;
        }
        String user = form.get("user");
        String password = form.get("password");
        DashboardScope scope = null;
        ClickHouseGateway analyst = null;
        ViewerAccounts.Viewer viewer = null;
        if (DashboardLogin.plausible(user, password)) {
            // a viewer's name gets the slow hash check; any other name is an analyst's (their password is
            // ClickHouse's to check), and pays a decoy hash only when refused (below), so that a refusal
            // takes as long whatever the name, while an analyst's login does not wait for a hash
            boolean hashed = viewers != null && viewers.find(user).isPresent();
            viewer = hashed ? viewers.check(user, password).orElse(null) : null;
            ViewerAccounts.Reader internal = viewer == null ? null : viewers.reader(viewer.program()).orElse(null);
            analyst = internal == null ? new ClickHouseGateway(settings.clickHouse().url(), user, password)
                    : new ClickHouseGateway(settings.clickHouse().url(), internal.user(), internal.password());
            try {
                scope = DashboardScope.of(analyst, settings.clickHouse().database(), internal == null ? user : internal.user());
                if (viewer != null) {
                    scope = internal == null || scope == null ? null : scope.asViewer(viewer.name(), viewer.program());
                }
            } catch (ClickHouseGateway.ClickHouseFailure e) {
                if (!DashboardScope.loginRefused(e)) {
                    analyst.close();
                    LOG.warn("dashboard: ClickHouse did not answer a login: {}", e.getMessage());
                    loginPage(exchange, 503, "ClickHouse did not answer; try again in a moment.");
                    return;
                }
            }
            if (scope == null && viewers != null && !hashed) {
                PasswordHash.decoy(password);
            }
        }
        if (scope == null) {
            if (analyst != null) {
                analyst.close();
            }
            throttle.failed(client);
            if (viewer != null) {
                LOG.warn("dashboard: a viewer of program {} could not be read: their program's internal reader is missing or refused"
                        + " (./fieldstream analyst add makes it again)", viewer.program());
            }
            LOG.info("dashboard: a failed login");
            loginPage(exchange, 401, DashboardLogin.FAILED);
            return;
        }
        throttle.succeeded(client);
        DashboardSessions.Session session = sessions.open(scope, analyst);
        LOG.info("dashboard: an analyst of {} logged in", scope.describe());
        var headers = exchange.getResponseHeaders();
        headers.add("Set-Cookie", DashboardLogin.setCookie(DashboardLogin.SESSION_COOKIE, session.id(), "/", -1));
        headers.add("Set-Cookie", DashboardLogin.setCookie(DashboardLogin.LOGIN_COOKIE, "", LOGIN, 0));
        redirect(exchange, "/");
    }

    /** POST with the session's token: ends the session; then the login form. */
    private void logout(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "POST");
            send(exchange, 405, plain("Log out with the page's button (POST)."));
            return;
        }
        Map<String, String> form = DashboardLogin.form(exchange, List.of("token"));
        DashboardSessions.Session session = sessions.find(DashboardLogin.cookie(exchange, DashboardLogin.SESSION_COOKIE));
        if (session != null) {
            if (!DashboardLogin.sameToken(session.token(), form.get("token"))) {
                throw new DashboardLogin.Refused("the logout did not come from this dashboard's page");
            }
            sessions.end(session.id());
        }
        exchange.getResponseHeaders().add("Set-Cookie", DashboardLogin.setCookie(DashboardLogin.SESSION_COOKIE, "", "/", 0));
        redirect(exchange, LOGIN);
    }

    /**
     * The login form with its token, also set as a cookie the form's POST must carry back: the
     * browser's token when it has one (a browser loads /login again for its icon, and a new token
     * then would outdate the form it shows), else a new one.
     */
    private void loginPage(HttpExchange exchange, int status, String message) throws IOException {
        String held = DashboardLogin.cookie(exchange, DashboardLogin.LOGIN_COOKIE);
        String token = held != null && DashboardLogin.TOKEN.matcher(held).matches() ? held : DashboardSessions.randomId();
        exchange.getResponseHeaders().add("Set-Cookie", DashboardLogin.setCookie(DashboardLogin.LOGIN_COOKIE, token, LOGIN, -1));
        send(exchange, status, DashboardLogin.page(message, token));
    }

    /** Logged-in analysts (tests). */
    int sessions() {
        return sessions.size();
    }

    private void page(HttpExchange exchange, Reader reader) throws IOException {
        if (reader.scope() != null && !reader.scope().personLevel()) {
            published(exchange, reader, null);
            return;
        }
        Filters filters = null;
        try {
            DashboardQuery.Request request = DashboardQuery.request(exchange.getRequestURI().getRawQuery());
            filters = request.filters();
            Dashboard dashboard = reader.scope() == null
                    ? Dashboard.read(reader.gateway(), reader.database(), filters, request.listing(), clock, freshness::get)
                    : Dashboard.read(reader.gateway(), reader.scope(), filters, request.listing(), clock);
            send(exchange, 200, DashboardPage.render(dashboard, settings.refreshSeconds(), reader.signedIn()));
            pagesServed.incrementAndGet();
        } catch (DashboardScope.Outside e) {
            send(exchange, 403, DashboardPage.error(e.getMessage(), null, choicesOrNull(reader), settings.refreshSeconds(), false,
                    reader.signedIn()));
        } catch (ReportError e) {
            send(exchange, 400, DashboardPage.error(e.getMessage(), filters, choicesOrNull(reader), settings.refreshSeconds(), false,
                    reader.signedIn()));
        } catch (ClickHouseGateway.ClickHouseFailure e) {
            LOG.warn("dashboard: ClickHouse did not answer: {}", e.getMessage());
            send(exchange, 503, DashboardPage.error("ClickHouse did not answer (" + e.getMessage()
                    + "). This page tries again every " + settings.refreshSeconds() + " s.", filters, null, settings.refreshSeconds(), true));
        }
    }

    /** A cohort's page; 404 when the views hold no such cohort. */
    private void cohort(HttpExchange exchange, Reader reader) throws IOException {
        plainly(exchange, () -> {
            CohortPage.Key key = CohortPage.parse(exchange.getRequestURI().getRawQuery());
            if (reader.scope() != null) {
                reader.scope().narrow(new Filters(key.program(), key.partner(), null, null, null), reader.scope().choices(reader.gateway()));
            }
            String html = reader.scope() == null ? CohortPage.render(reader.gateway(), reader.database(), key, settings.refreshSeconds())
                    : CohortPage.render(reader.gateway(), reader.scope(), key, settings.refreshSeconds());
            if (html == null) {
                send(exchange, 404, plain("No cohort " + Filters.shown(key.cohort()) + " of partner " + key.partner() + " in program "
                        + key.program() + "."));
            } else {
                send(exchange, 200, html);
                pagesServed.incrementAndGet();
            }
        });
    }

    /**
     * The IPTT of a program's fiscal year ({@link IpttPage}): the page, or the command's CSV or
     * workbook as a download; read as the analyst in their scope database when one is logged in.
     */
    private void iptt(HttpExchange exchange, String path, Reader reader) throws IOException {
        plainly(exchange, () -> {
            IpttPage.Key key = IpttPage.parse(exchange.getRequestURI().getRawQuery());
            if (reader.scope() != null) {
                key = IpttPage.inScope(key, reader.scope(), reader.gateway());
            }
            IpttPage.Iptt iptt = IpttPage.read(reader.gateway(), reader.database(), key, clock);
            if (IpttPage.CSV_PATH.equals(path)) {
                download(exchange, "text/csv; charset=utf-8", IpttPage.fileName(iptt, "csv"), IpttPage.csv(iptt));
            } else if (IpttPage.XLSX_PATH.equals(path)) {
                download(exchange, IpttPage.XLSX_TYPE, IpttPage.fileName(iptt, "xlsx"), IpttPage.xlsx(iptt));
            } else {
                send(exchange, 200, IpttPage.render(iptt, settings.refreshSeconds(), reader.signedIn()));
                pagesServed.incrementAndGet();
            }
        });
    }

    /**
     * The one check of every person-level page: an analyst's role must read persons and their records
     * ({@link DashboardScope#requirePersonLevel}); the open dashboard (loopback only) reads the main database.
     */
    static void requirePersonLevel(DashboardScope scope) {
        if (scope != null) {
            scope.requirePersonLevel();
        }
    }

    /**
     * A figure's explanation, read as the analyst from their scope database (or from the main database
     * when open): the figure's program and partner must be in the scope, and a partner analyst's cell
     * must be their partner's (program, district and upazila cells pool partners); 403 otherwise.
     */
    private void explain(HttpExchange exchange, Reader reader, boolean csv) throws IOException {
        plainly(exchange, () -> {
            requirePersonLevel(reader.scope());
            ExplainPage.Request request = ExplainPage.parse(exchange.getRequestURI().getRawQuery());
            ExplainCommand.Options o = request.options();
            ReferenceCheck.Choices choices;
            if (reader.scope() == null) {
                ExplainCommand.verify(o, reader.gateway(), reader.database());
                choices = csv ? null : new ReferenceCheck(reader.gateway(), reader.database()).choices();
            } else {
                DashboardScope scope = reader.scope();
                choices = scope.choices(reader.gateway());
                scope.narrow(request.filters(), choices);
                if (scope.partner() != null && o.partner == null) {
                    throw new DashboardScope.Outside("the figures of a program, district or upazila pool partners: outside your scope ("
                            + scope.describe() + ")");
                }
                ExplainCommand.verifyPlaces(o, new ReferenceCheck(reader.gateway(), reader.database()));
            }
            CohortExplanation.Result result = ExplainCommand.explain(o, reader.gateway(), reader.database());
            if (csv) {
                sendCsv(exchange, "explain-" + result.figure() + ".csv", ExplainPage.csv(result));
            } else {
                send(exchange, 200, ExplainPage.render(request, result, new DashboardCells.Names(choices), reader.signedIn()));
                pagesServed.incrementAndGet();
            }
        });
    }

    /** The data-quality page ({@link QualityPage}), read as the analyst in their scope database when one is logged in. */
    private void quality(HttpExchange exchange, Reader reader) throws IOException {
        plainly(exchange, () -> {
            Filters filters = QualityPage.parse(exchange.getRequestURI().getRawQuery());
            String html = reader.scope() == null ? QualityPage.render(reader.gateway(), reader.database(), filters, settings.refreshSeconds())
                    : QualityPage.render(reader.gateway(), reader.scope(), filters, settings.refreshSeconds(), reader.signedIn());
            send(exchange, 200, html);
            pagesServed.incrementAndGet();
        });
    }

    /** Every row of one of the page's long tables for the filters of the query string, as CSV, read from that table's report only. */
    private void csv(HttpExchange exchange, String table, Reader reader) throws IOException {
        if (reader.scope() != null && !reader.scope().personLevel()) {
            published(exchange, reader, table);
            return;
        }
        if (!DashboardListing.PAGED.contains(table)) {
            send(exchange, 404, plain("No table " + Filters.shown(table) + ": the CSV tables are " + String.join(", ", DashboardListing.PAGED) + "."));
            return;
        }
        plainly(exchange, () -> {
            Filters filters = DashboardQuery.parse(exchange.getRequestURI().getRawQuery());
            DashboardPage.Table rows = reader.scope() == null ? Dashboard.table(reader.gateway(), reader.database(), filters, table)
                    : Dashboard.table(reader.gateway(), reader.scope(), filters, table);
            if (rows == null) {
                send(exchange, 400, plain(Dashboard.OUTREACH_NEEDS_ONE));
                return;
            }
            sendCsv(exchange, table + ".csv", CsvTable.write(rows.columns(), rows.rows()));
        });
    }

    /** A viewer's page ({@code table} null) or one of its tables as CSV: the published figures of their program. */
    private void published(HttpExchange exchange, Reader reader, String table) throws IOException {
        try {
            ViewerPage.Published published = ViewerPage.read(reader.gateway(), reader.scope(),
                    DashboardQuery.parse(exchange.getRequestURI().getRawQuery()), clock);
            if (table == null) {
                send(exchange, 200, ViewerPage.render(published, settings.refreshSeconds(), reader.signedIn()));
                pagesServed.incrementAndGet();
                return;
            }
            String csv = ViewerPage.csv(published, table);
            if (csv == null) {
                send(exchange, 404, plain("No table " + Filters.shown(table) + ": the CSV tables are "
                        + String.join(", ", ViewerPage.tables(published)) + "."));
            } else {
                sendCsv(exchange, table + ".csv", csv);
            }
        } catch (DashboardScope.Outside e) {
            send(exchange, 403, DashboardPage.error(e.getMessage(), null, null, settings.refreshSeconds(), false, reader.signedIn()));
        } catch (ReportError e) {
            send(exchange, 400, DashboardPage.error(e.getMessage(), null, null, settings.refreshSeconds(), false, reader.signedIn()));
        } catch (ClickHouseGateway.ClickHouseFailure e) {
            LOG.warn("dashboard: ClickHouse did not answer: {}", e.getMessage());
            send(exchange, 503, DashboardPage.error("ClickHouse did not answer. This page tries again every " + settings.refreshSeconds()
                    + " s.", null, null, settings.refreshSeconds(), true, reader.signedIn()));
        }
    }

    /** A CSV download ({@link CsvTable}) under {@code fileName} (a name of the dashboard's own), with the pages' headers. */
    private static void sendCsv(HttpExchange exchange, String fileName, String csv) throws IOException {
        download(exchange, "text/csv; charset=utf-8", fileName, csv.getBytes(StandardCharsets.UTF_8));
    }

    /** A file to save ({@code Content-Disposition: attachment}), with the pages' headers. */
    private static void download(HttpExchange exchange, String contentType, String fileName, byte[] body) throws IOException {
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", contentType);
        headers.set("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
        headers.set("Cache-Control", "no-store");
        headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The filter choices for an error page, if ClickHouse answers. */
    private static ReferenceCheck.Choices choicesOrNull(Reader reader) {
        try {
            return reader.scope() == null ? new ReferenceCheck(reader.gateway(), reader.database()).choices()
                    : reader.scope().choices(reader.gateway());
        } catch (ClickHouseGateway.ClickHouseFailure e) {
            return null;
        }
    }

    private static String plain(String message) {
        return DashboardPage.error(message, null, null, 0, false);
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        send(exchange, 303, plain("See " + location + "."));
    }

    /** What answering a request does; it may find the request outside the scope, wrong, or ClickHouse silent. */
    private interface Answer {
        void run() throws IOException;
    }

    /** Answers; outside the scope is 403, a wrong request 400, a silent ClickHouse 503, each as plain text. */
    private static void plainly(HttpExchange exchange, Answer answer) throws IOException {
        try {
            answer.run();
        } catch (DashboardScope.Outside e) {
            send(exchange, 403, plain(e.getMessage()));
        } catch (ReportError e) {
            send(exchange, 400, plain(e.getMessage()));
        } catch (ClickHouseGateway.ClickHouseFailure e) {
            LOG.warn("dashboard: ClickHouse did not answer: {}", e.getMessage());
            send(exchange, 503, plain("ClickHouse did not answer (" + e.getMessage() + ")."));
        }
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
                + settings.refreshSeconds() + " s, " + (settings.login() == DashboardSettings.Login.OPEN ? "open: no login"
                : "analysts log in with their account: ./fieldstream analyst add") + "); Ctrl-C stops it");
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
