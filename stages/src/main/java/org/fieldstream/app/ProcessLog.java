package org.fieldstream.app;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.fieldstream.events.Settings;
import org.fieldstream.platform.RotatingLogFile;

/**
 * The log file of one {@code fieldstream} process: {@code <log dir>/<command>.log} (e.g.
 * {@code var/logs/ingest.log}), appended and rotated by size ({@link RotatingLogFile}), so processes
 * started separately never overwrite each other's lines. Library and lifecycle logs (slf4j-simple
 * writes to whatever {@code System.err} is at each line) go there; the console keeps
 * {@code System.out} (progress, results) and {@link #console()} for real errors.
 *
 * <p>Only when the launcher names the log directory ({@value #DIR_PROPERTY}); otherwise (tests, a
 * stage under the supervisor, which logs its children's output itself) everything stays on the
 * standard streams.
 */
public final class ProcessLog {

    static final String DIR_PROPERTY = "fieldstream.log.dir";
    static final String MAX_BYTES = "log.max.bytes";
    static final String FILES = "log.files";
    private static final Map<String, String> DEFAULTS = Map.of(MAX_BYTES, Long.toString(RotatingLogFile.DEFAULT_MAX_BYTES),
            FILES, Integer.toString(RotatingLogFile.DEFAULT_FILES));

    private static volatile PrintStream console = System.err;

    /** Size bound and number of files of every log (settings {@value #MAX_BYTES}, {@value #FILES}). */
    record Rotation(long maxBytes, int files) {
    }

    private ProcessLog() {
    }

    /** The console's error stream, for messages the user must see. */
    public static PrintStream console() {
        return console;
    }

    /**
     * Sends this process's log lines to the log file of the command in {@code args}; the supervisor,
     * which has no console, sends its standard output there as well.
     */
    static void install(String[] args, Map<String, String> environment) {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir == null || dir.isBlank()) {
            return;
        }
        String command = command(args);
        Rotation rotation = rotation(environment);
        PrintStream log = new PrintStream(new RotatingLogFile(Path.of(dir, command + ".log"), rotation.maxBytes(), rotation.files()),
                true, StandardCharsets.UTF_8);
        console = System.err;
        System.setErr(log);
        if (command.equals("supervise")) {
            System.setOut(log);
        }
    }

    /** The subcommand's name: the first argument that is not an option; "fieldstream" when none. */
    static String command(String[] args) {
        for (String arg : args) {
            if (!arg.startsWith("-")) {
                return arg.matches("[A-Za-z0-9_-]+") ? arg : "fieldstream";
            }
        }
        return "fieldstream";
    }

    /** The rotation settings: defaults, then the FIELDSTREAM_CONFIG file, then FIELDSTREAM_* variables. */
    static Rotation rotation(Map<String, String> environment) {
        Map<String, String> v = Settings.load(DEFAULTS, null, environment, DEFAULTS.keySet());
        try {
            Rotation rotation = new Rotation(Long.parseLong(v.get(MAX_BYTES).trim()), Integer.parseInt(v.get(FILES).trim()));
            if (rotation.maxBytes() < 1024 || rotation.files() < 1) {
                throw new IllegalArgumentException("settings " + MAX_BYTES + " (at least 1024) and " + FILES
                        + " (at least 1) out of range: " + rotation);
            }
            return rotation;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("settings " + MAX_BYTES + " and " + FILES + " must be numbers: " + v, e);
        }
    }
}
