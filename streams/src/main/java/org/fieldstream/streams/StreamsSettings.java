package org.fieldstream.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.fieldstream.events.KafkaAccess;
import org.fieldstream.events.Settings;
import org.fieldstream.events.TopicSetup;
import org.fieldstream.events.Topics;

/**
 * Settings of the streams application: defaults, then an optional properties file, then
 * {@code FIELDSTREAM_*} environment variables (key upper-cased, '.' and '-' as '_', e.g.
 * {@code kafka.bootstrap.servers} -> {@code FIELDSTREAM_BOOTSTRAP_SERVERS}). Keys of the file
 * starting with {@code streams.config.} go to the Kafka Streams configuration verbatim, e.g.
 * {@code streams.config.consumer.session.timeout.ms=10000}. Every {@code kafka.*} setting reaches all its
 * clients too ({@link KafkaAccess}).
 */
public record StreamsSettings(String bootstrapServers, String applicationId, Path stateDir, String topicPrefix,
                              long rocksDbCacheBytes, long rocksDbWriteBufferBytes, long storeCacheBytes,
                              Duration commitInterval, Duration punctuateInterval, int numThreads, int standbyReplicas,
                              int replicationFactor, Map<String, String> topicLayout, Map<String, String> passthrough,
                              boolean partialLogReplay, Map<String, Object> kafkaClients) {

    public static final String BOOTSTRAP = "bootstrap.servers";
    public static final String APPLICATION_ID = "streams.application.id";
    public static final String STATE_DIR = "streams.state.dir";
    public static final String TOPIC_PREFIX = "topic.prefix";
    public static final String ROCKSDB_CACHE = "streams.rocksdb.cache.bytes";
    public static final String ROCKSDB_WRITE_BUFFER = "streams.rocksdb.write.buffer.bytes";
    public static final String STORE_CACHE = "streams.store.cache.bytes";
    public static final String COMMIT_INTERVAL = "streams.commit.interval.ms";
    public static final String PUNCTUATE_INTERVAL = "streams.punctuate.interval.ms";
    public static final String NUM_THREADS = "streams.num.threads";
    /** Standby copies of each task's state on other instances (1 on a cluster: a killed instance's tasks resume without a full restore). */
    public static final String STANDBY_REPLICAS = "streams.num.standby.replicas";
    public static final String REPLICATION = "streams.replication.factor";
    public static final String PASSTHROUGH_PREFIX = "streams.config.";
    /**
     * {@code refuse} (default): an application with no committed position on the events topic (a replay)
     * does not start when the log has lost records; {@code allow}: it replays what remains.
     */
    public static final String REPLAY_PARTIAL_LOG = "streams.replay.partial-log";

    /** Defaults; bootstrap servers have none and must be given. */
    static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(APPLICATION_ID, "fieldstream-streams");
        d.put(STATE_DIR, "./var/streams-state");
        d.put(TOPIC_PREFIX, "");
        d.put(ROCKSDB_CACHE, Long.toString(128L << 20));
        d.put(ROCKSDB_WRITE_BUFFER, Long.toString(64L << 20));
        d.put(STORE_CACHE, Long.toString(64L << 20));
        d.put(COMMIT_INTERVAL, "200");
        d.put(PUNCTUATE_INTERVAL, "500");
        d.put(NUM_THREADS, "1");
        d.put(STANDBY_REPLICAS, "0");
        d.put(REPLICATION, "-1");
        d.put(REPLAY_PARTIAL_LOG, "refuse");
        return d;
    }

    /** Loads defaults, then {@code file} (or the one FIELDSTREAM_CONFIG names when null), then the environment. */
    public static StreamsSettings load(Path file, Map<String, String> environment) {
        return from(Settings.load(defaults(), file, environment, keys()));
    }

    /** The settings from the process environment and the file named by {@code args[0]} or FIELDSTREAM_CONFIG. */
    public static StreamsSettings fromArgs(String[] args) {
        return load(args.length > 0 ? Path.of(args[0]) : null, System.getenv());
    }

    static StreamsSettings from(Map<String, String> v) {
        return new StreamsSettings(Settings.required(v, BOOTSTRAP), Settings.required(v, APPLICATION_ID),
                Path.of(Settings.required(v, STATE_DIR)), v.getOrDefault(TOPIC_PREFIX, ""),
                Settings.longValue(v, ROCKSDB_CACHE), Settings.longValue(v, ROCKSDB_WRITE_BUFFER), Settings.longValue(v, STORE_CACHE),
                Duration.ofMillis(Settings.longValue(v, COMMIT_INTERVAL)), Duration.ofMillis(Settings.longValue(v, PUNCTUATE_INTERVAL)),
                Settings.intWithin(v, NUM_THREADS, 1, Integer.MAX_VALUE), Settings.intWithin(v, STANDBY_REPLICAS, 0, Integer.MAX_VALUE),
                Settings.intWithin(v, REPLICATION, -1, Integer.MAX_VALUE), Settings.only(v, TopicSetup.LAYOUT_KEYS), passthrough(v),
                partialLog(v),
                KafkaAccess.clients(v));
    }

    private static boolean partialLog(Map<String, String> v) {
        String value = Settings.required(v, REPLAY_PARTIAL_LOG).toLowerCase(Locale.ROOT);
        return switch (value) {
            case "allow" -> true;
            case "refuse" -> false;
            default -> throw new Settings.Invalid("setting " + REPLAY_PARTIAL_LOG + " (" + envName(REPLAY_PARTIAL_LOG)
                    + ") must be refuse or allow, not " + value);
        };
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

    static String envName(String key) {
        return Settings.envName(key);
    }

    static List<String> keys() {
        List<String> keys = new ArrayList<>(List.of(BOOTSTRAP, APPLICATION_ID, STATE_DIR, TOPIC_PREFIX, ROCKSDB_CACHE,
                ROCKSDB_WRITE_BUFFER, STORE_CACHE, COMMIT_INTERVAL, PUNCTUATE_INTERVAL, NUM_THREADS, STANDBY_REPLICAS, REPLICATION,
                REPLAY_PARTIAL_LOG));
        keys.addAll(TopicSetup.LAYOUT_KEYS);
        return keys;
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
