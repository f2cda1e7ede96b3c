package org.fieldstream.platform;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of every {@link ChildJvm}: runs the real main class, and ends the JVM once its standard
 * input reaches end-of-file. The parent holds the only write end of that pipe, so the pipe closes
 * when the parent exits for any reason, SIGKILL included, and the child never outlives it.
 */
public final class ParentWatch {

    /** Time for shutdown hooks (a broker's clean shutdown) before the JVM is halted regardless. */
    private static final long GRACE_MILLIS = 15_000;

    private ParentWatch() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: ParentWatch <main class> [args...]");
        }
        watch(System.in);
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void watch(InputStream parentPipe) {
        Thread watcher = new Thread(() -> {
            drain(parentPipe);
            exitSoon();
        }, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void drain(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // the parent never writes; anything it might send is ignored
            }
        } catch (IOException e) {
            // a broken pipe means the same as end-of-file: the parent is gone
        }
    }

    private static void exitSoon() {
        System.err.println("parent-watch: stdin closed (parent stopping or gone), exiting");
        Thread halter = new Thread(() -> {
            try {
                Thread.sleep(GRACE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(2);
        }, "parent-watch-halt");
        halter.setDaemon(true);
        halter.start();
        System.exit(1);
    }
}
