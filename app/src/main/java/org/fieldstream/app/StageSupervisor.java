package org.fieldstream.app;

import static org.fieldstream.events.SettingKeys.SUPERVISOR_BACKOFF_INITIAL_MS;
import static org.fieldstream.events.SettingKeys.SUPERVISOR_BACKOFF_MAX_MS;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.fieldstream.events.Settings;
import org.fieldstream.platform.ChildJvm;
import org.fieldstream.platform.Daemon;
import org.fieldstream.platform.ParentWatch;
import org.fieldstream.platform.RotatingLogFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the local stack's stages (streams, sink, push endpoint, dashboard) as child JVMs and keeps
 * them running: a child that exits, whatever its exit code, is started again after a
 * {@link RestartPause} (settings {@code supervisor.backoff.initial.ms}, {@code supervisor.backoff.max.ms}). Each child's output goes to
 * {@code logs/<stage>.log} ({@link RotatingLogFile}); its pid to {@code run/<stage>.pid}; pid,
 * restarts, last start, last exit code and last error line to {@link SupervisorState}.
 *
 * <p>The children run under {@link ParentWatch}: they exit when this process dies, even by SIGKILL.
 * On a requested stop (SIGTERM: {@code fieldstream down}) they are stopped one by one, the last
 * started first, each with SIGTERM and, after {@code grace}, SIGKILL.
 */
final class StageSupervisor {

    /** Pacing and logs of the supervised stages. */
    record Options(Duration backoffInitial, Duration backoffMax, Duration grace, long logMaxBytes, int logFiles) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(StageSupervisor.class);

