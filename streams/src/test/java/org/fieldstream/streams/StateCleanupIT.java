package org.fieldstream.streams;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.fieldstream.events.LogRetention;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code streams-cleanup} on a faked older state application (internal topics, a consumer group with
 * committed offsets, a state directory): nothing is removed while the current application has not
 * caught up with the event log; once it has, exactly the older application's leftovers are removed.
 */
class StateCleanupIT {

    @TempDir
    Path stateDir;

    @Test
    void removesAnOlderStateApplicationOnlyOnceTheCurrentOneHasCaughtUp() throws Exception {
        ItKafka kafka = new ItKafka();
        kafka.send(ItScenario.generated(3, 4, 5));
        StreamsSettings settings = StreamsSettings.load(null, Map.of(
                "FIELDSTREAM_BOOTSTRAP_SERVERS", kafka.bootstrap,
                "FIELDSTREAM_STREAMS_APPLICATION_ID", kafka.id,
                "FIELDSTREAM_TOPIC_PREFIX", kafka.topics.prefix(),
                "FIELDSTREAM_STREAMS_STATE_DIR", stateDir.toString()));
        String current = settings.kafkaApplicationId();
        String older = kafka.id + "-state" + (Compact.FORMAT - 1);
        String otherApplication = kafka.id + "-other-state" + (Compact.FORMAT - 1);
        List<String> olderTopics = List.of(older + "-aggregate-roots-changelog", older + "-outreach-cells-repartition");
        List<String> kept = List.of(current + "-aggregate-roots-changelog", otherApplication + "-aggregate-roots-changelog");
        String events = kafka.topics.events.name();
        try (Admin admin = kafka.admin()) {
            admin.createTopics(java.util.stream.Stream.concat(olderTopics.stream(), kept.stream())
                    .map(t -> new NewTopic(t, 1, (short) 1)).toList()).all().get();
            admin.alterConsumerGroupOffsets(older, Map.of(new TopicPartition(events, 0), new OffsetAndMetadata(1))).all().get();
            // a created topic shows in the broker's listing once its metadata is published, not when createTopics returns
            await().atMost(Duration.ofSeconds(30)).until(() -> topics(admin).containsAll(olderTopics) && topics(admin).containsAll(kept));
        }
        Path olderState = Files.createDirectories(stateDir.resolve(older).resolve("0_0"));
        Files.writeString(olderState.resolve("CURRENT"), "x");
        Path currentState = Files.createDirectories(stateDir.resolve(current).resolve("0_0"));

        String notCaughtUp = cleanup(settings, 1);
        assertTrue(notCaughtUp.contains("has not caught up") && notCaughtUp.contains(older) && notCaughtUp.contains("nothing removed"),
                notCaughtUp);
        try (Admin admin = kafka.admin()) {
            assertTrue(topics(admin).containsAll(olderTopics), "older topics kept");
            assertTrue(groups(admin).contains(older), "older group kept");
        }
        assertTrue(Files.exists(olderState), "older state kept");

        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetAndMetadata> caughtUp = new HashMap<>();
            LogRetention.endOffsets(admin, events).forEach((tp, end) -> caughtUp.put(tp, new OffsetAndMetadata(end)));
            admin.alterConsumerGroupOffsets(current, caughtUp).all().get();
        }
        String removed = cleanup(settings, 0);
        for (String topic : olderTopics) {
            assertTrue(removed.contains("removed topic " + topic), removed);
        }
        assertTrue(removed.contains("removed consumer group " + older), removed);
        assertTrue(removed.contains("removed state directory " + stateDir.resolve(older)), removed);
        try (Admin admin = kafka.admin()) {
            await("older topics deleted").atMost(Duration.ofSeconds(30))
                    .until(() -> olderTopics.stream().noneMatch(topics(admin)::contains));
            assertTrue(topics(admin).containsAll(kept), "the current application's and another application's topics stay");
            assertFalse(groups(admin).contains(older), "older group deleted");
            assertTrue(groups(admin).contains(current), "current group stays");
        }
        assertFalse(Files.exists(stateDir.resolve(older)), "older state deleted");
        assertTrue(Files.exists(currentState), "current state stays");

        String again = cleanup(settings, 0);
        assertTrue(again.contains("no older state applications"), again);
    }

    private static String cleanup(StreamsSettings settings, int exitCode) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = StateCleanup.run(settings, new PrintStream(out, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(exitCode, exit, printed);
        return printed;
    }

    private static Set<String> topics(Admin admin) throws Exception {
        return admin.listTopics().names().get();
    }

    private static List<String> groups(Admin admin) throws Exception {
        return admin.listGroups().all().get().stream().map(GroupListing::groupId).toList();
    }
}
