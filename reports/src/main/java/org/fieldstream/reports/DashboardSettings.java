package org.fieldstream.reports;

import java.util.List;
import java.util.Map;

import org.fieldstream.events.Settings;

/**
 * Where the dashboard listens and how often its page reloads itself, next to where it reads from
 * ({@link ReportSettings}): defaults, then the FIELDSTREAM_CONFIG file, then FIELDSTREAM_* variables.
 * The default bind address is loopback: the page shows program figures and asks for no login.
 */
public record DashboardSettings(ReportSettings clickHouse, String bind, int port, int refreshSeconds) {

    public static final String BIND = "dashboard.bind";
    public static final String PORT = "dashboard.port";
    public static final String REFRESH_SECONDS = "dashboard.refresh.seconds";

    private static final Map<String, String> DEFAULTS = Map.of(
            BIND, "127.0.0.1",
            PORT, "8089",
            REFRESH_SECONDS, "30");
    private static final int MAX_REFRESH_SECONDS = 24 * 3600;

    public DashboardSettings {
        if (bind == null || bind.isBlank()) {
            throw new ReportError("missing setting " + BIND + " (" + ReportSettings.envName(BIND) + ")");
        }
        if (port < 0 || port > 65535) {
            throw new ReportError(PORT + " must be 0 (any free port) to 65535, not " + port);
        }
        if (refreshSeconds < 1 || refreshSeconds > MAX_REFRESH_SECONDS) {
            throw new ReportError(REFRESH_SECONDS + " must be 1 to " + MAX_REFRESH_SECONDS + ", not " + refreshSeconds);
        }
    }

    public static DashboardSettings load(Map<String, String> environment) {
        Map<String, String> values = Settings.load(DEFAULTS, null, environment, List.of());
        return new DashboardSettings(ReportSettings.load(environment), Settings.required(values, BIND),
                Settings.intWithin(values, PORT, 0, 65535), Settings.intWithin(values, REFRESH_SECONDS, 1, MAX_REFRESH_SECONDS));
    }

    /** The same settings listening on another port (0: any free one). */
    public DashboardSettings withPort(int otherPort) {
        return new DashboardSettings(clickHouse, bind, otherPort, refreshSeconds);
    }
}
