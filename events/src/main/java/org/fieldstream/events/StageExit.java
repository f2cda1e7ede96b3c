package org.fieldstream.events;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exit codes of the long-running stages (streams, sink, push endpoint, dashboard), so that whoever
 * runs them (the local stack's supervisor, systemd, a container runtime) tells a fatal error from a
 * requested stop: 0 or 143 (SIGTERM) is a stop, anything else a failure worth a restart.
 */
public final class StageExit {

    /** The stage could not start (settings, unreachable service at start, ...) or its command failed. */
    public static final int FAILED = 1;
    /** The sink's loop thread died on an exception; nothing is written any more. */
    public static final int SINK_LOOP_DIED = 3;
    /** Kafka Streams reached ERROR (a stream thread failed) or stopped without being asked to. */
    public static final int STREAMS_ERROR = 4;
    /** An exception nobody caught ended a thread of the stage. */
    public static final int UNCAUGHT_EXCEPTION = 5;

    private static final Logger LOG = LoggerFactory.getLogger(StageExit.class);

    private StageExit() {
    }

    /**
     * Makes an exception that ends any thread of this JVM fatal: it is logged at ERROR and the JVM
     * exits with {@link #UNCAUGHT_EXCEPTION} (its shutdown hooks run). A stage with a dead thread
     * would otherwise look alive while doing nothing. During shutdown it is only logged.
     */
    public static void exitOnUncaughtException() {
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            LOG.error("uncaught exception in thread {}, exiting with code {}", thread.getName(), UNCAUGHT_EXCEPTION, e);
            if (!shuttingDown()) {
                System.exit(UNCAUGHT_EXCEPTION);
            }
        });
    }

    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> { }, "shutdown-probe");
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
