package org.fieldstream.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the pipeline's topics when missing: the event log and the rejected topic keep everything
 * (deletion by retention only), metric and reference topics are compacted upserts. Existing topics
 * are left as they are. Returns once every partition of every topic has a leader: a producer that
 * writes to a partition still electing its leader gets NOT_LEADER_OR_FOLLOWER, and an idempotent one
 * can then loop on OUT_OF_ORDER_SEQUENCE_NUMBER (seen on a loaded single broker).
 */
public final class TopicSetup {

    private TopicSetup() {
    }

    private static final Duration LEADER_WAIT = Duration.ofSeconds(60);

    public static void ensure(Admin admin, Topics topics, int partitions, short replication) {
        List<NewTopic> wanted = new ArrayList<>();
        wanted.add(new NewTopic(topics.events.name(), partitions, replication));
        wanted.add(new NewTopic(topics.rejected.name(), partitions, replication));
        Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        for (Topic<String, ?> topic : topics.metrics()) {
            wanted.add(new NewTopic(topic.name(), partitions, replication).configs(compacted));
        }
        for (Topic<String, ?> topic : topics.reference()) {
            wanted.add(new NewTopic(topic.name(), 1, replication).configs(compacted));
        }
        ensure(admin, wanted);
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
        admin.createTopics(missing).values().forEach((name, future) -> {
            try {
                future.get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + name + ": " + e.getCause(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted creating topic " + name, e);
            }
        });
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