    private final LocalStack stack;
    private final Options options;
    private final Path stateFile;
    private final Map<String, SupervisorState.Stage> states = new LinkedHashMap<>();
    private final List<Child> children = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Ends the pauses before restarts; no thread is interrupted (an interrupt would close a log's channel mid-write). */
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private volatile boolean stopping;

    /** The {@code supervise} command: runs the stack's stages until SIGTERM, then stops them. */
    static int run(LocalStack stack) {
        Settings.Values settings = Settings.load(List.of(SUPERVISOR_BACKOFF_INITIAL_MS, SUPERVISOR_BACKOFF_MAX_MS),
                stack.settingsFile(), System.getenv());
        ProcessLog.Rotation rotation = ProcessLog.rotation(System.getenv());
        StageSupervisor supervisor = new StageSupervisor(stack, new Options(
                Duration.ofMillis(settings.longWithin(SUPERVISOR_BACKOFF_INITIAL_MS, 1, Long.MAX_VALUE)),
                Duration.ofMillis(settings.longWithin(SUPERVISOR_BACKOFF_MAX_MS, 1, Long.MAX_VALUE)),
                LocalStack.STAGE_GRACE, rotation.maxBytes(), rotation.files()));
        Runtime.getRuntime().addShutdownHook(new Thread(supervisor::stop, "fieldstream-supervisor-shutdown"));
        supervisor.start();
        supervisor.awaitStopped();
        return 0;
    }

    StageSupervisor(LocalStack stack, Options options) {
        this.stack = stack;
        this.options = options;
        this.stateFile = stack.supervisorStateFile();
        for (String stage : LocalStack.STAGES) {
            states.put(stage, SupervisorState.initial(stage));
            children.add(new Child(stage));
        }
    }

    /** Starts every stage in order, each then watched by a thread of its own. */
    void start() {
        LOG.info("supervising {} (backoff {} to {}, logs of {} bytes x {} files)", LocalStack.STAGES, options.backoffInitial(),
                options.backoffMax(), options.logMaxBytes(), options.logFiles());
        for (Child child : children) {
            Process first = child.launchOrNull(false);
            Thread thread = new Thread(() -> child.superviseLoop(first), "supervise-" + child.name);
            thread.start();
            child.thread = thread;
        }
    }

    /** Stops every stage, the last started first, and waits for them; safe to call more than once. */
    void stop() {
        boolean first;
        synchronized (this) {
            first = !stopping;
            stopping = true;
        }
        if (!first) {
            awaitStopped();
            return;
        }
        stopRequested.countDown();
        List<Child> lastFirst = new ArrayList<>(children);
        Collections.reverse(lastFirst);
        for (Child child : lastFirst) {
            child.stop();
        }
        for (Child child : children) {
            if (child.thread == null) {
                continue;
            }
            try {
                child.thread.join(options.grace().toMillis() + 10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.info("every stage stopped");
        stopped.countDown();
    }

    void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void update(String stage, java.util.function.UnaryOperator<SupervisorState.Stage> change) {
        states.put(stage, change.apply(states.get(stage)));
        try {
            SupervisorState.write(stateFile, states.values());
        } catch (java.io.UncheckedIOException e) {
            // the stages matter more than what status shows of them (a full disk, say)
            LOG.warn("state not recorded: {}", e.getMessage());
        }
    }

    /** One stage: started, watched, restarted, stopped. */
    private final class Child {
        private final String name;
        private final Daemon pidFile;
        private final RotatingLogFile log;
        private volatile Thread thread;
        private Process process;
        private volatile LastError lastError = new LastError();

        Child(String name) {
            this.name = name;
            this.pidFile = stack.stage(name);
            this.log = new RotatingLogFile(stack.logs().resolve(name + ".log"), options.logMaxBytes(), options.logFiles());
        }

        /** Watches the running child ({@code first}; null when it could not start) and starts it again until stopping. */
        void superviseLoop(Process first) {
            RestartPause pauses = new RestartPause(options.backoffInitial(), options.backoffMax());
            Process running = first;
            while (!stopping) {
                Duration ran = Duration.ZERO;
                if (running != null) {
                    long started = System.nanoTime();
                    pump(running);
                    int code = waitFor(running);
                    ran = Duration.ofNanos(System.nanoTime() - started);
                    String error = lastError.line();
                    update(name, s -> s.exited(code, error));
                    if (stopping) {
                        return;
                    }
                    LOG.warn("{} (pid {}) exited with code {} after {} s; last error: {}", name, running.pid(), code, ran.toSeconds(), error);
                }
                Duration pause = pauses.after(ran);
                LOG.info("starting {} again in {} ms", name, pause.toMillis());
                if (!sleep(pause)) {
                    return;
                }
                running = launchOrNull(true);
            }
        }

        /** Starts the stage; null when stopping or when it could not be started (logged; tried again later). */
        Process launchOrNull(boolean restart) {
            try {
                return launch(restart);
            } catch (RuntimeException e) {
                LOG.error("cannot start {}: {}", name, e.toString());
                return null;
            }
        }

        /** Starts the stage unless stopping; null when stopping. */
        private synchronized Process launch(boolean restart) {
            if (stopping) {
                return null;
            }
            lastError = new LastError();
            process = ChildJvm.startPiped(StageClasspath.get(), FieldStream.class.getName(), stack.stageJvmArgs(name), List.of(name),
                    Map.of("FIELDSTREAM_CONFIG", stack.settingsFile().toString()), log.file());
            long pid = process.pid();
            update(name, s -> s.started(pid, Instant.now().toString(), restart));
            pidFile.recordPid(pid);
            LOG.info("{} started as pid {}{}", name, pid, restart ? " (restart " + states.get(name).restarts() + ")" : "");
            return process;
        }

        /** Copies the child's output, line by line, to its log until the child closes it (it exits). */
        private void pump(Process running) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(running.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    log.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    lastError.accept(line);
                }
            } catch (IOException e) {
                LOG.warn("{}: output not fully logged: {}", name, e.toString());
            }
        }

        private int waitFor(Process running) {
            while (true) {
                try {
                    return running.waitFor();
                } catch (InterruptedException e) {
                    // nothing interrupts this thread; wait on
                }
            }
        }

        /** False when stopping. */
        private boolean sleep(Duration pause) {
            try {
                return !stopRequested.await(pause.toMillis(), TimeUnit.MILLISECONDS) && !stopping;
            } catch (InterruptedException e) {
                return false;
            }
        }

        void stop() {
            Process current;
            synchronized (this) {
                current = process;
            }
            if (current == null || !current.isAlive()) {
                pidFile.stop(Duration.ZERO);
                return;
            }
            LOG.info("stopping {} (pid {})", name, current.pid());
            // signals through the process handle: Process.destroy() would also close the child's pipes,
            // its stdin (ParentWatch then ends it at once) and its output (its last lines would be lost)
            ProcessHandle handle = current.toHandle();
            handle.destroy();
            try {
                if (!current.waitFor(options.grace().toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("{} (pid {}) did not stop within {}, killing it", name, current.pid(), options.grace());
                    handle.destroyForcibly();
                    current.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                handle.destroyForcibly();
            }
            pidFile.stop(Duration.ZERO);
        }
    }
}
