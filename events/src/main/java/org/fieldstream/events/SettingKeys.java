package org.fieldstream.events;

import static org.fieldstream.events.Setting.Type.CHOICE;
import static org.fieldstream.events.Setting.Type.FAMILY;
import static org.fieldstream.events.Setting.Type.FLAG;
import static org.fieldstream.events.Setting.Type.NUMBER;
import static org.fieldstream.events.Setting.Type.PATH;
import static org.fieldstream.events.Setting.Type.TEXT;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting of FieldStream, each declared once with its type, default and description. Stages
 * name the settings they read ({@link Settings#load(Collection, java.nio.file.Path, Map)}), so a key
 * shared by several stages ({@code bootstrap.servers}, {@code clickhouse.url}, ...) has one default.
 * The configuration table of {@code docs/operations.md} is checked against this list by a test.
 */
public final class SettingKeys {

    private static final List<Setting> ALL = new ArrayList<>();

    // Kafka and topics: every stage and command
    public static final Setting BOOTSTRAP_SERVERS = text("bootstrap.servers", "127.0.0.1:9092", "Kafka brokers");
    public static final Setting KAFKA_CLIENT = family("kafka.<client setting>",
            "a Kafka client setting (security.protocol, sasl.*, ssl.*, ...) applied to every Kafka client");
    public static final Setting TOPIC_PREFIX = text("topic.prefix", "", "prefix of every topic name");
    public static final Setting TOPIC_PARTITIONS = number("topic.partitions", null,
            "partitions of the events, rejected and metric topics a stage creates (unset: 3)");
    public static final Setting TOPIC_REPLICATION_FACTOR = number("topic.replication.factor", null,
            "replication of every topic a stage creates (unset: from the cluster)");
    public static final Setting TOPIC_MIN_INSYNC_REPLICAS = number("topic.min.insync.replicas", null,
            "min.insync.replicas of every topic a stage creates (unset: from the cluster)");
    public static final Setting TOPIC_RETENTION_CHECK = choice("topic.retention.check", null,
            "fix or warn: what a stage does at start when a log topic does not keep every record (unset: fix)");
    public static final Setting CREDENTIALS_FILE = path("credentials.file", null,
            "properties file of credentials layered over the settings file");

    // ingest and the push endpoint
    public static final Setting SECRETS_FILE = path("secrets.file", null, "properties file of per-program pseudonymisation secrets");
    public static final Setting PROGRAM_START_DATE = family("program.<id>.start_date", "a program's start, yyyy-MM-dd (settings file only)");
    public static final Setting PROGRAM_END_DATE = family("program.<id>.end_date", "a program's end, yyyy-MM-dd (settings file only)");
    public static final Setting PARTNER_PROGRAM = family("partner.<id>.program", "the program of a partner (settings file only)");
    public static final Setting DATE_TOLERANCE_DAYS = number("date.tolerance.days", "2", "days a row's date may lie in the future");
    public static final Setting KNOWN_MAX_ENTRIES = number("known.max.entries", "1000000", "aggregates remembered as known");
    public static final Setting KNOWN_PRELOAD = flag("known.preload", "true", "read the known aggregates from the event log at start");
    public static final Setting REFERENCE_PRELOAD = flag("reference.preload", "true", "read programs and partners from the reference topics");
    public static final Setting REFERENCES_UNKNOWN = choice("references.unknown", "accept",
            "accept or reject a row naming a cohort or dialogue not yet registered");
    public static final Setting ROW_MAX_BYTES = number("row.max.bytes", Integer.toString(64 * 1024), "longest row in bytes");
    public static final Setting PRODUCER_LINGER_MS = number("producer.linger.ms", "10", "Kafka producer linger");
    public static final Setting PRODUCER_BATCH_SIZE = number("producer.batch.size", Integer.toString(256 * 1024), "Kafka producer batch size");
    public static final Setting PRODUCER_COMPRESSION_TYPE = text("producer.compression.type", "lz4", "Kafka producer compression");
    public static final Setting DATA_DIR = path("data.dir", null, "folder whose disk ingest and the push endpoint watch");
    public static final Setting DISK_MIN_FREE_BYTES = number("disk.min.free.bytes", Long.toString(2L << 30), "free bytes below which new data is refused");
    public static final Setting DISK_MIN_FREE_PERCENT = number("disk.min.free.percent", "5", "free percent below which new data is refused");
    public static final Setting BROKER_ANSWER_TIMEOUT_MS = number("broker.answer.timeout.ms", "15000", "how long a command waits for Kafka's first answer");
    public static final Setting HTTP_BIND = text("http.bind", "127.0.0.1", "address of the push endpoint");
    public static final Setting HTTP_PORT = number("http.port", "8088", "port of the push endpoint");
    public static final Setting HTTP_TOKENS_FILE = path("http.tokens.file", null, "partner=sha256:<hex> lines of the push tokens");
    public static final Setting HTTP_MAX_BODY_BYTES = number("http.max.body.bytes", Integer.toString(16 * 1024 * 1024), "largest body");
    public static final Setting HTTP_MAX_BATCHES = number("http.max.batches", "16", "batches processed at once");
    public static final Setting HTTP_MAX_LARGE_BATCHES = number("http.max.large.batches", "2", "of those, large batches");
    public static final Setting HTTP_LARGE_BATCH_BYTES = number("http.large.batch.bytes", Integer.toString(1024 * 1024), "size from which a batch is large");
    public static final Setting HTTP_MAX_BATCHES_PER_PARTNER = number("http.max.batches.per.partner", "4", "batches one partner may have in progress");
    public static final Setting HTTP_HEADER_TIMEOUT_MS = number("http.header.timeout.ms", "10000", "time for a request head to be complete");
    public static final Setting HTTP_BODY_TIMEOUT_MS = number("http.body.timeout.ms", "60000", "time for a whole body to arrive");
    public static final Setting HTTP_MIN_BODY_BYTES_PER_SECOND = number("http.min.body.bytes.per.second", "1024", "slowest body accepted (0: no minimum)");
    public static final Setting HTTP_BODY_GRACE_MS = number("http.body.grace.ms", "3000", "how long a body may be slower at first");
    public static final Setting HTTP_MAX_CONNECTIONS = number("http.max.connections", "512", "connections accepted at once");
    public static final Setting HTTP_MAX_CONNECTIONS_PER_ADDRESS = number("http.max.connections.per.address", "64", "connections from one client address");
    public static final Setting HTTP_REPLY_REJECTIONS = number("http.reply.rejections", "100", "rejected rows listed in a reply");

    // streams
    public static final Setting STREAMS_APPLICATION_ID = text("streams.application.id", "fieldstream-streams", "Kafka Streams application id");
    public static final Setting STREAMS_STATE_DIR = path("streams.state.dir", "./var/streams-state", "state directory");
    public static final Setting STREAMS_NUM_THREADS = number("streams.num.threads", "1", "stream threads of one instance");
    public static final Setting STREAMS_NUM_STANDBY_REPLICAS = number("streams.num.standby.replicas", "0", "warm copies of each task's state");
    public static final Setting STREAMS_REPLICATION_FACTOR = number("streams.replication.factor", "-1",
            "replication of the internal topics (-1: the topic layout's)");
    public static final Setting STREAMS_ROCKSDB_CACHE_BYTES = number("streams.rocksdb.cache.bytes", Long.toString(128L << 20), "RocksDB block cache, shared");
    public static final Setting STREAMS_ROCKSDB_WRITE_BUFFER_BYTES = number("streams.rocksdb.write.buffer.bytes", Long.toString(64L << 20), "RocksDB write buffers, shared");
    public static final Setting STREAMS_STORE_CACHE_BYTES = number("streams.store.cache.bytes", Long.toString(64L << 20), "Kafka Streams record cache");
    public static final Setting STREAMS_COMMIT_INTERVAL_MS = number("streams.commit.interval.ms", "200", "commit interval");
    public static final Setting STREAMS_PUNCTUATE_INTERVAL_MS = number("streams.punctuate.interval.ms", "500", "interval at which changed rows are written");
    public static final Setting STREAMS_REPLAY_PARTIAL_LOG = choice("streams.replay.partial-log", "refuse",
            "refuse or allow a replay of an event log that has lost records");
    public static final Setting STREAMS_CONFIG = family("streams.config.<Kafka Streams setting>", "passed to Kafka Streams as it is");

    // sink, reports, dashboard
    public static final Setting SINK_GROUP_ID = text("sink.group.id", "fieldstream-sink", "sink consumer group");
    public static final Setting SINK_BATCH_ROWS = number("sink.batch.rows", "50000", "rows of a batch at most");
    public static final Setting SINK_BATCH_MS = number("sink.batch.ms", "250", "time a batch collects rows at most");
    public static final Setting SINK_BACKOFF_MAX_MS = number("sink.backoff.max.ms", "5000", "longest pause between retries");
    public static final Setting SINK_STATS_INTERVAL_MS = number("sink.stats.interval.ms", "10000", "interval of the sink's statistics log line");
    public static final Setting SINK_SESSION_TIMEOUT_MS = number("sink.session.timeout.ms", "45000",
            "how long the group waits for a vanished sink before handing its partitions over");
    public static final Setting CLICKHOUSE_URL = text("clickhouse.url", "http://127.0.0.1:8123", "ClickHouse HTTP endpoint");
    public static final Setting CLICKHOUSE_USER = text("clickhouse.user", "default", "ClickHouse user");
    public static final Setting CLICKHOUSE_PASSWORD = text("clickhouse.password", "", "ClickHouse password");
    public static final Setting CLICKHOUSE_READER_USER = text("clickhouse.reader.user", null,
            "ClickHouse user of the reports, the dashboard and status (unset: clickhouse.user)");
    public static final Setting CLICKHOUSE_READER_PASSWORD = text("clickhouse.reader.password", null,
            "password of clickhouse.reader.user");
    public static final Setting CLICKHOUSE_ADMIN_USER = text("clickhouse.admin.user", null,
            "ClickHouse user that manages analysts' scope databases (unset: clickhouse.user)");
    public static final Setting CLICKHOUSE_ADMIN_PASSWORD = text("clickhouse.admin.password", null,
            "password of clickhouse.admin.user");
    public static final Setting CLICKHOUSE_DATABASE = text("clickhouse.database", "fieldstream", "database of tables and views");
    public static final Setting DASHBOARD_BIND = text("dashboard.bind", "127.0.0.1", "address of the dashboard");
    public static final Setting DASHBOARD_PORT = number("dashboard.port", "8089", "port of the dashboard");
    public static final Setting DASHBOARD_REFRESH_SECONDS = number("dashboard.refresh.seconds", "30", "how often the dashboard page reloads");
    public static final Setting DASHBOARD_LOGIN = choice("dashboard.login", "analysts",
            "analysts (each analyst logs in with their ClickHouse account and reads their scope) or open (no login, loopback only)");
    public static final Setting DASHBOARD_SESSION_IDLE_SECONDS = number("dashboard.session.idle.seconds", "1800",
            "a dashboard session ends after this long without a request");
    public static final Setting DASHBOARD_SESSION_LIFETIME_SECONDS = number("dashboard.session.lifetime.seconds", "43200",
            "a dashboard session ends this long after its login, however active");

    // the local stack
    public static final Setting LOG_MAX_BYTES = number("log.max.bytes", Long.toString(10L << 20), "size at which a process's log file is rotated");
    public static final Setting LOG_FILES = number("log.files", "5", "log files kept per process");
    public static final Setting SUPERVISOR_BACKOFF_INITIAL_MS = number("supervisor.backoff.initial.ms", "1000", "first pause before a stage is restarted");
    public static final Setting SUPERVISOR_BACKOFF_MAX_MS = number("supervisor.backoff.max.ms", "60000", "longest pause before a stage is restarted");

    private SettingKeys() {
    }

    /** Every setting, in declaration order. */
    public static List<Setting> all() {
        return Collections.unmodifiableList(ALL);
    }

    /** The defaults of {@code settings} (those that have one), by key. */
    public static Map<String, String> defaults(Collection<Setting> settings) {
        Map<String, String> out = new LinkedHashMap<>();
        settings.forEach(s -> {
            if (s.defaultValue() != null) {
                out.put(s.key(), s.defaultValue());
            }
        });
        return out;
    }

    /** The keys of {@code settings}. */
    public static List<String> keys(Collection<Setting> settings) {
        return settings.stream().map(Setting::key).toList();
    }

    private static Setting add(Setting setting) {
        if (ALL.stream().anyMatch(s -> s.key().equals(setting.key()))) {
            throw new IllegalStateException("setting declared twice: " + setting.key());
        }
        ALL.add(setting);
        return setting;
    }

    private static Setting text(String key, String defaultValue, String description) {
        return add(new Setting(key, TEXT, defaultValue, description));
    }

    private static Setting number(String key, String defaultValue, String description) {
        return add(new Setting(key, NUMBER, defaultValue, description));
    }

    private static Setting flag(String key, String defaultValue, String description) {
        return add(new Setting(key, FLAG, defaultValue, description));
    }

    private static Setting choice(String key, String defaultValue, String description) {
        return add(new Setting(key, CHOICE, defaultValue, description));
    }

    private static Setting path(String key, String defaultValue, String description) {
        return add(new Setting(key, PATH, defaultValue, description));
    }

    private static Setting family(String key, String description) {
        return add(new Setting(key, FAMILY, null, description));
    }
}
