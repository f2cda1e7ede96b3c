package org.fieldstream.platform;

import java.time.Duration;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The official apache/kafka image as a single-node KRaft broker, for machines with a Docker engine.
 * The client port is fixed on the host before start, so the broker can advertise it directly.
 */
public final class KafkaContainerService implements KafkaService {

    public static final String IMAGE = "apache/kafka:4.3.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Container container;
    private final String bootstrapServers;

    private KafkaContainerService(Container container, String bootstrapServers) {
        this.container = container;
        this.bootstrapServers = bootstrapServers;
    }

    public static KafkaContainerService launch() {
        int port = Ports.free();
        String host = DockerClientFactory.instance().dockerHostIpAddress();
        Container container = new Container(host, port);
        container.start();
        return new KafkaContainerService(container, host + ":" + port);
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        container.stop();
    }

    /** Clients use EXTERNAL (the host port); the broker reaches itself over BROKER inside the container. */
    private static final class Container extends GenericContainer<Container> {

        Container(String host, int port) {
            super(DockerImageName.parse(IMAGE));
            addFixedExposedPort(port, port);
            withEnv("KAFKA_NODE_ID", "1");
            withEnv("KAFKA_PROCESS_ROLES", "broker,controller");
            withEnv("KAFKA_LISTENERS", "EXTERNAL://:" + port + ",BROKER://:29092,CONTROLLER://:29093");
            withEnv("KAFKA_ADVERTISED_LISTENERS", "EXTERNAL://" + host + ":" + port + ",BROKER://localhost:29092");
            withEnv("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "EXTERNAL:PLAINTEXT,BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT");
            withEnv("KAFKA_INTER_BROKER_LISTENER_NAME", "BROKER");
            withEnv("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER");
            withEnv("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@localhost:29093");
            withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1");
            withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1");
            withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1");
            withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1");
            withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1");
            withEnv("KAFKA_MIN_INSYNC_REPLICAS", "1");
            withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
            withEnv("KAFKA_NUM_PARTITIONS", "3");
            withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
            withEnv("KAFKA_LOG_RETENTION_MS", "-1");
            withEnv("KAFKA_LOG_RETENTION_BYTES", "-1");
            waitingFor(Wait.forLogMessage(".*Kafka Server started.*", 1).withStartupTimeout(START_TIMEOUT));
        }
    }
}
