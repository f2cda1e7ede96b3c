package org.fieldstream.platform;

import java.time.Duration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * ClickHouse in Docker for machines that have an engine. Host ports are fixed at creation, so
 * {@link #stop()} and {@link #start()} (docker stop / docker start) keep them, like the local server.
 */
public final class ClickHouseContainerService implements ClickHouseService {

    public static final String IMAGE = "clickhouse/clickhouse-server:25.8";
    private static final int HTTP = 8123;
    private static final int TCP = 9000;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Container container;
    private final int httpPort;
    private final int tcpPort;

    private ClickHouseContainerService(Container container, int httpPort, int tcpPort) {
        this.container = container;
        this.httpPort = httpPort;
        this.tcpPort = tcpPort;
    }

    public static ClickHouseContainerService launch() {
        int[] ports = Ports.free(2);
        int httpPort = ports[0];
        int tcpPort = ports[1];
        Container container = new Container(httpPort, tcpPort);
        container.start();
        return new ClickHouseContainerService(container, httpPort, tcpPort);
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int httpPort() {
        return httpPort;
    }

    @Override
    public int tcpPort() {
        return tcpPort;
    }

    @Override
    public void stop() {
        container.getDockerClient().stopContainerCmd(container.getContainerId()).exec();
    }

    @Override
    public void start() {
        container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
        if (!new ClickHouseHttp(httpUrl()).awaitPing(START_TIMEOUT)) {
            throw new IllegalStateException("ClickHouse container did not answer /ping within " + START_TIMEOUT
                    + "\n" + container.getLogs());
        }
    }

    @Override
    public void close() {
        container.stop();
    }

    /** GenericContainer with fixed host ports (its port-fixing method is protected). */
    private static final class Container extends GenericContainer<Container> {

        Container(int httpPort, int tcpPort) {
            super(DockerImageName.parse(IMAGE));
            addFixedExposedPort(httpPort, HTTP);
            addFixedExposedPort(tcpPort, TCP);
            // the default user with no password, reachable from the host, like the local server
            withEnv("CLICKHOUSE_SKIP_USER_SETUP", "1");
            waitingFor(Wait.forHttp("/ping").forPort(HTTP).forStatusCode(200).withStartupTimeout(START_TIMEOUT));
        }
    }
}
