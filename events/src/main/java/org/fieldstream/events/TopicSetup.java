package org.fieldstream.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the pipeline's topics when missing: the log topics (events, rejected, dead letters) keep
 * every record ({@code retention.ms=-1}, {@code retention.bytes=-1}), metric and reference topics are
 * compacted upserts (their latest state per key). The layout of existing topics is left as it is;
 * their retention is checked by {@link LogRetention} (set to -1 where finite, or the stage refuses
 * to start). Returns once every partition of every topic has a leader: a producer that writes to a
 * partition still electing its leader gets NOT_LEADER_OR_FOLLOWER, and an idempotent one can then
 * loop on OUT_OF_ORDER_SEQUENCE_NUMBER (seen on a loaded single broker).
 */
public final class TopicSetup {

    private TopicSetup() {
    }

    private static final Duration LEADER_WAIT = Duration.ofSeconds(60);

    /** Partitions of the event log and metric topics when nothing else is said (reference topics have one). */
    public static final int DEFAULT_PARTITIONS = 3;
    /** Settings of the topic layout; each stage reads them, unset ones follow the cluster ({@link Layout#forCluster}). */
    public static final String PARTITIONS = SettingKeys.TOPIC_PARTITIONS.key();
    public static final String REPLICATION = SettingKeys.TOPIC_REPLICATION_FACTOR.key();
    public static final String MIN_INSYNC = SettingKeys.TOPIC_MIN_INSYNC_REPLICAS.key();
    /** The topic settings each stage reads: the layout and {@link LogRetention#CHECK}. */
    public static final List<String> LAYOUT_KEYS = List.of(PARTITIONS, REPLICATION, MIN_INSYNC, LogRetention.CHECK);

    /**
     * How the pipeline's topics are laid out: partitions of the event log and metric topics, the
     * replication factor and {@code min.insync.replicas} of every topic.
     */
    public record Layout(int partitions, short replication, int minInsyncReplicas) {
        public Layout {
            if (partitions < 1 || replication < 1 || minInsyncReplicas < 1 || minInsyncReplicas > replication) {
                throw new IllegalArgumentException("invalid topic layout " + partitions + " partitions, replication "
                        + replication + ", min.insync.replicas " + minInsyncReplicas);
            }
        }

        /**
         * The layout for the cluster behind {@code admin}: replication 3 and min.insync.replicas 2
         * where there are three brokers or more (a write survives one broker down), else every
         * broker (1 on a single broker).
         */
        public static Layout forCluster(Admin admin, int partitions) {
            return forCluster(admin, Map.of(PARTITIONS, Integer.toString(partitions)));
        }

        /**
         * The layout from settings ({@link #PARTITIONS}, {@link #REPLICATION}, {@link #MIN_INSYNC});
         * what they leave unset (absent or blank) comes from the cluster behind {@code admin}: 3
         * partitions, replication 3 and min.insync.replicas 2 on three brokers or more, else every
         * broker and 1. A malformed value fails with its key.
         */
        public static Layout forCluster(Admin admin, Map<String, String> settings) {
            int partitions = number(settings, PARTITIONS, DEFAULT_PARTITIONS);
            int replication = number(settings, REPLICATION, -1);
            int minInsync = number(settings, MIN_INSYNC, -1);
            if (replication < 0) {
                replication = Math.max(1, Math.min(3, brokers(admin)));
            }
            if (minInsync < 0) {
                minInsync = replication >= 3 ? 2 : 1;
            }
            return new Layout(partitions, (short) replication, minInsync);
        }

        private static int number(Map<String, String> settings, String key, int unset) {
            String value = settings.get(key);
            if (value == null || value.isBlank()) {
                return unset;
            }
            try {
                int n = Integer.parseInt(value.trim());
                if (n < 1 || n > 1000) {
                    throw new NumberFormatException("out of range");
                }
                return n;
            } catch (NumberFormatException e) {
                throw new Settings.Invalid("setting " + key + " (" + Settings.envName(key) + ") must be a number 1..1000, not "
                        + value, e);
            }
        }

        private static int brokers(Admin admin) {
            int brokers;
            try {
                brokers = admin.describeCluster().nodes().get().size();
            } catch (ExecutionException e) {
                throw new IllegalStateException("cannot describe the Kafka cluster: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted describing the Kafka cluster", e);
            }
            return brokers;
        }
    }

    /**
     * Creates every topic of the pipeline that is missing, laid out for the cluster behind
     * {@code admin}, and checks the log topics' retention ({@link LogRetention#check}, mode fix).
     * Each stage calls this at start, so whichever starts first creates them; concurrent calls are
     * harmless.
     */
    public static void ensureAll(Admin admin, Topics topics) {
        ensure(admin, topics, Layout.forCluster(admin, DEFAULT_PARTITIONS));
    }

