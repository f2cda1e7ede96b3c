package org.fieldstream.platform;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A long-running process that outlives the command that started it (the local stack's broker,
 * ClickHouse server and pipeline stages): started in its own session ({@code setsid}), stdin from
 * /dev/null, output appended to a log file, its pid and a marker written to a pid file. The marker
 * (a string its command line contains, placed early: the command line the OS reports may be cut
 * short after a long class path) tells a live process of ours from an unrelated one that reused the
 * pid after a restart of the machine.
 */
public final class Daemon {

    private final String name;
    private final Path pidFile;
    private final String marker;

    public Daemon(String name, Path pidFile, String marker) {
        this.name = name;
        this.pidFile = pidFile;
        this.marker = marker;
    }

    public String name() {
        return name;
    }

    /** Starts {@code command} detached; returns its pid. */
    public long start(List<String> command, Map<String, String> environment, Path workDir, Path logFile) {
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Files.createDirectories(pidFile.toAbsolutePath().getParent());
            List<String> detached = new ArrayList<>();
            detached.add("setsid");
            detached.addAll(command);
            ProcessBuilder builder = new ProcessBuilder(detached)
                    .directory(workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            Files.writeString(pidFile, process.pid() + "\n" + marker + "\n", StandardCharsets.UTF_8);
            return process.pid();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /**
     * Records {@code pid} as this daemon's process, for one started by another (a supervisor's
     * child): {@link #process()}, {@link #isAlive()} and {@link #stop} then find it by its pid file.
     */
    public void recordPid(long pid) {
        try {
            Files.createDirectories(pidFile.toAbsolutePath().getParent());
            Files.writeString(pidFile, pid + "\n" + marker + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + pidFile, e);
        }
    }

    /** The live process this pid file names, if it is still ours. */
    public Optional<ProcessHandle> process() {
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                return Optional.empty();
            }
            long pid = Long.parseLong(lines.get(0).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public boolean isAlive() {
        return process().isPresent();
    }

    /** SIGTERM, then SIGKILL after {@code grace}; removes the pid file. True when it was running. */
    public boolean stop(Duration grace) {
        Optional<ProcessHandle> process = process();
        process.ifPresent(p -> {
            p.destroy();
            try {
                p.onExit().get(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        });
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + pidFile, e);
        }
        return process.isPresent();
    }

    /** The java binary of this JVM, for daemons that are JVMs. */
    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
