package org.fieldstream.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real ClickHouse server process with its own config, data and free ports under a work dir.
 * It is started by a small shell that kills it once this JVM's pipe to the shell closes, so the
 * server never outlives the JVM, even when the JVM is SIGKILLed.
 */
public final class LocalClickHouse implements ClickHouseService {

    private static final Logger LOG = LoggerFactory.getLogger(LocalClickHouse.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    /**
     * $1 = console log, $2... = server command. The server gets /dev/null as stdin; a background
     * watcher reads the JVM's pipe (kept as fd 3, because background jobs get /dev/null as stdin)
     * and sends SIGTERM to the server at end-of-file. The shell exits with the server.
     */
    static final String LAUNCHER = """
            log="$1"; shift
            exec 3<&0
            "$@" </dev/null 3<&- >>"$log" 2>&1 &
            server=$!
            ( cat <&3 >/dev/null; kill -TERM "$server" 2>/dev/null ) &
            watcher=$!
            exec 3<&-
            wait "$server"
            rc=$?
            kill "$watcher" 2>/dev/null
            exit "$rc"
            """;

    /** Servers to stop cleanly at JVM exit; without this they would only get SIGTERM once the pipe closes. */
    private static final Set<LocalClickHouse> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> List.copyOf(RUNNING).forEach(LocalClickHouse::stop), "clickhouse-stop"));
    }

    private final ClickHouseConfig config;
    private final ClickHouseBinary binary;
    private final ClickHouseHttp ping;
    private Process launcher;

    private LocalClickHouse(ClickHouseConfig config, ClickHouseBinary binary) {
        this.config = config;
        this.binary = binary;
        this.ping = new ClickHouseHttp(httpUrl());
    }

    /** Writes a config under {@code workDir}, starts the server on free ports and returns once it answers. */
    public static LocalClickHouse start(Path workDir) {
        return start(workDir, ClickHouseBinary.locate());
    }

    public static LocalClickHouse start(Path workDir, ClickHouseBinary binary) {
        Path dir = LocalKafka.createDirectories(workDir.toAbsolutePath());
        int[] ports = Ports.free(2);
        ClickHouseConfig config = new ClickHouseConfig(dir, ports[0], ports[1]);
        for (String sub : ClickHouseConfig.DIRECTORIES) {
            LocalKafka.createDirectories(dir.resolve(sub));
        }
        LocalKafka.write(config.configFile(), config.configXml());
        LocalKafka.write(config.usersFile(), ClickHouseConfig.usersXml());
        LocalClickHouse server = new LocalClickHouse(config, binary);
        server.start();
        return server;
    }

    @Override
    public synchronized void start() {
        if (launcher != null && launcher.isAlive()) {
            return;
        }
        long started = System.nanoTime();
        launcher = launch();
        RUNNING.add(this);
        try {
            awaitPing();
        } catch (RuntimeException e) {
            forceStop();
            launcher = null;
            RUNNING.remove(this);
            throw e;
        }
        LOG.info("ClickHouse at {} ready after {} ms (work dir {})", httpUrl(),
                (System.nanoTime() - started) / 1_000_000, config.workDir());
    }

    private Process launch() {
        List<String> command = new ArrayList<>(List.of("sh", "-c", LAUNCHER, "clickhouse-launcher",
                config.consoleLogFile().toString()));
        command.addAll(binary.serverCommand());
        command.add("--config-file=" + config.configFile());
        try {
            return new ProcessBuilder(command)
                    .directory(config.workDir().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(config.consoleLogFile().toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary.serverCommand(), e);
        }
    }

    private void awaitPing() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!ping.ping()) {
            if (!launcher.isAlive()) {
                throw notReady("the server exited with code " + launcher.exitValue());
            }
            if (System.nanoTime() > deadline) {
                throw notReady("/ping did not answer within " + START_TIMEOUT);
            }
            sleep(100);
        }
    }

    private IllegalStateException notReady(String why) {
        return new IllegalStateException("ClickHouse (" + String.join(" ", binary.serverCommand()) + ") at "
                + httpUrl() + " not ready: " + why + "\n" + LogTail.of(config.errorLogFile(), 30) + "\n"
                + LogTail.of(config.consoleLogFile(), 20));
    }

    /** Closes the pipe the launcher watches, so the server gets SIGTERM; SIGKILL after 30 s. */
    @Override
    public synchronized void stop() {
        if (launcher == null) {
            return;
        }
        try {
            launcher.getOutputStream().close();
        } catch (IOException e) {
            LOG.debug("closing the launcher pipe failed; killing the server instead", e);
        }
        if (!waitForExit(launcher, STOP_TIMEOUT)) {
            LOG.warn("ClickHouse at {} did not stop within {}, killing it", httpUrl(), STOP_TIMEOUT);
            forceStop();
        }
        launcher = null;
        RUNNING.remove(this);
    }

    private void forceStop() {
        Process process = launcher;
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        waitForExit(process, Duration.ofSeconds(10));
    }

    private static boolean waitForExit(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    public synchronized boolean isRunning() {
        return launcher != null && launcher.isAlive();
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int httpPort() {
        return config.httpPort();
    }

    @Override
    public int tcpPort() {
        return config.tcpPort();
    }

    public Path workDir() {
        return config.workDir();
    }

    @Override
    public void close() {
        stop();
        LOG.info("ClickHouse at {} stopped", httpUrl());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "LocalClickHouse[" + httpUrl() + "]";
    }
}
