package org.fieldstream.sink;

import static org.fieldstream.events.SettingKeys.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.fieldstream.clickhouse.Sql;
import org.fieldstream.events.KafkaAccess;
import org.fieldstream.events.Setting;
import org.fieldstream.events.SettingKeys;
import org.fieldstream.events.Settings;
import org.fieldstream.events.TopicSetup;

/**
 * Settings of the sink: defaults, then an optional properties file ({@code --config FILE} or
 * {@code FIELDSTREAM_CONFIG}), then {@code FIELDSTREAM_*} environment variables (key upper cased,
 * '.' turned into '_': {@code clickhouse.url} is {@code FIELDSTREAM_CLICKHOUSE_URL}); keys and defaults
 * in {@link SettingKeys}.
 */
public record SinkSettings(String bootstrapServers, String topicPrefix, String groupId, String clickHouseUrl,
                           String clickHouseUser, String clickHousePassword, String database, int batchRows,
                           long batchMillis, long backoffMaxMillis, long statsIntervalMillis, long sessionTimeoutMillis,
                           Map<String, String> topicLayout, Map<String, Object> kafkaClients) {

    /** The settings the sink reads (declared in {@link SettingKeys}). */
    public static final List<Setting> SETTINGS = List.of(BOOTSTRAP_SERVERS, TOPIC_PREFIX, TOPIC_PARTITIONS, TOPIC_REPLICATION_FACTOR,
            TOPIC_MIN_INSYNC_REPLICAS, TOPIC_RETENTION_CHECK, SINK_GROUP_ID, CLICKHOUSE_URL, CLICKHOUSE_USER, CLICKHOUSE_PASSWORD,
            CLICKHOUSE_DATABASE, SINK_BATCH_ROWS, SINK_BATCH_MS, SINK_BACKOFF_MAX_MS, SINK_STATS_INTERVAL_MS, SINK_SESSION_TIMEOUT_MS);

    public SinkSettings {
        Sql.identifier(database);
    }

    /** Loads defaults, then {@code configFile} (or FIELDSTREAM_CONFIG when null), then the environment. */
    public static SinkSettings load(Path configFile, Map<String, String> environment) {
        return of(Settings.load(SETTINGS, configFile, environment));
    }

    /** Settings from the defaults with {@code values} over them (no file, no environment). */
    public static SinkSettings of(Map<String, String> values) {
        return of(Settings.Values.of(SettingKeys.defaults(SETTINGS)).with(values));
    }

    private static SinkSettings of(Settings.Values values) {
        return new SinkSettings(
                values.required(BOOTSTRAP_SERVERS),
                values.asMap().getOrDefault(TOPIC_PREFIX.key(), ""),
                values.required(SINK_GROUP_ID),
                values.required(CLICKHOUSE_URL),
                values.required(CLICKHOUSE_USER),
                values.asMap().getOrDefault(CLICKHOUSE_PASSWORD.key(), ""),
                values.required(CLICKHOUSE_DATABASE),
                values.intWithin(SINK_BATCH_ROWS, 1, Integer.MAX_VALUE),
                values.longWithin(SINK_BATCH_MS, 1, Long.MAX_VALUE),
                values.longWithin(SINK_BACKOFF_MAX_MS, 1, Long.MAX_VALUE),
                values.longWithin(SINK_STATS_INTERVAL_MS, 1, Long.MAX_VALUE),
                values.longWithin(SINK_SESSION_TIMEOUT_MS, 1, Long.MAX_VALUE),
                Settings.only(values.asMap(), TopicSetup.LAYOUT_KEYS),
                KafkaAccess.clients(values.asMap()));
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
}
