package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.fieldstream.events.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardSettingsTest {

    @TempDir
    Path dir;

    @Test
    void loopbackPort8089AndThirtySecondsByDefault() {
        DashboardSettings settings = DashboardSettings.load(Map.of());
        assertEquals("127.0.0.1", settings.bind());
        assertEquals(8089, settings.port());
        assertEquals(30, settings.refreshSeconds());
        assertEquals(ReportSettings.load(Map.of()), settings.clickHouse());
    }

    @Test
    void fileThenEnvironmentThenCommandLine() throws Exception {
        Path file = dir.resolve("fs.properties");
        Files.writeString(file, "dashboard.port=9000\ndashboard.refresh.seconds=10\nclickhouse.database=from_file\n");
        DashboardSettings settings = DashboardSettings.load(Map.of("FIELDSTREAM_CONFIG", file.toString(),
                "FIELDSTREAM_DASHBOARD_REFRESH_SECONDS", "5", "FIELDSTREAM_DASHBOARD_BIND", "0.0.0.0"));
        assertEquals(new DashboardSettings(new ReportSettings("http://127.0.0.1:8123", "default", "", "from_file"), "0.0.0.0", 9000, 5),
                settings);
        DashboardSettings options = DashboardServer.options(new String[] {"--port", "9100", "--bind", "::1"}, settings);
        assertEquals(9100, options.port());
        assertEquals("::1", options.bind());
        assertNull(DashboardServer.options(new String[] {"--help"}, settings));
    }

    @Test
    void configOptionNamesTheSettingsFile() throws Exception {
        Path file = Files.writeString(dir.resolve("d.properties"), "dashboard.port=9300\ndashboard.refresh.seconds=never\n");
        DashboardServer.Options options = DashboardServer.parse(new String[] {"--config", file.toString(), "--bind", "::1"});
        assertEquals(file, options.config.file());
        assertEquals("setting dashboard.refresh.seconds (in " + file + ") must be a whole number, not never",
                assertThrows(Settings.Invalid.class, () -> DashboardSettings.load(options.config.file(), Map.of())).getMessage());
        Files.writeString(file, "dashboard.port=9300\n");
        DashboardSettings settings = options.over(DashboardSettings.load(options.config.file(), Map.of()));
        assertEquals(9300, settings.port());
        assertEquals("::1", settings.bind());
    }

    @Test
    void refusesNonsense() {
        assertEquals("setting dashboard.port (FIELDSTREAM_DASHBOARD_PORT) must be a whole number, not http",
                refused(Map.of("FIELDSTREAM_DASHBOARD_PORT", "http")));
        assertEquals("setting dashboard.port (FIELDSTREAM_DASHBOARD_PORT) must be within 0..65535, not 70000", refused(Map.of("FIELDSTREAM_DASHBOARD_PORT", "70000")));
        assertEquals("setting dashboard.refresh.seconds (FIELDSTREAM_DASHBOARD_REFRESH_SECONDS) must be within 1..86400, not 0", refused(Map.of("FIELDSTREAM_DASHBOARD_REFRESH_SECONDS", "0")));
        assertEquals("missing setting dashboard.bind (FIELDSTREAM_DASHBOARD_BIND)", refused(Map.of("FIELDSTREAM_DASHBOARD_BIND", " ")));
        DashboardSettings settings = DashboardSettings.load(Map.of());
        assertEquals("unknown option '--host'", assertThrows(ReportError.class,
                () -> DashboardServer.options(new String[] {"--host", "x"}, settings)).getMessage());
        assertEquals("'--port' needs a value", assertThrows(ReportError.class,
                () -> DashboardServer.options(new String[] {"--port"}, settings)).getMessage());
    }

    @Test
    void analystsLogInByDefaultAndOpenIsForLoopbackOnly() {
        DashboardSettings settings = DashboardSettings.load(Map.of());
        assertEquals(DashboardSettings.Login.ANALYSTS, settings.login());
        assertEquals(1800, settings.sessionIdleSeconds());
        assertEquals(43200, settings.sessionLifetimeSeconds());
        assertEquals(DashboardSettings.Login.OPEN, DashboardSettings.load(Map.of("FIELDSTREAM_DASHBOARD_LOGIN", "open")).login());
        assertEquals(DashboardSettings.Login.OPEN, DashboardSettings.load(Map.of("FIELDSTREAM_DASHBOARD_LOGIN", "open",
                "FIELDSTREAM_DASHBOARD_BIND", "::1")).login());
        ReportError anywhere = assertThrows(ReportError.class, () -> DashboardSettings.load(Map.of("FIELDSTREAM_DASHBOARD_LOGIN", "open",
                "FIELDSTREAM_DASHBOARD_BIND", "0.0.0.0")));
        assertTrue(anywhere.getMessage().startsWith("dashboard.login=open shows every program's figures without a login: it listens on a "
                + "loopback address only"), anywhere.getMessage());
        assertEquals("dashboard.login must be analysts or open, not 'none'", assertThrows(ReportError.class,
                () -> DashboardSettings.load(Map.of("FIELDSTREAM_DASHBOARD_LOGIN", "none"))).getMessage());
        assertEquals(DashboardSettings.Login.ANALYSTS, DashboardSettings.load(Map.of("FIELDSTREAM_DASHBOARD_BIND", "0.0.0.0")).login());
        assertEquals("setting dashboard.session.idle.seconds (FIELDSTREAM_DASHBOARD_SESSION_IDLE_SECONDS) must be within 1..604800, not 0",
                refused(Map.of("FIELDSTREAM_DASHBOARD_SESSION_IDLE_SECONDS", "0")));
    }

    private static String refused(Map<String, String> env) {
        return assertThrows(Settings.Invalid.class, () -> DashboardSettings.load(env)).getMessage();
    }
}
