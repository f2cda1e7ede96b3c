package org.fieldstream.producers.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deadline for each request head: from a connection's accept, and again from the end of each
 * request, the next head must be complete within {@code http.header.timeout.ms}, or the connection
 * is closed. Jetty's idle timeout fires only on silence; this one also ends a head trickled a byte
 * at a time. The handler says when a head is complete ({@link #headComplete}) and when its request
 * ended ({@link #requestEnded}).
 */
final class HeadDeadline implements Connection.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(HeadDeadline.class);

    private final Scheduler scheduler;
    private final long millis;
    private final Map<Connection, Expiry> armed = new ConcurrentHashMap<>();

    HeadDeadline(Scheduler scheduler, long millis) {
        this.scheduler = scheduler;
        this.millis = millis;
    }

    @Override
    public void onOpened(Connection connection) {
        arm(connection);
    }

    @Override
    public void onClosed(Connection connection) {
        disarm(connection);
    }

    /** The connection's request head is complete: its body and answer have their own limits. */
    void headComplete(Connection connection) {
        disarm(connection);
    }

    /** The connection's request was answered: the next head has its own deadline. */
    void requestEnded(Connection connection) {
        if (connection.getEndPoint().isOpen()) {
            arm(connection);
        }
    }

    private void arm(Connection connection) {
        Expiry expiry = new Expiry(connection);
        Expiry before = armed.put(connection, expiry);
        if (before != null && before.task != null) {
            before.task.cancel();
        }
        expiry.task = scheduler.schedule(expiry, millis, TimeUnit.MILLISECONDS);
    }

    private void disarm(Connection connection) {
        Expiry expiry = armed.remove(connection);
        if (expiry != null && expiry.task != null) {
            expiry.task.cancel();
        }
    }

    /** Closes its connection unless the deadline was disarmed or armed anew meanwhile. */
    private final class Expiry implements Runnable {

        private final Connection connection;
        private volatile Scheduler.Task task;

        Expiry(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void run() {
            if (armed.remove(connection, this)) {
                LOG.debug("closing a connection whose request head took longer than {} ms", millis);
                connection.getEndPoint().close();
            }
        }
    }
}