    /**
     * As {@link #ensureAll(Admin, Topics)}, laid out by the stage's settings (see {@link Layout#forCluster(Admin, Map)})
     * and with the retention check they name ({@link LogRetention#CHECK}).
     */
    public static Layout ensureAll(Admin admin, Topics topics, Map<String, String> settings) {
        LogRetention.Mode mode = LogRetention.Mode.of(settings);
        Layout layout = Layout.forCluster(admin, settings);
        ensure(admin, topics, layout, mode);
        return layout;
    }

    public static void ensure(Admin admin, Topics topics, int partitions, short replication) {
        ensure(admin, topics, new Layout(partitions, replication, 1));
    }

    public static void ensure(Admin admin, Topics topics, Layout layout) {
        ensure(admin, topics, layout, LogRetention.Mode.FIX);
    }

    /** Creates the missing topics of {@code topics} laid out by {@code layout}, then checks the log topics' retention in {@code mode}. */
    public static void ensure(Admin admin, Topics topics, Layout layout, LogRetention.Mode mode) {
        short replication = layout.replication();
        Map<String, String> plain = Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(layout.minInsyncReplicas()));
        Map<String, String> log = new HashMap<>(plain);
        log.putAll(LogRetention.UNLIMITED);
        Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(layout.minInsyncReplicas()));
        List<NewTopic> wanted = new ArrayList<>();
        wanted.add(new NewTopic(topics.events.name(), layout.partitions(), replication).configs(log));
        wanted.add(new NewTopic(topics.rejected.name(), layout.partitions(), replication).configs(log));
        wanted.add(new NewTopic(topics.deadLetters.name(), 1, replication).configs(log));
        for (Topic<String, ?> topic : topics.metrics()) {
            wanted.add(new NewTopic(topic.name(), layout.partitions(), replication).configs(compacted));
        }
        for (Topic<String, ?> topic : topics.reference()) {
            wanted.add(new NewTopic(topic.name(), 1, replication).configs(compacted));
        }
        wanted.add(new NewTopic(topics.secretFingerprints.name(), 1, replication).configs(compacted));
        ensure(admin, wanted);
        LogRetention.check(admin, topics, mode);
    }

    /** Creates plain (deleting) topics of these names when missing, e.g. for a benchmark's baseline; returns once they have leaders. */
    public static void ensure(Admin admin, Collection<String> names, int partitions, short replication) {
        ensure(admin, names.stream().map(name -> new NewTopic(name, partitions, replication)).toList());
    }

    private static void ensure(Admin admin, List<NewTopic> wanted) {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
            if (!missing.isEmpty()) {
                create(admin, missing);
            }
            awaitLeaders(admin, wanted.stream().map(NewTopic::name).toList());
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list topics: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted listing topics", e);
        }
    }

    private static void create(Admin admin, List<NewTopic> missing) {
        Map<String, NewTopic> byName = new HashMap<>();
        missing.forEach(t -> byName.put(t.name(), t));
        List<NewTopic> withoutRetention = new ArrayList<>();
        admin.createTopics(missing).values().forEach((name, future) -> {
            try {
                future.get();
            } catch (ExecutionException e) {
                NewTopic topic = byName.get(name);
                if (e.getCause() instanceof PolicyViolationException && topic.configs() != null
                        && LogRetention.KEEP_EVERYTHING.stream().anyMatch(topic.configs()::containsKey)) {
                    // a managed cluster may refuse retention settings: create the topic with its own,
                    // then LogRetention says what to set (or warns, as the stage's settings say)
                    Map<String, String> configs = new HashMap<>(topic.configs());
                    LogRetention.KEEP_EVERYTHING.forEach(configs::remove);
                    withoutRetention.add(new NewTopic(name, topic.numPartitions(), topic.replicationFactor()).configs(configs));
                } else if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + name + ": " + e.getCause(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted creating topic " + name, e);
            }
        });
        if (!withoutRetention.isEmpty()) {
            create(admin, withoutRetention);
        }
    }

    /** Waits until every partition of the named topics has a leader. */
    public static void awaitLeaders(Admin admin, Collection<String> names) throws InterruptedException {
        long deadline = System.nanoTime() + LEADER_WAIT.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
                boolean ready = described.values().stream()
                        .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
                if (ready) {
                    return;
                }
            } catch (ExecutionException e) {
                // metadata of a topic created a moment ago may not be visible yet: ask again
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topics have no leader after " + LEADER_WAIT.toSeconds() + " s: " + names);
            }
            Thread.sleep(100);
        }
    }
}
