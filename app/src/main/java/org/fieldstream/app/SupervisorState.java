package org.fieldstream.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * What the supervisor of the local stack knows of each stage, kept in {@code run/supervisor.state}
 * (a properties file, replaced whole on each change) for {@code status}: pid, restarts, last start,
 * last exit code and the last error line of the run that ended.
 */
final class SupervisorState {

    /** One stage; {@code lastExit} null until a run ended, {@code pid} 0 before the first start. */
    record Stage(String name, long pid, int restarts, String lastStart, Integer lastExit, String lastError) {
        Stage started(long newPid, String at, boolean restart) {
            return new Stage(name, newPid, restarts + (restart ? 1 : 0), at, lastExit, lastError);
        }

        Stage exited(int code, String errorLine) {
            return new Stage(name, pid, restarts, lastStart, code, errorLine);
        }
    }

    private SupervisorState() {
    }

    static Stage initial(String name) {
        return new Stage(name, 0, 0, "", null, "");
    }

    static void write(Path file, Iterable<Stage> stages) {
        Properties p = new Properties();
        for (Stage s : stages) {
            p.setProperty(s.name() + ".pid", Long.toString(s.pid()));
            p.setProperty(s.name() + ".restarts", Integer.toString(s.restarts()));
            p.setProperty(s.name() + ".last_start", s.lastStart());
            p.setProperty(s.name() + ".last_exit", s.lastExit() == null ? "" : s.lastExit().toString());
            p.setProperty(s.name() + ".last_error", s.lastError());
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(temp)) {
                p.store(out, "the local stack's supervisor: its stages (fieldstream status shows them)");
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The recorded stages by name; empty when no supervisor has run. */
    static Map<String, Stage> read(Path file, Iterable<String> names) {
        Map<String, Stage> stages = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return stages;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        for (String name : names) {
            if (p.getProperty(name + ".pid") == null) {
                continue;
            }
            String exit = p.getProperty(name + ".last_exit", "");
            stages.put(name, new Stage(name, Long.parseLong(p.getProperty(name + ".pid", "0")),
                    Integer.parseInt(p.getProperty(name + ".restarts", "0")), p.getProperty(name + ".last_start", ""),
                    exit.isEmpty() ? null : Integer.valueOf(exit), p.getProperty(name + ".last_error", "")));
        }
        return stages;
    }
}
