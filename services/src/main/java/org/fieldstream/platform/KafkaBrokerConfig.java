package org.fieldstream.platform;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * server.properties of a KRaft node (broker and controller in one process) on which transactions and
 * exactly-once work: a single node, or node {@code nodeId} of a cluster whose controller quorum is
 * {@code voters} ({@code id@host:port,...}) and whose internal topics are replicated {@code replication}
 * times with {@code minInsync} in-sync replicas required. With an {@code interBroker} user, clients and
 * brokers authenticate with SCRAM-SHA-256 on a SASL_PLAINTEXT listener (the controller listener stays
 * PLAINTEXT on loopback); without one the listener is PLAINTEXT.
 */
record KafkaBrokerConfig(int nodeId, int port, int controllerPort, Path logDir, String voters, int replication, int minInsync,
                         ScramUser interBroker) {

    static final String CONTROLLER = "CONTROLLER";
    static final String SASL_LISTENER = "SASL_PLAINTEXT";

    KafkaBrokerConfig(int nodeId, int port, int controllerPort, Path logDir, String voters, int replication, int minInsync) {
        this(nodeId, port, controllerPort, logDir, voters, replication, minInsync, null);
    }

    /** A single-node broker: node 1, its own quorum, everything replicated once. */
    KafkaBrokerConfig(int port, int controllerPort, Path logDir) {
        this(port, controllerPort, logDir, null);
    }

    /** A single-node broker whose clients authenticate as SCRAM users when {@code interBroker} is given. */
    KafkaBrokerConfig(int port, int controllerPort, Path logDir, ScramUser interBroker) {
        this(1, port, controllerPort, logDir, "1@127.0.0.1:" + controllerPort, 1, 1, interBroker);
    }

    /** The same broker with a PLAINTEXT listener (to add SCRAM users to a broker that had none). */
    KafkaBrokerConfig plaintext() {
        return new KafkaBrokerConfig(nodeId, port, controllerPort, logDir, voters, replication, minInsync, null);
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(nodeId));
        p.put("controller.quorum.voters", voters);
        String listener = interBroker == null ? "PLAINTEXT" : SASL_LISTENER;
        p.put("listeners", listener + "://127.0.0.1:" + port + "," + CONTROLLER + "://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", listener + "://127.0.0.1:" + port);
        p.put("listener.security.protocol.map", listener + ":" + listener + "," + CONTROLLER + ":PLAINTEXT");
        p.put("controller.listener.names", CONTROLLER);
        p.put("inter.broker.listener.name", listener);
        if (interBroker != null) {
            p.put("sasl.enabled.mechanisms", ScramUser.MECHANISM);
            p.put("sasl.mechanism.inter.broker.protocol", ScramUser.MECHANISM);
            p.put("listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config", interBroker.jaasConfig());
        }
        p.put("log.dirs", logDir.toAbsolutePath().toString());
        // internal topics replicated as the cluster allows (one broker: 1, else transactional producers
        // and exactly_once_v2 cannot start); a write needs minInsync replicas
        String rf = Integer.toString(replication);
        String isr = Integer.toString(minInsync);
        p.put("offsets.topic.replication.factor", rf);
        p.put("transaction.state.log.replication.factor", rf);
        p.put("transaction.state.log.min.isr", isr);
        p.put("share.coordinator.state.topic.replication.factor", rf);
        p.put("share.coordinator.state.topic.min.isr", isr);
        // the pipeline's topics (and the streams' internal ones) carry their own layout; the broker
        // defaults stay at one, so a topic created without a layout shows as unreplicated
        p.put("min.insync.replicas", "1");
        p.put("default.replication.factor", "1");
        // fewer internal partitions: the first consumer group and transaction start much faster on 2 cores
        p.put("offsets.topic.num.partitions", "10");
        p.put("transaction.state.log.num.partitions", "10");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "3");
        p.put("auto.create.topics.enable", "false");
        p.put("delete.topic.enable", "true");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("num.recovery.threads.per.data.dir", "1");
        // the event log is the source of truth: a topic created without its own retention keeps every record too
        p.put("log.retention.ms", "-1");
        p.put("log.retention.bytes", "-1");
        p.put("log.segment.bytes", String.valueOf(256 * 1024 * 1024));
        return p;
    }

    String render() {
        return render(Map.of());
    }

    String render(Map<String, String> overrides) {
        Map<String, String> properties = properties();
        properties.putAll(overrides);
        return properties.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().replace("\\", "\\\\"))
                .collect(Collectors.joining("\n", "# written by FieldStream LocalKafka\n", "\n"));
    }

    /** Broker logging: warnings and errors to a file in the work dir, nothing to the console. */
    static String log4j2(Path logFile) {
        String file = logFile.toAbsolutePath().toString().replace("\\", "/");
        return """
                status = warn
                appender.file.type = File
                appender.file.name = file
                appender.file.fileName = %s
                appender.file.layout.type = PatternLayout
                appender.file.layout.pattern = [%%d] %%p %%m (%%c)%%n
                rootLogger.level = warn
                rootLogger.appenderRef.file.ref = file
                """.formatted(file);
    }
}
