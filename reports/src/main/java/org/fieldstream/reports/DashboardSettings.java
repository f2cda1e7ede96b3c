package org.fieldstream.reports;

import static org.fieldstream.events.SettingKeys.DASHBOARD_BIND;
import static org.fieldstream.events.SettingKeys.DATA_DIR;
import static org.fieldstream.events.SettingKeys.DASHBOARD_LOGIN;
import static org.fieldstream.events.SettingKeys.DASHBOARD_PORT;
import static org.fieldstream.events.SettingKeys.DASHBOARD_REFRESH_SECONDS;
import static org.fieldstream.events.SettingKeys.DASHBOARD_SESSION_IDLE_SECONDS;
import static org.fieldstream.events.SettingKeys.DASHBOARD_SESSION_LIFETIME_SECONDS;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.fieldstream.events.Setting;
import org.fieldstream.events.Settings;

/**
 * Where the dashboard listens, how often its page reloads itself and who may read it, next to where
 * it reads from ({@link ReportSettings}): defaults, then the settings file ({@code --config} or
 * FIELDSTREAM_CONFIG), then FIELDSTREAM_* variables.
 * With {@link Login#ANALYSTS} (the default) every page asks for an analyst's ClickHouse account and is
 * read as that analyst; {@link Login#OPEN} shows every program's figures without a login and is
 * refused on any but a loopback address. Viewers ({@link ViewerAccounts}) are kept under {@code data.dir}
 * ({@code dataDir}; null: no viewers log in).
 */
