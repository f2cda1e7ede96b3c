package org.fieldstream.producers;

import static org.fieldstream.events.SettingKeys.*;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import org.fieldstream.events.KafkaAccess;
import org.fieldstream.events.Setting;
import org.fieldstream.events.SettingKeys;
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

    /** The settings ingest and the push endpoint read (declared in {@link SettingKeys}). */
    public static final List<Setting> SETTINGS = List.of(BOOTSTRAP_SERVERS, TOPIC_PREFIX, TOPIC_PARTITIONS,
            TOPIC_REPLICATION_FACTOR, TOPIC_MIN_INSYNC_REPLICAS, TOPIC_RETENTION_CHECK, SECRETS_FILE, DATE_TOLERANCE_DAYS,
            KNOWN_MAX_ENTRIES, KNOWN_PRELOAD, REFERENCE_PRELOAD, REFERENCES_UNKNOWN, ROW_MAX_BYTES, HTTP_BIND, HTTP_PORT,
            HTTP_TOKENS_FILE, HTTP_MAX_BODY_BYTES, HTTP_MAX_BATCHES, HTTP_MAX_LARGE_BATCHES, HTTP_MAX_BATCHES_PER_PARTNER,
            HTTP_LARGE_BATCH_BYTES, HTTP_HEADER_TIMEOUT_MS, HTTP_BODY_TIMEOUT_MS, HTTP_MIN_BODY_BYTES_PER_SECOND,
            HTTP_BODY_GRACE_MS, HTTP_MAX_CONNECTIONS, HTTP_MAX_CONNECTIONS_PER_ADDRESS, HTTP_REPLY_REJECTIONS,
            PRODUCER_LINGER_MS, PRODUCER_BATCH_SIZE, PRODUCER_COMPRESSION_TYPE, DATA_DIR, DISK_MIN_FREE_BYTES,
            DISK_MIN_FREE_PERCENT, BROKER_ANSWER_TIMEOUT_MS);

    private final Settings.Values values;
    private final Map<String, String> environment;

    private ProducerSettings(Settings.Values values, Map<String, String> environment) {
        this.values = values;
        this.environment = environment;
    }

    /** Loads defaults, then {@code configFile} (or FIELDSTREAM_CONFIG when null), then the environment. */
    public static ProducerSettings load(Path configFile, Map<String, String> environment) {
        return new ProducerSettings(Settings.load(SETTINGS, configFile, environment), Map.copyOf(environment));
    }

    /** Settings from explicit values over the defaults, no file, no environment (tests). */
    public static ProducerSettings of(Map<String, String> overrides, Map<String, String> environment) {
        return new ProducerSettings(Settings.Values.of(SettingKeys.defaults(SETTINGS)).with(overrides), Map.copyOf(environment));
    }

    public static String envName(String key) {
        return Settings.envName(key);
    }

    public String get(Setting setting) {
        return values.get(setting);
    }

    /** The value of {@code setting}, trimmed; missing or blank fails naming the key and where it was set. */
    public String required(Setting setting) {
        return values.required(setting);
    }

    public int intValue(Setting setting) {
        return intValue(setting, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** An int setting within {@code min..max}, failing fast with the key otherwise. */
    public int intValue(Setting setting, int min, int max) {
        return values.intWithin(setting, min, max);
    }

    /** A long setting within {@code min..max}, failing fast with the key otherwise. */
    public long longValue(Setting setting, long min, long max) {
        return values.longWithin(setting, min, max);
    }

    /**
     * {@code row.max.bytes}, 1 KiB..512 KiB: an event is never larger than its row plus a small
     * envelope, so every accepted row fits Kafka's default 1 MB message limit.
     */
    public int maxRowBytes() {
        return intValue(ROW_MAX_BYTES, 1024, 512 * 1024);
    }

    public boolean flag(Setting setting) {
        return values.flag(setting);
    }

    public Path path(Setting setting) {
        String value = values.get(setting);
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    public String bootstrapServers() {
        return required(BOOTSTRAP_SERVERS);
    }

    /** Bootstrap servers and the {@code kafka.*} client settings ({@link KafkaAccess}), the start of every Kafka client. */
    public Map<String, Object> kafkaClients() {
        return KafkaAccess.clients(values.asMap());
    }

    /** The topic layout settings given ({@link TopicSetup#LAYOUT_KEYS}); the cluster decides the rest. */
    public Map<String, String> topicLayout() {
        return Settings.only(values.asMap(), TopicSetup.LAYOUT_KEYS);
    }

    public String topicPrefix() {
        String prefix = values.get(TOPIC_PREFIX);
        return prefix == null ? "" : prefix;
    }

    /** {@code references.unknown}: reject (rows naming an unknown cohort/dialogue) or accept (the default). */
    public boolean rejectUnknownReferences() {
        return values.choice(REFERENCES_UNKNOWN, "accept", "reject").equals("reject");
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
        values.asMap().forEach((key, value) -> {
            if (key.startsWith("program.") && key.endsWith(".start_date")) {
                String id = key.substring("program.".length(), key.length() - ".start_date".length());
                try {
                    catalog.addProgram(id, LocalDate.parse(value.trim()));
                } catch (DateTimeParseException e) {
                    throw values.invalid(key, "must be a date yyyy-MM-dd", value, e);
                }
            } else if (key.startsWith("program.") && key.endsWith(".end_date")) {
                String id = key.substring("program.".length(), key.length() - ".end_date".length());
                try {
                    catalog.endProgram(id, LocalDate.parse(value.trim()));
                } catch (DateTimeParseException e) {
                    throw values.invalid(key, "must be a date yyyy-MM-dd", value, e);
                }
            } else if (key.startsWith("partner.") && key.endsWith(".program")) {
                catalog.addPartner(key.substring("partner.".length(), key.length() - ".program".length()), value.trim());
            }
        });
    }
}
