package org.fieldstream.sink;

import java.nio.file.Path;
import java.util.Map;

import org.fieldstream.clickhouse.Sql;
import org.fieldstream.events.KafkaAccess;
import org.fieldstream.events.Settings;
import org.fieldstream.events.TopicSetup;

/**
 * Settings of the sink: defaults, then an optional properties file ({@code --config FILE} or
 * {@code FIELDSTREAM_CONFIG}), then {@code FIELDSTREAM_*} environment variables (key upper cased,
 * '.' turned into '_': {@code clickhouse.url} is {@code FIELDSTREAM_CLICKHOUSE_URL}).
 */
public record SinkSettings(String bootstrapServers, String topicPrefix, String groupId, String clickHouseUrl,
                           String clickHouseUser, String clickHousePassword, String database, int batchRows,
                           long batchMillis, long backoffMaxMillis, long statsIntervalMillis, long sessionTimeoutMillis,
                           Map<String, String> topicLayout, Map<String, Object> kafkaClients) {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String TOPIC_PREFIX = "topic.prefix";
    public static final String GROUP_ID = "sink.group.id";
    public static final String CLICKHOUSE_URL = "clickhouse.url";
    public static final String CLICKHOUSE_USER = "clickhouse.user";
    public static final String CLICKHOUSE_PASSWORD = "clickhouse.password";
    public static final String CLICKHOUSE_DATABASE = "clickhouse.database";
    public static final String BATCH_ROWS = "sink.batch.rows";
    public static final String BATCH_MS = "sink.batch.ms";
    public static final String BACKOFF_MAX_MS = "sink.backoff.max.ms";
    public static final String STATS_INTERVAL_MS = "sink.stats.interval.ms";
    /** How long the group waits for a vanished (killed) sink before handing its partitions over. */
    public static final String SESSION_TIMEOUT_MS = "sink.session.timeout.ms";

    /** Every key with its default value (immutable). */
    public static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry(BOOTSTRAP_SERVERS, "127.0.0.1:9092"),
            Map.entry(TOPIC_PREFIX, ""),
            Map.entry(GROUP_ID, "fieldstream-sink"),
            Map.entry(CLICKHOUSE_URL, "http://127.0.0.1:8123"),
            Map.entry(CLICKHOUSE_USER, "default"),
            Map.entry(CLICKHOUSE_PASSWORD, ""),
            Map.entry(CLICKHOUSE_DATABASE, "fieldstream"),
            Map.entry(BATCH_ROWS, "50000"),
            Map.entry(BATCH_MS, "250"),
            Map.entry(BACKOFF_MAX_MS, "5000"),
            Map.entry(STATS_INTERVAL_MS, "10000"),
            Map.entry(SESSION_TIMEOUT_MS, "45000"));

    public SinkSettings {
        Sql.identifier(database);
    }

    /** Loads defaults, then {@code configFile} (or FIELDSTREAM_CONFIG when null), then the environment. */
    public static SinkSettings load(Path configFile, Map<String, String> environment) {
        return of(Settings.load(DEFAULTS, configFile, environment, TopicSetup.LAYOUT_KEYS));
    }

    /** Settings from complete values (no file, no environment). */
    public static SinkSettings of(Map<String, String> values) {
        return new SinkSettings(
                Settings.required(values, BOOTSTRAP_SERVERS),
                values.getOrDefault(TOPIC_PREFIX, ""),
                Settings.required(values, GROUP_ID),
                Settings.required(values, CLICKHOUSE_URL),
                Settings.required(values, CLICKHOUSE_USER),
                values.getOrDefault(CLICKHOUSE_PASSWORD, ""),
                Settings.required(values, CLICKHOUSE_DATABASE),
                Settings.intWithin(values, BATCH_ROWS, 1, Integer.MAX_VALUE),
                positive(values, BATCH_MS),
                positive(values, BACKOFF_MAX_MS),
                positive(values, STATS_INTERVAL_MS),
                positive(values, SESSION_TIMEOUT_MS),
                Settings.only(values, TopicSetup.LAYOUT_KEYS),
                KafkaAccess.clients(values));
    }

    public static String envName(String key) {
        return Settings.envName(key);
    }

    /** Loop options: backoff starts at 100 ms (or the cap, if lower) and doubles up to the cap. */
    public SinkLoop.Options loopOptions() {
        return new SinkLoop.Options(batchRows, batchMillis, Math.min(100, backoffMaxMillis), backoffMaxMillis, statsIntervalMillis);
    }

    @Override
    public String toString() {
        // never print the password nor the Kafka client settings (they may hold one)
        return "SinkSettings[bootstrapServers=" + bootstrapServers + ", topicPrefix=" + topicPrefix + ", groupId=" + groupId
                + ", clickHouseUrl=" + clickHouseUrl + ", clickHouseUser=" + clickHouseUser + ", database=" + database
                + ", batchRows=" + batchRows + ", batchMillis=" + batchMillis + ", backoffMaxMillis=" + backoffMaxMillis + "]";
    }

    private static long positive(Map<String, String> values, String key) {
        return Settings.longWithin(values, key, 1, Long.MAX_VALUE);
    }
}
