package org.fieldstream.platform;

/** A ClickHouse server reachable over HTTP and the native protocol on loopback (or a container host). */
public interface ClickHouseService extends AutoCloseable {

    String host();

    int httpPort();

    int tcpPort();

    /** {@code http://<host>:<httpPort>}, no trailing slash. */
    default String httpUrl() {
        return "http://" + host() + ":" + httpPort();
    }

    /** Stops the server process, keeping its data and ports, so a test can simulate an outage. */
    void stop();

    /** Starts it again on the same ports and data; returns once it answers. */
    void start();

    @Override
    void close();
}
