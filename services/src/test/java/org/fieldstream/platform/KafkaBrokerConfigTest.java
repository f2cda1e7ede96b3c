package org.fieldstream.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaBrokerConfigTest {

    private final KafkaBrokerConfig config = new KafkaBrokerConfig(19092, 19093, Path.of("/tmp/k/logs"));

    @Test
    void singleNodeKraftOnLoopback() throws Exception {
        Properties p = load(config.render());

        assertEquals("broker,controller", p.getProperty("process.roles"));
        assertEquals("1@127.0.0.1:19093", p.getProperty("controller.quorum.voters"));
        assertEquals("PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093", p.getProperty("listeners"));
        assertEquals("CONTROLLER", p.getProperty("controller.listener.names"));
        assertEquals("/tmp/k/logs", p.getProperty("log.dirs"));
        assertEquals("127.0.0.1:19092", config.bootstrapServers());
    }

    @Test
    void withAnInterBrokerUserClientsAndBrokersAuthenticateWithScram() throws Exception {
        KafkaBrokerConfig sasl = new KafkaBrokerConfig(19092, 19093, Path.of("/tmp/k/logs"), new ScramUser("broker", "b-pass_1"));
        Properties p = load(sasl.render());

        assertEquals("SASL_PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093", p.getProperty("listeners"));
        assertEquals("SASL_PLAINTEXT://127.0.0.1:19092", p.getProperty("advertised.listeners"));
        assertEquals("SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT", p.getProperty("listener.security.protocol.map"));
        assertEquals("SASL_PLAINTEXT", p.getProperty("inter.broker.listener.name"));
        assertEquals("SCRAM-SHA-256", p.getProperty("sasl.enabled.mechanisms"));
        assertEquals("SCRAM-SHA-256", p.getProperty("sasl.mechanism.inter.broker.protocol"));
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"broker\" password=\"b-pass_1\";",
                p.getProperty("listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config"));
        assertEquals("PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093", load(sasl.plaintext().render()).getProperty("listeners"));
        assertEquals(null, load(sasl.plaintext().render()).getProperty("sasl.enabled.mechanisms"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new ScramUser("a", "p\"w"));
        assertEquals("ScramUser[broker]", new ScramUser("broker", "secret").toString(), "never the password");
    }

    @Test
    void transactionsWorkWithOneReplica() throws Exception {
        Properties p = load(config.render());

        assertEquals("1", p.getProperty("offsets.topic.replication.factor"));
        assertEquals("1", p.getProperty("transaction.state.log.replication.factor"));
        assertEquals("1", p.getProperty("transaction.state.log.min.isr"));
        assertEquals("1", p.getProperty("min.insync.replicas"));
    }

    @Test
    void topicsAreCreatedOnPurposeOnly() throws Exception {
        Properties p = load(config.render());

        assertEquals("false", p.getProperty("auto.create.topics.enable"));
        assertEquals("3", p.getProperty("num.partitions"));
        assertEquals("0", p.getProperty("group.initial.rebalance.delay.ms"));
    }

    @Test
    void brokerDefaultsDeleteNothing() throws Exception {
        Properties p = load(config.render());

        assertEquals("-1", p.getProperty("log.retention.ms"));
        assertEquals("-1", p.getProperty("log.retention.bytes"));
        assertEquals(null, p.getProperty("log.retention.hours"), "log.retention.ms wins over hours; no second, finite value");
        assertEquals(null, p.getProperty("log.retention.minutes"));
    }

    @Test
    void overridesReplaceDefaultsAndAddKeys() throws Exception {
        Properties p = load(config.render(Map.of("num.partitions", "12", "log.flush.interval.messages", "1")));

        assertEquals("12", p.getProperty("num.partitions"));
        assertEquals("1", p.getProperty("log.flush.interval.messages"));
        assertEquals("broker,controller", p.getProperty("process.roles"));
    }

    @Test
    void brokerLogsWarningsToItsFile() {
        String log4j = KafkaBrokerConfig.log4j2(Path.of("/tmp/k/broker.log"));

        assertTrue(log4j.contains("appender.file.fileName = /tmp/k/broker.log"), log4j);
        assertTrue(log4j.contains("rootLogger.level = warn"), log4j);
        assertTrue(log4j.contains("%d] %p %m (%c)%n"), log4j);
    }

    private static Properties load(String text) throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(text));
        return p;
    }
}
