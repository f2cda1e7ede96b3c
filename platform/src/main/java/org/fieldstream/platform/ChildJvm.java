package org.fieldstream.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A main class running in a child JVM with this JVM's java binary and, unless given another, its
 * classpath. The child runs
 * through {@link ParentWatch}, so it exits by itself when this JVM dies, even by SIGKILL; a
 * shutdown hook also stops children still alive when this JVM exits normally. The child's stdin
 * belongs to that watch, so a child main must not read {@code System.in}.
 */
public final class ChildJvm {

    private static final Logger LOG = LoggerFactory.getLogger(ChildJvm.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final int ARGFILE_THRESHOLD = 64 * 1024;
    private static final Set<ChildJvm> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildJvm::stopAllLive, "child-jvm-reaper"));
    }

    private final String name;
    private final Process process;
    private final Path logFile;

    private ChildJvm(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /** Starts {@code mainClass} with {@code args}; its stdout and stderr are appended to {@code logFile}. */
    public static ChildJvm start(String name, String mainClass, List<String> jvmArgs, List<String> args,
            Path logFile) {
        return start(name, mainClass, jvmArgs, args, Map.of(), logFile);
    }

    /**
     * As {@link #start(String, String, List, List, Path)}, with {@code environment} added to this
     * process's environment (e.g. FIELDSTREAM_* settings of the child's main).
     */
    public static ChildJvm start(String name, String mainClass, List<String> jvmArgs, List<String> args,
            Map<String, String> environment, Path logFile) {
        return start(name, System.getProperty("java.class.path"), mainClass, jvmArgs, args, environment, logFile);
    }

    /**
     * As {@link #start(String, String, List, List, Map, Path)}, on {@code classpath} instead of this
     * JVM's (e.g. the stage runtime's, which lacks the broker this JVM may carry).
     */
    public static ChildJvm start(String name, String classpath, String mainClass, List<String> jvmArgs, List<String> args,
            Map<String, String> environment, Path logFile) {
        try {
            Path parent = logFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            List<String> command = command(mainClass, jvmArgs, args, classpathArguments(classpath, ARGFILE_THRESHOLD, logFile));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            Process process = builder
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            ChildJvm child = new ChildJvm(name, process, logFile);
            LIVE.add(child);
            process.onExit().thenRun(() -> LIVE.remove(child));
            LOG.info("started {} ({}) as pid {}, log {}", name, mainClass, process.pid(), logFile);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start child JVM " + name, e);
        }
    }

    /**
     * Starts {@code mainClass} under {@link ParentWatch} as {@link #start} does, but hands its output
     * (stdout and stderr merged) to the caller, through {@link Process#getInputStream()}, and leaves
     * stopping it to the caller: this JVM's shutdown hook does not stop it, so a supervisor stops its
     * children in its own order. It still exits by itself when this JVM dies. It runs on {@code classpath}
     * (which must hold {@link ParentWatch}); one too long for one argument goes to {@code <argFileBase>.classpath}.
     */
    public static Process startPiped(String classpath, String mainClass, List<String> jvmArgs, List<String> args,
            Map<String, String> environment, Path argFileBase) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command(mainClass, jvmArgs, args,
                    classpathArguments(classpath, ARGFILE_THRESHOLD, argFileBase)))
                    .redirectErrorStream(true);
            builder.environment().putAll(environment);
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start child JVM " + mainClass, e);
        }
    }

    static List<String> command(String mainClass, List<String> jvmArgs, List<String> args,
            List<String> classpathArguments) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(jvmArgs);
        command.addAll(classpathArguments);
        command.add(ParentWatch.class.getName());
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /**
     * {@code -cp <classpath>}, or an {@code @argfile} holding it when it is too long for one command-line
     * argument (Linux refuses single arguments over 128 KiB).
     */
    static List<String> classpathArguments(String classpath, int threshold, Path logFile) throws IOException {
        if (classpath.length() < threshold) {
            return List.of("-cp", classpath);
        }
        String quoted = "\"" + classpath.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        Path argFile = Files.writeString(Path.of(logFile.toAbsolutePath() + ".classpath"), "-cp " + quoted + "\n");
        return List.of("@" + argFile);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hooks, no clean shutdown; for crash tests. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    /** SIGTERM, so the child's shutdown hooks run; SIGKILL if it has not exited within 30 s. */
    public void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!awaitExit(STOP_TIMEOUT)) {
            LOG.warn("{} (pid {}) did not stop within {}, killing it", name, process.pid(), STOP_TIMEOUT);
            kill();
        }
    }

    /**
     * Waits for the child to exit and returns its exit code.
     *
     * @throws IllegalStateException if it is still running after {@code timeout}, with its log tail
     */
    public int waitFor(Duration timeout) {
        if (!awaitExit(timeout)) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") still running after " + timeout
                    + "\n" + LogTail.of(logFile, 30));
        }
        return process.exitValue();
    }

    /** The last lines of the child's log, for error messages. */
    public String logTail(int lines) {
        return LogTail.of(logFile, lines);
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private static void stopAllLive() {
        List<ChildJvm> children = new ArrayList<>(LIVE);
        children.forEach(child -> child.process.destroy());
        children.forEach(ChildJvm::stop);
    }

    @Override
    public String toString() {
        return "ChildJvm[" + name + ", pid " + process.pid() + "]";
    }
}
