package org.fieldstream.streams;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.Topic;
import org.fieldstream.platform.ChildJvm;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Invariant 4 for the streams stage: StreamsMain in a child JVM is killed (SIGKILL, no clean close)
 * in the middle of its work, as the broker shows it: part of the second third of the events
 * committed, events in the log it has not committed, and, just before the kill, a transaction of
 * metric, changelog or repartition records open. A new one starts on the same state directory, and
 * the metric topics end equal to the oracle's recomputation of every event ({@link Recompute}):
 * nothing lost, nothing counted twice.
 */
class StreamsCrashRecoveryIT {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsCrashRecoveryIT.class);

    @Test
    void killedMidStreamAndRestartedEndsWithTheSameMetrics() throws Exception {
        ItKafka kafka = new ItKafka();
        kafka.reference(ItScenario.PROGRAM, ItScenario.PROGRAM_START, ItScenario.ORG_UNITS);
        List<FieldEvent> events = ItScenario.generated(40, 10, 23);
        Map<String, String> expected = ItScenario.recomputed(events);
        Path dir = Path.of("target", "it-crash", kafka.id).toAbsolutePath();
        Files.createDirectories(dir);
        Path config = dir.resolve("streams.properties");
        Files.writeString(config, String.join("\n",
                "bootstrap.servers=" + kafka.bootstrap,
                "streams.application.id=" + kafka.id,
                "topic.prefix=" + kafka.topics.prefix(),
                "streams.state.dir=" + dir.resolve("state"),
                "streams.commit.interval.ms=100",
                "streams.punctuate.interval.ms=200",
                "streams.config.consumer.session.timeout.ms=6000",
                "streams.config.consumer.heartbeat.interval.ms=1000", ""));
        int third = events.size() / 3;

        kafka.send(events.subList(0, third));
        ChildJvm first = ChildJvm.start("streams-1", StreamsMain.class.getName(), List.of("-Xmx256m"),
                List.of(config.toString()), dir.resolve("streams-1.log"));
        try (Admin admin = kafka.admin()) {
            awaitSomeOutput(kafka, first);
            Probe probe = new Probe(admin, kafka);
            Map<TopicPartition, Long> firstThirdEnd = probe.look().eventsEnd();
            CompletableFuture<Void> secondThird = trickle(kafka, events.subList(third, 2 * third), 10, Duration.ofMillis(50));
            Look seen = await("streams-1 mid-stream: second third partly committed, input uncommitted, a transaction open")
                    .atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                    .until(probe::look, look -> look.committedPast(firstThirdEnd) && look.uncommittedBelow(look.eventsEnd())
                            && !look.openTransactions().isEmpty());
            first.kill();
            // what the dead instance left: its commits can change no more. A transaction seen open just
            // before the kill may have been committed in the last milliseconds, so one still open now
            // (until the broker aborts it or the next instance fences it) is logged, not required.
            Look left = probe.look();
            LOG.info("killed streams-1 (second third from events offsets {}); just before: {}; after: {}",
                    firstThirdEnd.values(), seen, left);
            secondThird.get(60, TimeUnit.SECONDS);
            // the dead instance's commits can change no more, so the rest of the second third, sent
            // after the kill or in its last milliseconds, is input the next instance must take over
            Look after = probe.look();
            assertTrue(left.committedPast(firstThirdEnd), () -> "streams-1 committed none of the second third: " + left);
            assertTrue(after.uncommittedBelow(after.eventsEnd()),
                    () -> "streams-1 left no event of the log uncommitted: " + seen + " then " + left + " then " + after);
        }

        kafka.send(events.subList(2 * third, events.size()));
        ChildJvm second = ChildJvm.start("streams-2", StreamsMain.class.getName(), List.of("-Xmx256m"),
                List.of(config.toString()), dir.resolve("streams-2.log"));
        try {
            kafka.awaitMetrics(expected, Duration.ofSeconds(120));
        } finally {
            second.stop();
        }
    }

    private static void awaitSomeOutput(ItKafka kafka, ChildJvm first) {
        await("streams-1 writes participant rows").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertFalse(kafka.readMetrics().get(kafka.topics.participantProgress.name()).isEmpty(),
                        () -> "streams-1 wrote nothing:\n" + first.logTail(40)));
    }

    /**
     * Sends {@code events} from a thread of its own, {@code chunk} at a time, one chunk every
     * {@code every}, so that input keeps arriving while the instance works; completes when all are sent.
     */
    private static CompletableFuture<Void> trickle(ItKafka kafka, List<FieldEvent> events, int chunk, Duration every) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        KafkaProducer<String, FieldEvent> producer = kafka.eventProducer();
        AtomicInteger next = new AtomicInteger();
        timer.scheduleAtFixedRate(() -> {
            try {
                int from = next.getAndAdd(chunk);
                if (from < events.size()) {
                    kafka.send(producer, events.subList(from, Math.min(events.size(), from + chunk)));
                    return;
                }
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return done.whenComplete((ok, failed) -> {
            timer.shutdown();
            producer.close();
        });
    }

    /**
     * One look at the streams application from the broker: its consumer group's committed offsets
     * and the end offsets on the events topic, and, on every topic it writes (metric topics, its
     * changelog and repartition topics), the last stable offset (read_committed end) and the high
     * watermark (read_uncommitted end).
     */
    private static final class Probe {

        private final Admin admin;
        private final String group;
        private final List<TopicPartition> events;
        private final List<TopicPartition> outputs;

        Probe(Admin admin, ItKafka kafka) throws Exception {
            this.admin = admin;
            this.group = StreamsSettings.kafkaApplicationId(kafka.id);
            this.events = partitions(List.of(kafka.topics.events.name()));
            List<String> written = new ArrayList<>(kafka.topics.metrics().stream().map(Topic::name).toList());
            admin.listTopics().names().get().stream().filter(name -> name.startsWith(group + "-")).forEach(written::add);
            this.outputs = partitions(written);
        }

        private List<TopicPartition> partitions(Collection<String> topics) throws Exception {
            List<TopicPartition> out = new ArrayList<>();
            admin.describeTopics(topics).allTopicNames().get().forEach((name, description) ->
                    description.partitions().forEach(p -> out.add(new TopicPartition(name, p.partition()))));
            return out;
        }

        Look look() throws Exception {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> committed = new TreeMap<>(ORDER);
            events.forEach(tp -> committed.put(tp, offsets.get(tp) == null ? 0L : offsets.get(tp).offset()));
            return new Look(committed, ends(events, IsolationLevel.READ_UNCOMMITTED),
                    ends(outputs, IsolationLevel.READ_COMMITTED), ends(outputs, IsolationLevel.READ_UNCOMMITTED));
        }

        private Map<TopicPartition, Long> ends(List<TopicPartition> partitions, IsolationLevel isolation) throws Exception {
            Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                    .collect(Collectors.toMap(Function.identity(), tp -> OffsetSpec.latest()));
            Map<TopicPartition, Long> out = new TreeMap<>(ORDER);
            admin.listOffsets(latest, new ListOffsetsOptions(isolation)).all().get()
                    .forEach((tp, info) -> out.put(tp, info.offset()));
            return out;
        }
    }

    private static final Comparator<TopicPartition> ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    /** Offsets seen by one {@link Probe#look}. */
    private record Look(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> eventsEnd,
                        Map<TopicPartition, Long> stable, Map<TopicPartition, Long> watermark) {

        /** Some events partition is committed beyond {@code offsets}. */
        boolean committedPast(Map<TopicPartition, Long> offsets) {
            return committed.entrySet().stream().anyMatch(e -> e.getValue() > offsets.get(e.getKey()));
        }

        /** Some events partition is committed short of {@code ends}: events in the log not yet committed. */
        boolean uncommittedBelow(Map<TopicPartition, Long> ends) {
            return committed.entrySet().stream().anyMatch(e -> e.getValue() < ends.get(e.getKey()));
        }

        /** Written partitions whose last stable offset is below the high watermark: a transaction with records is open. */
        List<TopicPartition> openTransactions() {
            return stable.entrySet().stream().filter(e -> e.getValue() < watermark.get(e.getKey())).map(Map.Entry::getKey).toList();
        }

        @Override
        public String toString() {
            List<TopicPartition> open = openTransactions();
            return "events committed " + committed.values() + " of " + eventsEnd.values() + ", a transaction open on "
                    + open.size() + " partitions" + open.stream().limit(3)
                            .map(tp -> " " + tp + " (stable " + stable.get(tp) + " < " + watermark.get(tp) + ")")
                            .collect(Collectors.joining(",", "", open.size() > 3 ? ", ..." : ""));
        }
    }
}
