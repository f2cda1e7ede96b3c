package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;
import org.fieldstream.events.SettingKeys;
import org.fieldstream.events.Settings;
import org.fieldstream.events.TopicSetup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamsSettingsTest {

    @Test
    void defaultsThenFileThenEnvironment(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("streams.properties");
        Files.writeString(file, "bootstrap.servers=file:9092\nstreams.num.threads=2\nstreams.commit.interval.ms=50\nstreams.config.consumer.session.timeout.ms=7000\n");
        StreamsSettings s = StreamsSettings.load(file, Map.of("FIELDSTREAM_STREAMS_NUM_THREADS", "3",
                "FIELDSTREAM_TOPIC_PREFIX", "x."));
        assertEquals("file:9092", s.bootstrapServers());
        assertEquals(3, s.numThreads());
        assertEquals(Duration.ofMillis(50), s.commitInterval());
        assertEquals("x.fieldstream.events", s.topics().events.name());
        assertEquals(Path.of("./var/streams-state"), s.stateDir());
        assertEquals("fieldstream-streams", s.applicationId());
        assertEquals(Map.of(), s.topicLayout(), "the cluster decides the layout");
        assertEquals("0", s.streamsProperties().get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG));
        assertEquals("7000", s.streamsProperties().get("consumer.session.timeout.ms"));
    }

    @Test
    void theKafkaApplicationIdCarriesTheStateFormat() {
        StreamsSettings s = StreamsSettings.load(null, Map.of("FIELDSTREAM_BOOTSTRAP_SERVERS", "h:1",
                "FIELDSTREAM_STREAMS_APPLICATION_ID", "app", "FIELDSTREAM_TOPIC_PARTITIONS", "12"));
        assertEquals("app-state" + Compact.FORMAT, s.kafkaApplicationId());
        assertEquals(s.kafkaApplicationId(), s.streamsProperties().get(StreamsConfig.APPLICATION_ID_CONFIG));
        assertEquals(Map.of("topic.partitions", "12"), s.topicLayout());
    }

    @Test
    void aReplayOfAPartialLogIsRefusedUnlessAllowed() {
        Map<String, String> env = Map.of("FIELDSTREAM_BOOTSTRAP_SERVERS", "h:1");
        assertEquals(false, StreamsSettings.load(null, env).partialLogReplay());
        assertEquals(true, StreamsSettings.load(null, Map.of("FIELDSTREAM_BOOTSTRAP_SERVERS", "h:1",
                "FIELDSTREAM_STREAMS_REPLAY_PARTIAL_LOG", "Allow")).partialLogReplay());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> StreamsSettings.load(null, Map.of(
                "FIELDSTREAM_BOOTSTRAP_SERVERS", "h:1", "FIELDSTREAM_STREAMS_REPLAY_PARTIAL_LOG", "yes")));
        assertTrue(e.getMessage().contains("streams.replay.partial-log") && e.getMessage().contains("refuse or allow"), e.getMessage());
        assertEquals(Map.of("topic.retention.check", "warn"), StreamsSettings.load(null, Map.of("FIELDSTREAM_BOOTSTRAP_SERVERS", "h:1",
                "FIELDSTREAM_TOPIC_RETENTION_CHECK", "warn")).topicLayout(), "the retention check reaches TopicSetup");
    }

    @Test
    void bootstrapServersHaveTheDefaultEveryStageShares() {
        assertEquals(SettingKeys.BOOTSTRAP_SERVERS.defaultValue(), StreamsSettings.load(null, Map.of()).bootstrapServers());
        assertEquals("127.0.0.1:9092", SettingKeys.BOOTSTRAP_SERVERS.defaultValue());
    }

    @Test
    void failsNamingTheBlankKeyAndItsSource(@TempDir Path dir) throws Exception {
        Settings.Invalid e = assertThrows(Settings.Invalid.class, () -> StreamsSettings.load(null, Map.of("FIELDSTREAM_BOOTSTRAP_SERVERS", " ")));
        assertEquals("missing setting bootstrap.servers (FIELDSTREAM_BOOTSTRAP_SERVERS)", e.getMessage());
        Path file = Files.writeString(dir.resolve("s.properties"), "streams.num.threads=many\n");
        e = assertThrows(Settings.Invalid.class, () -> StreamsSettings.load(file, Map.of()));
        assertEquals("setting streams.num.threads (in " + file + ") must be a whole number, not many", e.getMessage());
    }

    @Test
    void streamsConfigIsExactlyOnceWithBoundedRocksDb() {
        Properties p = StreamsSettings.load(null, Map.of("FIELDSTREAM_BOOTSTRAP_SERVERS", "h:1",
                "FIELDSTREAM_STREAMS_ROCKSDB_CACHE_BYTES", "1048576")).streamsProperties();
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals(BoundedRocksDbConfig.class.getName(), p.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG));
        assertEquals("1048576", p.get(BoundedRocksDbConfig.CACHE_BYTES));
        // by default under the working directory, not Kafka Streams' own default in the OS temp dir
        assertEquals(Path.of("var", "streams-state").toAbsolutePath().normalize(),
                Path.of(p.getProperty(StreamsConfig.STATE_DIR_CONFIG)).normalize());
    }

    @Test
    void internalTopicsFollowTheLayoutAndStandbysTheSetting() {
        StreamsSettings s = StreamsSettings.load(null, Map.of("FIELDSTREAM_BOOTSTRAP_SERVERS", "h:1",
                "FIELDSTREAM_STREAMS_NUM_STANDBY_REPLICAS", "1"));
        Properties p = s.streamsProperties(new TopicSetup.Layout(6, (short) 3, 2));
        assertEquals("1", p.get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG));
        assertEquals("3", p.get(StreamsConfig.REPLICATION_FACTOR_CONFIG));
        assertEquals("2", p.get(StreamsConfig.topicPrefix("min.insync.replicas")));
        Properties fixed = StreamsSettings.load(null, Map.of("FIELDSTREAM_BOOTSTRAP_SERVERS", "h:1",
                "FIELDSTREAM_STREAMS_REPLICATION_FACTOR", "2")).streamsProperties(new TopicSetup.Layout(6, (short) 3, 2));
        assertEquals("2", fixed.get(StreamsConfig.REPLICATION_FACTOR_CONFIG), "an explicit replication factor wins");
    }
}
