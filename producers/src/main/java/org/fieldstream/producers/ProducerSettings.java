package org.fieldstream.producers;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.fieldstream.events.KafkaAccess;
import org.fieldstream.events.Settings;
import org.fieldstream.events.TopicSetup;
import org.fieldstream.events.Topics;

/**
 * Settings of the producers module: defaults, then an optional properties file, then
 * {@code FIELDSTREAM_*} environment variables (key upper cased, '.' turned into '_': {@code http.port}
 * is {@code FIELDSTREAM_HTTP_PORT}). The properties file is {@code --config FILE} or
 * {@code FIELDSTREAM_CONFIG}. Secrets and tokens are read by {@link ProgramSecrets} and
 * {@code TokenStore}; this class only says where their files are.
 */
public final class ProducerSettings {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String TOPIC_PREFIX = "topic.prefix";
    public static final String SECRETS_FILE = "secrets.file";
    public static final String DATE_TOLERANCE_DAYS = "date.tolerance.days";
    public static final String KNOWN_MAX_ENTRIES = "known.max.entries";
    public static final String KNOWN_PRELOAD = "known.preload";
    public static final String REFERENCE_PRELOAD = "reference.preload";
    public static final String REFERENCES_UNKNOWN = "references.unknown";
    /** Longest row (a CSV or JSON line, a JSON array element) in bytes; a longer one is a rejected row. */
    public static final String ROW_MAX_BYTES = "row.max.bytes";
    public static final String HTTP_BIND = "http.bind";
    public static final String HTTP_PORT = "http.port";
    public static final String HTTP_MAX_BODY_BYTES = "http.max.body.bytes";
    public static final String HTTP_TOKENS_FILE = "http.tokens.file";
    /** Batches processed at once; a batch beyond them is answered 503 with Retry-After. */
    public static final String HTTP_MAX_BATCHES = "http.max.batches";
    /** Of those, batches larger than {@link #HTTP_LARGE_BATCH_BYTES} (or of unknown length). */
    public static final String HTTP_MAX_LARGE_BATCHES = "http.max.large.batches";
    /** Of those, batches one partner (token) may hold at once; beyond, that partner alone is answered 503. */
    public static final String HTTP_MAX_BATCHES_PER_PARTNER = "http.max.batches.per.partner";
    public static final String HTTP_LARGE_BATCH_BYTES = "http.large.batch.bytes";
    /**
     * A request's head must be complete within this from the connection's accept or the end of the
     * previous request, however it trickles; else the connection is closed (also idle keep-alive).
     */
    public static final String HTTP_HEADER_TIMEOUT_MS = "http.header.timeout.ms";
    /** The whole body must arrive within this; a read that waits longer fails too. */
    public static final String HTTP_BODY_TIMEOUT_MS = "http.body.timeout.ms";
    /** Slowest body accepted after {@link #HTTP_BODY_GRACE_MS}, in bytes per second (0: none); slower is 408. */
    public static final String HTTP_MIN_BODY_BYTES_PER_SECOND = "http.min.body.bytes.per.second";
    /** How long a body may lag behind {@link #HTTP_MIN_BODY_BYTES_PER_SECOND} at first. */
    public static final String HTTP_BODY_GRACE_MS = "http.body.grace.ms";
    public static final String HTTP_MAX_CONNECTIONS = "http.max.connections";
    /** Connections from one client address at once; more are closed as soon as they are accepted. */
    public static final String HTTP_MAX_CONNECTIONS_PER_ADDRESS = "http.max.connections.per.address";
    /** Rejected rows listed one by one in a reply; the rest are counted. */
    public static final String HTTP_REPLY_REJECTIONS = "http.reply.rejections";
    public static final String LINGER_MS = "producer.linger.ms";
    public static final String BATCH_SIZE = "producer.batch.size";
    public static final String COMPRESSION = "producer.compression.type";
    /** The local stack's data folder, whose disk {@link DiskGuard} watches; unset: nothing is checked. */
    public static final String DATA_DIR = "data.dir";
    public static final String DISK_MIN_FREE_BYTES = "disk.min.free.bytes";
    public static final String DISK_MIN_FREE_PERCENT = "disk.min.free.percent";
    /** How long a command waits for the broker's first answer before it says the broker does not answer. */
    public static final String BROKER_ANSWER_TIMEOUT_MS = "broker.answer.timeout.ms";

    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry(BOOTSTRAP_SERVERS, "localhost:9092"),
            Map.entry(TOPIC_PREFIX, ""),
            Map.entry(DATE_TOLERANCE_DAYS, "2"),
            Map.entry(KNOWN_MAX_ENTRIES, "1000000"),
            Map.entry(KNOWN_PRELOAD, "true"),
            Map.entry(REFERENCE_PRELOAD, "true"),
            Map.entry(REFERENCES_UNKNOWN, "accept"),
            Map.entry(ROW_MAX_BYTES, Integer.toString(64 * 1024)),
            Map.entry(HTTP_BIND, "127.0.0.1"),
            Map.entry(HTTP_PORT, "8088"),
            Map.entry(HTTP_MAX_BODY_BYTES, Integer.toString(16 * 1024 * 1024)),
            Map.entry(HTTP_MAX_BATCHES, "16"),
            Map.entry(HTTP_MAX_LARGE_BATCHES, "2"),
            Map.entry(HTTP_MAX_BATCHES_PER_PARTNER, "4"),
            Map.entry(HTTP_LARGE_BATCH_BYTES, Integer.toString(1024 * 1024)),
            Map.entry(HTTP_HEADER_TIMEOUT_MS, "10000"),
            Map.entry(HTTP_BODY_TIMEOUT_MS, "60000"),
            Map.entry(HTTP_MIN_BODY_BYTES_PER_SECOND, "1024"),
            Map.entry(HTTP_BODY_GRACE_MS, "3000"),
            Map.entry(HTTP_MAX_CONNECTIONS, "512"),
            Map.entry(HTTP_MAX_CONNECTIONS_PER_ADDRESS, "64"),
            Map.entry(HTTP_REPLY_REJECTIONS, "100"),
            Map.entry(LINGER_MS, "10"),
            Map.entry(BATCH_SIZE, Integer.toString(256 * 1024)),
            Map.entry(COMPRESSION, "lz4"),
            Map.entry(DISK_MIN_FREE_BYTES, Long.toString(2L << 30)),
            Map.entry(DISK_MIN_FREE_PERCENT, "5"),
            Map.entry(BROKER_ANSWER_TIMEOUT_MS, "15000"));

    private final Map<String, String> values;
    private final Map<String, String> environment;

    private ProducerSettings(Map<String, String> values, Map<String, String> environment) {
        this.values = values;
        this.environment = environment;
    }

    /** Loads defaults, then {@code configFile} (or FIELDSTREAM_CONFIG when null), then the environment. */
    public static ProducerSettings load(Path configFile, Map<String, String> environment) {
        // the file settings have no default, so name them for their variables to count
        Map<String, String> values = Settings.load(DEFAULTS, configFile, environment,
                Stream.concat(Stream.of(SECRETS_FILE, HTTP_TOKENS_FILE, DATA_DIR), TopicSetup.LAYOUT_KEYS.stream()).toList());
        return new ProducerSettings(Map.copyOf(values), Map.copyOf(environment));
    }

    /** Settings from explicit values over the defaults, no file, no environment (tests). */
    public static ProducerSettings of(Map<String, String> overrides, Map<String, String> environment) {
        Map<String, String> values = new HashMap<>(DEFAULTS);
        values.putAll(overrides);
        return new ProducerSettings(Map.copyOf(values), Map.copyOf(environment));
    }

    public static String envName(String key) {
        return Settings.envName(key);
    }

    public String get(String key) {
        return values.get(key);
    }

    /** The value of {@code key}, trimmed; missing or blank fails naming the key and its variable. */
    public String required(String key) {
        return Settings.required(values, key);
    }

    public int intValue(String key) {
        return intValue(key, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** An int setting within {@code min..max}, failing fast with the key otherwise. */
    public int intValue(String key, int min, int max) {
        return Settings.intWithin(values, key, min, max);
    }

    /** A long setting within {@code min..max}, failing fast with the key otherwise. */
    public long longValue(String key, long min, long max) {
        return Settings.longWithin(values, key, min, max);
    }

    /**
     * {@code row.max.bytes}, 1 KiB..512 KiB: an event is never larger than its row plus a small
     * envelope, so every accepted row fits Kafka's default 1 MB message limit.
     */
    public int maxRowBytes() {
        return intValue(ROW_MAX_BYTES, 1024, 512 * 1024);
    }

    public boolean flag(String key) {
        return Settings.flag(values, key);
    }

    public Path path(String key) {
        String value = values.get(key);
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    public String bootstrapServers() {
        return required(BOOTSTRAP_SERVERS);
    }

    /** Bootstrap servers and the {@code kafka.*} client settings ({@link KafkaAccess}), the start of every Kafka client. */
    public Map<String, Object> kafkaClients() {
        return KafkaAccess.clients(values);
    }

    /** The topic layout settings given ({@link TopicSetup#LAYOUT_KEYS}); the cluster decides the rest. */
    public Map<String, String> topicLayout() {
        return Settings.only(values, TopicSetup.LAYOUT_KEYS);
    }

    public String topicPrefix() {
        String prefix = values.get(TOPIC_PREFIX);
        return prefix == null ? "" : prefix;
    }

    /** {@code references.unknown}: reject (rows naming an unknown cohort/dialogue) or accept (the default). */
    public boolean rejectUnknownReferences() {
        String value = required(REFERENCES_UNKNOWN).toLowerCase(Locale.ROOT);
        if (!value.equals("accept") && !value.equals("reject")) {
            throw new Settings.Invalid("setting " + REFERENCES_UNKNOWN + " (" + envName(REFERENCES_UNKNOWN)
                    + ") must be accept or reject, not " + value);
        }
        return value.equals("reject");
    }

    public Map<String, String> environment() {
        return environment;
    }

    public DiskGuard diskGuard() {
        return DiskGuard.of(this);
    }

    /** The secrets, unchecked: for what publishes nothing under them. */
    public ProgramSecrets secrets() {
        return new ProgramSecrets(environment, path(SECRETS_FILE));
    }

    /** The secrets, each checked against the fingerprint its program's data was published with. */
    public ProgramSecrets secrets(Topics topics) {
        return new ProgramSecrets(environment, path(SECRETS_FILE), SecretFingerprints.kafka(this, topics.secretFingerprints));
    }

    /**
     * Programs and partners named in the settings file: {@code program.<id>.start_date=yyyy-MM-dd},
     * optionally {@code program.<id>.end_date=yyyy-MM-dd}, {@code partner.<id>.program=<program id>};
     * added to what the reference topics hold.
     */
    public void addConfiguredReference(ProgramCatalog catalog) {
        values.forEach((key, value) -> {
            if (key.startsWith("program.") && key.endsWith(".start_date")) {
                String id = key.substring("program.".length(), key.length() - ".start_date".length());
                try {
                    catalog.addProgram(id, LocalDate.parse(value.trim()));
                } catch (DateTimeParseException e) {
                    throw new Settings.Invalid("setting " + key + " is not a date yyyy-MM-dd: " + value, e);
                }
            } else if (key.startsWith("program.") && key.endsWith(".end_date")) {
                String id = key.substring("program.".length(), key.length() - ".end_date".length());
                try {
                    catalog.endProgram(id, LocalDate.parse(value.trim()));
                } catch (DateTimeParseException e) {
                    throw new Settings.Invalid("setting " + key + " is not a date yyyy-MM-dd: " + value, e);
                }
            } else if (key.startsWith("partner.") && key.endsWith(".program")) {
                catalog.addPartner(key.substring("partner.".length(), key.length() - ".program".length()), value.trim());
            }
        });
    }
}
