package org.fieldstream.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three real KRaft nodes: topics replicated three times, a write acknowledged with one node killed, the node back. */
class LocalKafkaClusterIT {

    @TempDir
    Path work;

    @Test
    void threeNodesReplicateAndSurviveOneKilled() throws Exception {
        try (LocalKafkaCluster cluster = LocalKafkaCluster.start(work, 3);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            assertEquals(3, admin.describeCluster().nodes().get().size());
            admin.createTopics(List.of(new NewTopic("t", 3, (short) 3).configs(Map.of("min.insync.replicas", "2")))).all().get();
            TopicDescription described = admin.describeTopics(Set.of("t")).allTopicNames().get().get("t");
            described.partitions().forEach(p -> assertEquals(3, p.replicas().size()));

            cluster.kill(2);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 30; i++) {
                    producer.send(new ProducerRecord<>("t", "k" + i, "v")).get();
                }
            }
            cluster.restart(2);
            assertEquals(3, admin.describeCluster().nodes().get().size());
        }
    }
}
