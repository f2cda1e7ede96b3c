package org.fieldstream.events;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log topics (events, rejected, dead letters) keep every record: Kafka is the source of truth,
 * and a replay (a new streams state format, a rebuilt ClickHouse) rebuilds only what the log still
 * holds. At each stage's start {@link #check} finds a finite {@code retention.ms} or
 * {@code retention.bytes} on a log topic and sets it to -1 (a WARN names the topic and the old
 * value); where the cluster refuses, the stage refuses to start and says what to set, unless
 * {@link #CHECK} is {@code warn}. It also says, in one line, when the events topic has already lost
 * records (a partition whose log start offset is above 0).
 */
public final class LogRetention {

    private static final Logger LOG = LoggerFactory.getLogger(LogRetention.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Setting: {@code fix} (default) corrects a finite retention or refuses to start; {@code warn} only logs it. */
    public static final String CHECK = SettingKeys.TOPIC_RETENTION_CHECK.key();
    /** The two settings of a log topic that must be -1 (no limit). */
    public static final List<String> KEEP_EVERYTHING = List.of(TopicConfig.RETENTION_MS_CONFIG, TopicConfig.RETENTION_BYTES_CONFIG);
    /** Topic configuration of a log topic at creation. */
    public static final Map<String, String> UNLIMITED = Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.RETENTION_BYTES_CONFIG, "-1");

    private LogRetention() {
    }

    /** What a stage does with a log topic of finite retention. */
    public enum Mode {
        /** Set retention to -1; refuse to start where the cluster refuses. */
        FIX,
        /** Log a warning and start, the topic left as it is (e.g. a managed cluster with its own retention policy). */
        WARN;

        /** The mode a setting value names; absent or blank is {@link #FIX}. */
        public static Mode of(String value) {
            if (value == null || value.isBlank()) {
                return FIX;
            }
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "fix" -> FIX;
                case "warn" -> WARN;
                default -> throw new Settings.Invalid("setting " + CHECK + " (" + Settings.envName(CHECK)
                        + ") must be fix or warn, not " + value);
            };
        }

        /** The mode of a stage's settings ({@link #CHECK}). */
        public static Mode of(Map<String, String> settings) {
            return of(settings.get(CHECK));
        }
    }

    /** The topics that must keep every record: the event log, rejected rows and dead letters. */
    public static List<String> logTopics(Topics topics) {
        return List.of(topics.events.name(), topics.rejected.name(), topics.deadLetters.name());
    }

    /**
     * The retention settings of a topic's configuration that let the broker delete records:
     * {@code retention.ms} or {@code retention.bytes} other than -1, with their values (a missing
     * entry counts as finite, shown as "unknown").
     */
    public static Map<String, String> finite(Map<String, String> config) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : KEEP_EVERYTHING) {
            String value = config.get(key);
            if (value == null || !value.trim().equals("-1")) {
                out.put(key, value == null ? "unknown" : value.trim());
            }
        }
        return out;
    }

    /**
     * Checks the log topics of {@code topics} (which must exist): finite retention is set to -1 in
     * {@link Mode#FIX} (a WARN per topic with the old values) or only warned about in
     * {@link Mode#WARN}; then logs one line when the events topic has lost records.
     *
     * @throws IllegalStateException in {@link Mode#FIX} when the configuration cannot be read or changed,
     *     saying what to set on which topic
     */
    public static void check(Admin admin, Topics topics, Mode mode) {
        Map<String, Map<String, String>> finite = finiteRetention(admin, logTopics(topics), mode);
        finite.forEach((topic, values) -> {
            if (mode == Mode.WARN) {
                LOG.warn("topic {} keeps records for a limited time or size ({}) and is left so because {}=warn: "
                        + "older records are deleted and a replay rebuilds only what remains", topic, render(values), CHECK);
            } else {
                correct(admin, topic, values);
            }
        });
        lostRecords(admin, topics.events.name()).ifPresent(LOG::warn);
    }

    private static Map<String, Map<String, String>> finiteRetention(Admin admin, List<String> names, Mode mode) {
        List<ConfigResource> resources = names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> configs;
        try {
            configs = admin.describeConfigs(resources).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            String message = "cannot read the retention of topics " + names + " (" + cause + ")";
            if (mode == Mode.WARN) {
                LOG.warn("{}; starting anyway because {}=warn", message, CHECK);
                return Map.of();
            }
            throw new IllegalStateException(message + ": make sure " + String.join(", ", names) + " have "
                    + required() + ", or set " + CHECK + "=warn (" + Settings.envName(CHECK) + "=warn) to start without this check", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading topic configurations", e);
        }
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (ConfigResource resource : resources) {
            Map<String, String> values = new TreeMap<>();
            Config config = configs.get(resource);
            if (config != null) {
                for (ConfigEntry entry : config.entries()) {
                    if (KEEP_EVERYTHING.contains(entry.name()) && entry.value() != null) {
                        values.put(entry.name(), entry.value());
                    }
                }
            }
            Map<String, String> finite = finite(values);
            if (!finite.isEmpty()) {
                out.put(resource.name(), finite);
            }
        }
        return out;
    }

    private static void correct(Admin admin, String topic, Map<String, String> old) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        List<AlterConfigOp> ops = old.keySet().stream()
                .map(key -> new AlterConfigOp(new ConfigEntry(key, "-1"), AlterConfigOp.OpType.SET)).toList();
        try {
            admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("topic " + topic + " keeps records for a limited time or size (" + render(old)
                    + ") and the cluster refused to change it (" + cause + "): set " + required() + " on topic " + topic
                    + ", or set " + CHECK + "=warn (" + Settings.envName(CHECK) + "=warn) to start and accept that old records are deleted",
                    cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted changing the retention of topic " + topic, e);
        }
        LOG.warn("topic {} kept records for a limited time or size ({}); set to -1 so that it keeps every record", topic, render(old));
    }

    private static String required() {
        return KEEP_EVERYTHING.stream().map(k -> k + "=-1").collect(Collectors.joining(" "));
    }

    private static String render(Map<String, String> values) {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    /**
     * One line saying that {@code topic} has lost records, when a partition's log start offset is
     * above 0 (records before it were deleted); empty when every partition starts at 0.
     */
    public static Optional<String> lostRecords(Admin admin, String topic) {
        Map<Integer, Long> starts = new TreeMap<>();
        logStartOffsets(admin, topic).forEach((tp, offset) -> {
            if (offset > 0) {
                starts.put(tp.partition(), offset);
            }
        });
        if (starts.isEmpty()) {
            return Optional.empty();
        }
        long lost = starts.values().stream().mapToLong(Long::longValue).sum();
        return Optional.of("topic " + topic + " has lost " + lost + " records already (deleted by retention or by hand; log start offset "
                + starts.entrySet().stream().map(e -> "partition " + e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "))
                + "): a replay from it rebuilds metrics from a partial log");
    }

    /** The log start offset (earliest offset still held) of every partition of {@code topic}. */
    public static Map<TopicPartition, Long> logStartOffsets(Admin admin, String topic) {
        return offsets(admin, topic, OffsetSpec.earliest());
    }

    /** The end offset of every partition of {@code topic}. */
    public static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) {
        return offsets(admin, topic, OffsetSpec.latest());
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, String topic, OffsetSpec spec) {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).get(topic);
            Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
            description.partitions().forEach(p -> request.put(new TopicPartition(topic, p.partition()), spec));
            Map<TopicPartition, Long> out = new TreeMap<>(Comparator.comparingInt(TopicPartition::partition));
            admin.listOffsets(request).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                    .forEach((tp, info) -> out.put(tp, info.offset()));
            return out;
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("cannot read the offsets of topic " + topic + ": " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading the offsets of topic " + topic, e);
        }
    }
}
