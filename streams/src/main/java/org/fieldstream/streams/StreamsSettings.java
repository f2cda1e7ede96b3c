package org.fieldstream.streams;

import static org.fieldstream.events.SettingKeys.*;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.fieldstream.events.KafkaAccess;
import org.fieldstream.events.Setting;
import org.fieldstream.events.SettingKeys;
import org.fieldstream.events.Settings;
import org.fieldstream.events.TopicSetup;
import org.fieldstream.events.Topics;

/**
 * Settings of the streams application: defaults, then an optional properties file, then
 * {@code FIELDSTREAM_*} environment variables (key upper-cased, '.' and '-' as '_', e.g.
 * {@code bootstrap.servers} -> {@code FIELDSTREAM_BOOTSTRAP_SERVERS}); keys and defaults in {@link SettingKeys}. Keys of the file
 * starting with {@code streams.config.} go to the Kafka Streams configuration verbatim, e.g.
 * {@code streams.config.consumer.session.timeout.ms=10000}. Every {@code kafka.*} setting reaches all its
 * clients too ({@link KafkaAccess}).
 */
public record StreamsSettings(String bootstrapServers, String applicationId, Path stateDir, String topicPrefix,
                              long rocksDbCacheBytes, long rocksDbWriteBufferBytes, long storeCacheBytes,
                              Duration commitInterval, Duration punctuateInterval, int numThreads, int standbyReplicas,
                              int replicationFactor, Map<String, String> topicLayout, Map<String, String> passthrough,
                              boolean partialLogReplay, Map<String, Object> kafkaClients) {

    /** Keys of the file starting with this go to the Kafka Streams configuration verbatim. */
    public static final String PASSTHROUGH_PREFIX = STREAMS_CONFIG.prefix();

    /** The settings the streams application reads (declared in {@link SettingKeys}). */
    static final List<Setting> SETTINGS = List.of(BOOTSTRAP_SERVERS, TOPIC_PREFIX, TOPIC_PARTITIONS, TOPIC_REPLICATION_FACTOR,
            TOPIC_MIN_INSYNC_REPLICAS, TOPIC_RETENTION_CHECK, STREAMS_APPLICATION_ID, STREAMS_STATE_DIR, STREAMS_ROCKSDB_CACHE_BYTES,
            STREAMS_ROCKSDB_WRITE_BUFFER_BYTES, STREAMS_STORE_CACHE_BYTES, STREAMS_COMMIT_INTERVAL_MS, STREAMS_PUNCTUATE_INTERVAL_MS,
            STREAMS_NUM_THREADS, STREAMS_NUM_STANDBY_REPLICAS, STREAMS_REPLICATION_FACTOR, STREAMS_REPLAY_PARTIAL_LOG);

    /** Loads defaults, then {@code file} (or the one FIELDSTREAM_CONFIG names when null), then the environment. */
    public static StreamsSettings load(Path file, Map<String, String> environment) {
        return from(Settings.load(SETTINGS, file, environment));
    }

    static StreamsSettings from(Settings.Values v) {
        return new StreamsSettings(v.required(BOOTSTRAP_SERVERS), v.required(STREAMS_APPLICATION_ID),
                Path.of(v.required(STREAMS_STATE_DIR)), v.asMap().getOrDefault(TOPIC_PREFIX.key(), ""),
                v.longWithin(STREAMS_ROCKSDB_CACHE_BYTES, 0, Long.MAX_VALUE), v.longWithin(STREAMS_ROCKSDB_WRITE_BUFFER_BYTES, 0, Long.MAX_VALUE),
                v.longWithin(STREAMS_STORE_CACHE_BYTES, 0, Long.MAX_VALUE),
                Duration.ofMillis(v.longWithin(STREAMS_COMMIT_INTERVAL_MS, 0, Long.MAX_VALUE)),
                Duration.ofMillis(v.longWithin(STREAMS_PUNCTUATE_INTERVAL_MS, 1, Long.MAX_VALUE)),
                v.intWithin(STREAMS_NUM_THREADS, 1, Integer.MAX_VALUE), v.intWithin(STREAMS_NUM_STANDBY_REPLICAS, 0, Integer.MAX_VALUE),
                v.intWithin(STREAMS_REPLICATION_FACTOR, -1, Integer.MAX_VALUE), Settings.only(v.asMap(), TopicSetup.LAYOUT_KEYS),
                passthrough(v.asMap()), v.choice(STREAMS_REPLAY_PARTIAL_LOG, "refuse", "allow").equals("allow"),
                KafkaAccess.clients(v.asMap()));
    }

    private static Map<String, String> passthrough(Map<String, String> v) {
        Map<String, String> out = new LinkedHashMap<>();
        v.forEach((key, value) -> {
            if (key.startsWith(PASSTHROUGH_PREFIX)) {
                out.put(key.substring(PASSTHROUGH_PREFIX.length()), value);
            }
        });
        return Map.copyOf(out);
    }

    /**
     * The Kafka Streams application id: the configured one with the state format appended
     * ({@code fieldstream-streams-state5}). State stores and internal topics hold values in the
     * {@link Compact} layout of one format; a version with another layout runs as another
     * application (its own consumer group, state and internal topics) and rebuilds its state from the
     * event log, rewriting every metric row with higher versions. The previous application's internal
     * topics ({@code <old id>-*}) can then be deleted.
     */
    public String kafkaApplicationId() {
        return kafkaApplicationId(applicationId);
    }

    /** The Kafka Streams application id (and consumer group) of a configured application id. */
    public static String kafkaApplicationId(String applicationId) {
        return applicationId + "-state" + Compact.FORMAT;
    }

    public Topics topics() {
        return new Topics(topicPrefix);
    }

    /**
     * As {@link #streamsProperties()}, with the internal topics (changelogs, repartition topics) laid
     * out like the pipeline's own: the layout's replication factor (unless
     * {@code streams.replication.factor} names one) and min.insync.replicas.
     */
    public Properties streamsProperties(TopicSetup.Layout layout) {
        Properties p = streamsProperties();
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, Integer.toString(replicationFactor > 0 ? replicationFactor : layout.replication()));
        p.put(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), Integer.toString(layout.minInsyncReplicas()));
        p.putAll(passthrough);
        return p;
    }

    /** Kafka Streams configuration: exactly_once_v2, bounded RocksDB, the state directory, standby replicas. */
    public Properties streamsProperties() {
        Properties p = KafkaAccess.properties(kafkaClients);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, kafkaApplicationId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(commitInterval.toMillis()));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(numThreads));
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, Long.toString(storeCacheBytes));
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, Integer.toString(replicationFactor));
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, Integer.toString(standbyReplicas));
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbConfig.class.getName());
        p.put(BoundedRocksDbConfig.CACHE_BYTES, Long.toString(rocksDbCacheBytes));
        p.put(BoundedRocksDbConfig.WRITE_BUFFER_BYTES, Long.toString(rocksDbWriteBufferBytes));
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // An event that cannot be decoded never stops the pipeline: it is skipped, logged and sent to the
        // dead-letter topic (key, value and where it came from), where the sink counts it per topic
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class.getName());
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, new Topics(topicPrefix).deadLetters.name());
        p.putAll(passthrough);
        return p;
    }

    @Override
    public String toString() {
        // the Kafka client settings and pass-through keys may hold a password
        return "StreamsSettings[bootstrapServers=" + bootstrapServers + ", applicationId=" + applicationId + ", stateDir=" + stateDir
                + ", topicPrefix=" + topicPrefix + ", numThreads=" + numThreads + "]";
    }
}
