package org.fieldstream.reports;

import static org.fieldstream.events.SettingKeys.DASHBOARD_BIND;
import static org.fieldstream.events.SettingKeys.DASHBOARD_PORT;
import static org.fieldstream.events.SettingKeys.DASHBOARD_REFRESH_SECONDS;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.fieldstream.events.Setting;
import org.fieldstream.events.Settings;

/**
 * Where the dashboard listens and how often its page reloads itself, next to where it reads from
 * ({@link ReportSettings}): defaults, then the settings file ({@code --config} or FIELDSTREAM_CONFIG),
 * then FIELDSTREAM_* variables.
 * The default bind address is loopback: the page shows program figures and asks for no login.
 */
public record DashboardSettings(ReportSettings clickHouse, String bind, int port, int refreshSeconds) {

    /** The settings the dashboard reads, next to the reports' ones. */
    private static final List<Setting> SETTINGS = List.of(DASHBOARD_BIND, DASHBOARD_PORT, DASHBOARD_REFRESH_SECONDS);
    private static final int MAX_REFRESH_SECONDS = 24 * 3600;

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
    }

    public static DashboardSettings load(Map<String, String> environment) {
        return load(null, environment);
    }

    /** Loads defaults, then {@code file} (or the one FIELDSTREAM_CONFIG names when null), then the environment. */
    public static DashboardSettings load(Path file, Map<String, String> environment) {
        Settings.Values values = Settings.load(Stream.concat(ReportSettings.SETTINGS.stream(), SETTINGS.stream()).toList(), file, environment);
        return new DashboardSettings(ReportSettings.of(values), values.required(DASHBOARD_BIND),
                values.intWithin(DASHBOARD_PORT, 0, 65535), values.intWithin(DASHBOARD_REFRESH_SECONDS, 1, MAX_REFRESH_SECONDS));
    }

    /** The same settings listening on another port (0: any free one). */
    public DashboardSettings withPort(int otherPort) {
        return new DashboardSettings(clickHouse, bind, otherPort, refreshSeconds);
    }
}
