package org.fieldstream.app;

import static org.fieldstream.events.SettingKeys.LOG_FILES;
import static org.fieldstream.events.SettingKeys.LOG_MAX_BYTES;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
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

    private static volatile PrintStream console = System.err;

    /** Size bound and number of files of every log (settings {@code log.max.bytes}, {@code log.files}). */
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
        Settings.Values v = Settings.load(List.of(LOG_MAX_BYTES, LOG_FILES), null, environment);
        return new Rotation(v.longWithin(LOG_MAX_BYTES, 1024, Long.MAX_VALUE), v.intWithin(LOG_FILES, 1, Integer.MAX_VALUE));
    }
}