public record DashboardSettings(ReportSettings clickHouse, String bind, int port, int refreshSeconds, Login login,
                                int sessionIdleSeconds, int sessionLifetimeSeconds, Path dataDir) {

    /** Who may read the page. */
    public enum Login {
        /** Each analyst logs in with their ClickHouse account; every query runs as them, in their scope database. */
        ANALYSTS,
        /** No login: every program's figures, read as {@code clickhouse.user}; loopback only. */
        OPEN;

        static Login parse(String text) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "analysts" -> ANALYSTS;
                case "open" -> OPEN;
                default -> throw new ReportError(DASHBOARD_LOGIN + " must be analysts or open, not " + Filters.shown(text));
            };
        }

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The settings the dashboard reads, next to the reports' ones. */
    private static final List<Setting> SETTINGS = List.of(DASHBOARD_BIND, DASHBOARD_PORT, DASHBOARD_REFRESH_SECONDS, DASHBOARD_LOGIN,
            DASHBOARD_SESSION_IDLE_SECONDS, DASHBOARD_SESSION_LIFETIME_SECONDS, DATA_DIR);
    private static final int MAX_REFRESH_SECONDS = 24 * 3600;
    private static final int MAX_SESSION_SECONDS = 7 * 24 * 3600;
    static final int DEFAULT_IDLE_SECONDS = Integer.parseInt(DASHBOARD_SESSION_IDLE_SECONDS.defaultValue());
    static final int DEFAULT_LIFETIME_SECONDS = Integer.parseInt(DASHBOARD_SESSION_LIFETIME_SECONDS.defaultValue());

    public DashboardSettings {
        if (bind == null || bind.isBlank()) {
            throw new ReportError("--bind needs an address");
        }
        if (port < 0 || port > 65535) {
            throw new ReportError("--port must be 0 (any free port) to 65535, not " + port);
        }
        if (refreshSeconds < 1 || refreshSeconds > MAX_REFRESH_SECONDS) {
            throw new ReportError(DASHBOARD_REFRESH_SECONDS + " must be 1 to " + MAX_REFRESH_SECONDS + ", not " + refreshSeconds);
        }
        if (login == null) {
            throw new ReportError(DASHBOARD_LOGIN + " must be analysts or open");
        }
        if (sessionIdleSeconds < 1 || sessionIdleSeconds > MAX_SESSION_SECONDS) {
            throw new ReportError(DASHBOARD_SESSION_IDLE_SECONDS + " must be 1 to " + MAX_SESSION_SECONDS + ", not " + sessionIdleSeconds);
        }
        if (sessionLifetimeSeconds < 1 || sessionLifetimeSeconds > MAX_SESSION_SECONDS) {
            throw new ReportError(DASHBOARD_SESSION_LIFETIME_SECONDS + " must be 1 to " + MAX_SESSION_SECONDS + ", not "
                    + sessionLifetimeSeconds);
        }
        if (login == Login.OPEN && !loopback(bind)) {
            throw new ReportError(DASHBOARD_LOGIN + "=open shows every program's figures without a login: it listens on a loopback "
                    + "address only (127.0.0.1, ::1), not " + bind + "; use " + DASHBOARD_LOGIN + "=analysts to serve other machines");
        }
    }

    /** No viewers. */
    public DashboardSettings(ReportSettings clickHouse, String bind, int port, int refreshSeconds, Login login,
                             int sessionIdleSeconds, int sessionLifetimeSeconds) {
        this(clickHouse, bind, port, refreshSeconds, login, sessionIdleSeconds, sessionLifetimeSeconds, null);
    }

    /** Login by analysts, sessions of the default lengths. */
    public DashboardSettings(ReportSettings clickHouse, String bind, int port, int refreshSeconds) {
        this(clickHouse, bind, port, refreshSeconds, Login.ANALYSTS, DEFAULT_IDLE_SECONDS, DEFAULT_LIFETIME_SECONDS);
    }

    public static DashboardSettings load(Map<String, String> environment) {
        return load(null, environment);
    }

    /** Loads defaults, then {@code file} (or the one FIELDSTREAM_CONFIG names when null), then the environment. */
    public static DashboardSettings load(Path file, Map<String, String> environment) {
        Settings.Values values = Settings.load(Stream.concat(ReportSettings.SETTINGS.stream(), SETTINGS.stream()).toList(), file, environment);
        return new DashboardSettings(ReportSettings.of(values), values.required(DASHBOARD_BIND),
                values.intWithin(DASHBOARD_PORT, 0, 65535), values.intWithin(DASHBOARD_REFRESH_SECONDS, 1, MAX_REFRESH_SECONDS),
                Login.parse(values.required(DASHBOARD_LOGIN)),
                values.intWithin(DASHBOARD_SESSION_IDLE_SECONDS, 1, MAX_SESSION_SECONDS),
                values.intWithin(DASHBOARD_SESSION_LIFETIME_SECONDS, 1, MAX_SESSION_SECONDS), dataDir(values.get(DATA_DIR)));
    }

    /** The same settings listening on another port (0: any free one). */
    public DashboardSettings withPort(int otherPort) {
        return new DashboardSettings(clickHouse, bind, otherPort, refreshSeconds, login, sessionIdleSeconds, sessionLifetimeSeconds, dataDir);
    }

    /** The same settings listening on another address. */
    public DashboardSettings withBind(String otherBind) {
        return new DashboardSettings(clickHouse, otherBind, port, refreshSeconds, login, sessionIdleSeconds, sessionLifetimeSeconds, dataDir);
    }

    /** The same settings with another login, reload interval and session lengths. */
    public DashboardSettings with(Login otherLogin, int otherRefreshSeconds, int idleSeconds, int lifetimeSeconds) {
        return new DashboardSettings(clickHouse, bind, port, otherRefreshSeconds, otherLogin, idleSeconds, lifetimeSeconds, dataDir);
    }

    private static Path dataDir(String value) {
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    /** The same settings with viewers kept under another data directory (null: none). */
    public DashboardSettings withDataDir(Path otherDataDir) {
        return new DashboardSettings(clickHouse, bind, port, refreshSeconds, login, sessionIdleSeconds, sessionLifetimeSeconds, otherDataDir);
    }

    private static boolean loopback(String bind) {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
