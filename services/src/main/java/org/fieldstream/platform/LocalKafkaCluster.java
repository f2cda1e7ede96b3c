package org.fieldstream.platform;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real KRaft cluster of {@code n} nodes on loopback, each node a broker and a controller in its own
 * child JVM (dying with this one), from the same jars as {@link LocalKafka}. Internal topics are
 * replicated three times (or {@code n}) with two in-sync replicas required, as on a production
 * cluster, so exactly-once, rebalances and fencing behave as there. A node can be killed (SIGKILL)
 * and restarted on its ports and data, for fault tests.
 */
public final class LocalKafkaCluster implements KafkaService {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaCluster.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final Path workDir;
    private final List<KafkaBrokerConfig> configs;
    private final ChildJvm[] nodes;

    private LocalKafkaCluster(Path workDir, List<KafkaBrokerConfig> configs) {
        this.workDir = workDir;
        this.configs = configs;
        this.nodes = new ChildJvm[configs.size()];
    }

    /** Formats {@code size} nodes under {@code workDir}, starts them and returns once all are in the cluster. */
    public static LocalKafkaCluster start(Path workDir, int size) {
        long started = System.nanoTime();
        Path dir = LocalKafka.createDirectories(workDir.toAbsolutePath());
        int[] ports = Ports.free(2 * size);
        String voters = java.util.stream.IntStream.range(0, size)
                .mapToObj(i -> (i + 1) + "@127.0.0.1:" + ports[2 * i + 1]).collect(Collectors.joining(","));
        int replication = Math.min(3, size);
        int minInsync = replication >= 3 ? 2 : 1;
        List<KafkaBrokerConfig> configs = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            configs.add(new KafkaBrokerConfig(i + 1, ports[2 * i], ports[2 * i + 1], dir.resolve("node-" + (i + 1) + "/kraft-logs"),
                    voters, replication, minInsync));
        }
        LocalKafkaCluster cluster = new LocalKafkaCluster(dir, List.copyOf(configs));
        String clusterId = Uuid.randomUuid().toString();
        for (int i = 0; i < size; i++) {
            cluster.format(i, clusterId);
        }
        for (int i = 0; i < size; i++) {
            cluster.launch(i);
        }
        try {
            cluster.awaitBrokers(size);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        LOG.info("Kafka cluster of {} nodes at {} ready after {} ms (work dir {})", size, cluster.bootstrapServers(),
                (System.nanoTime() - started) / 1_000_000, dir);
        return cluster;
    }

    private Path nodeDir(int index) {
        return LocalKafka.createDirectories(workDir.resolve("node-" + (index + 1)));
    }

    private void format(int index, String clusterId) {
        Path dir = nodeDir(index);
        Path properties = LocalKafka.write(dir.resolve("server.properties"), configs.get(index).render());
        Path log4j = LocalKafka.write(dir.resolve("log4j2.properties"), KafkaBrokerConfig.log4j2(dir.resolve("broker.log")));
        ChildJvm tool = ChildJvm.start("kafka-format-" + (index + 1), "kafka.tools.StorageTool",
                List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dlog4j2.configurationFile=" + log4j),
                List.of("format", "-t", clusterId, "-c", properties.toString()), dir.resolve("format.log"));
        int exit = tool.waitFor(Duration.ofSeconds(90));
        if (exit != 0) {
            throw new IllegalStateException("kafka storage format of node " + (index + 1) + " failed with exit code "
                    + exit + "\n" + tool.logTail(40));
        }
    }

    private void launch(int index) {
        Path dir = nodeDir(index);
        nodes[index] = ChildJvm.start("kafka-node-" + (index + 1), "kafka.Kafka",
                List.of("-Xms128m", "-Xmx384m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-Djava.awt.headless=true",
                        "-Dkafka.logs.dir=" + dir, "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"),
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"),
                List.of(dir.resolve("server.properties").toString()), dir.resolve("console.log"));
    }

    /** Waits until {@code expected} brokers are registered. */
    public void awaitBrokers(int expected) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500))) {
            while (true) {
                try {
                    if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() >= expected) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // not all up yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted waiting for the Kafka cluster", e);
                }
                if (System.nanoTime() > deadline) {
                    StringBuilder logs = new StringBuilder();
                    for (int i = 0; i < nodes.length; i++) {
                        logs.append("\n").append(LogTail.of(workDir.resolve("node-" + (i + 1) + "/broker.log"), 15));
                    }
                    throw new IllegalStateException("Kafka cluster has fewer than " + expected + " brokers after "
                            + START_TIMEOUT + logs);
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
    }

    /** Process ids of the nodes, for memory sampling. */
    public List<Long> pids() {
        return java.util.Arrays.stream(nodes).map(ChildJvm::pid).toList();
    }

    public int size() {
        return configs.size();
    }

    /** SIGKILL of node {@code nodeId} (1-based): no controlled shutdown, as when a machine dies. */
    public void kill(int nodeId) {
        nodes[nodeId - 1].kill();
        LOG.info("Kafka node {} killed", nodeId);
    }

    /** Starts node {@code nodeId} again on its ports and data, and waits until every node is back. */
    public void restart(int nodeId) {
        if (nodes[nodeId - 1].isAlive()) {
            throw new IllegalStateException("node " + nodeId + " is running");
        }
        launch(nodeId - 1);
        awaitBrokers(size());
    }

    public boolean isAlive(int nodeId) {
        return nodes[nodeId - 1].isAlive();
    }

    @Override
    public String bootstrapServers() {
        return configs.stream().map(KafkaBrokerConfig::bootstrapServers).collect(Collectors.joining(","));
    }

    @Override
    public void close() {
        for (ChildJvm node : nodes) {
            if (node != null) {
                node.stop();
            }
        }
        LOG.info("Kafka cluster at {} stopped", bootstrapServers());
    }
}
