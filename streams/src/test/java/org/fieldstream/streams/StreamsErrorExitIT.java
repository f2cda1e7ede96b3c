package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndFailExceptionHandler;
import org.fieldstream.events.StageExit;
import org.fieldstream.platform.ChildJvm;
import org.junit.jupiter.api.Test;

/**
 * Streams that reach ERROR do not look alive: the process exits with {@link StageExit#STREAMS_ERROR}.
 * The trigger: the deserialization handler set to fail (through the {@code streams.config.}
 * pass-through) and one undecodable event, so the stream thread dies with a StreamsException.
 */
class StreamsErrorExitIT {

    @Test
    void streamsProcessExitsNonZeroWhenAStreamThreadFails() throws Exception {
        ItKafka kafka = new ItKafka(1);
        Path dir = Path.of("target", "it-error-exit", kafka.id).toAbsolutePath();
        Files.createDirectories(dir);
        Path config = dir.resolve("streams.properties");
        Files.writeString(config, String.join("\n",
                "bootstrap.servers=" + kafka.bootstrap,
                "streams.application.id=" + kafka.id,
                "topic.prefix=" + kafka.topics.prefix(),
                "streams.state.dir=" + dir.resolve("state"),
                StreamsSettings.PASSTHROUGH_PREFIX + StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG + "="
                        + LogAndFailExceptionHandler.class.getName(), ""));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(kafka.topics.events.name(), "c1".getBytes(StandardCharsets.UTF_8),
                    "not an Avro event".getBytes(StandardCharsets.UTF_8))).get();
        }
        ChildJvm streams = ChildJvm.start("streams-error-exit", StreamsMain.class.getName(), List.of("-Xmx256m"),
                List.of("--config", config.toString()), dir.resolve("streams.log"));
        int exit = streams.waitFor(Duration.ofSeconds(120));
        String log = streams.logTail(300);
        assertEquals(StageExit.STREAMS_ERROR, exit, log);
        assertTrue(log.contains("stream thread failed, stopping streams"), log);
    }
}
