package org.fieldstream.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class KafkaAccessTest {

    @Test
    void bootstrapAndEveryKafkaSettingWithoutItsPrefix() {
        Map<String, Object> clients = KafkaAccess.clients(Map.of(
                "bootstrap.servers", " broker:9093 ",
                "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.mechanism", "SCRAM-SHA-512",
                "kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";",
                "kafka.ssl.truststore.location", "/etc/truststore.jks",
                "streams.config.consumer.session.timeout.ms", "10000",
                "clickhouse.password", "not for Kafka",
                "kafka.", "empty key"));
        assertEquals(Map.of("bootstrap.servers", "broker:9093",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";",
                "ssl.truststore.location", "/etc/truststore.jks"), clients);
    }

    @Test
    void noBootstrapServersIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KafkaAccess.clients(Map.of("kafka.sasl.mechanism", "PLAIN")));
        assertTrue(e.getMessage().contains("bootstrap.servers") && e.getMessage().contains("FIELDSTREAM_BOOTSTRAP_SERVERS"), e.getMessage());
    }

    @Test
    void aClientAddsItsOwnSettings() {
        Map<String, Object> clients = KafkaAccess.clients(Map.of("bootstrap.servers", "b:1", "kafka.security.protocol", "SASL_PLAINTEXT"));
        assertEquals(Map.of("bootstrap.servers", "b:1", "security.protocol", "SASL_PLAINTEXT", "acks", "all"),
                KafkaAccess.with(clients, Map.of("acks", "all")));
        assertEquals("SASL_PLAINTEXT", KafkaAccess.properties(clients).get("security.protocol"));
    }
}
