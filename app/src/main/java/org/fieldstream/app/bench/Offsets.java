package org.fieldstream.app.bench;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a consumer group is: its committed offsets against the last stable offsets of the topics
 * it reads. A group is caught up when every partition's committed offset reaches the end; on topics
 * written in transactions the end may be one commit marker past the last record, so there one
 * offset short still counts as caught up.
 */
final class Offsets {

    private final Admin admin;

    Offsets(Admin admin) {
        this.admin = admin;
    }

    /** Committed offsets of {@code group}, 0 for partitions of {@code required} topics it has not committed yet. */
    Map<TopicPartition, Long> committed(String group, Collection<String> required) throws Exception {
        Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition tp : partitions(required)) {
            out.put(tp, 0L);
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        offsets.forEach((tp, om) -> {
            if (om != null) {
                out.put(tp, om.offset());
            }
        });
        return out;
    }

    Map<TopicPartition, Long> ends(Collection<TopicPartition> partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> request = partitions.stream()
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(30, TimeUnit.SECONDS)
                .forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    Set<TopicPartition> partitions(Collection<String> topics) throws Exception {
        Set<TopicPartition> out = new HashSet<>();
        admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((name, description) ->
                description.partitions().forEach(p -> out.add(new TopicPartition(name, p.partition()))));
        return out;
    }

    /** Whether every committed offset reached its end ({@code exactTopics} with no marker allowance). */
    static boolean caughtUp(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> ends, Set<String> exactTopics) {
        for (var entry : committed.entrySet()) {
            long end = ends.getOrDefault(entry.getKey(), 0L);
            long allowance = exactTopics.contains(entry.getKey().topic()) ? 0 : 1;
            if (entry.getValue() < end - allowance) {
                return false;
            }
        }
        return true;
    }

    static long sum(Map<TopicPartition, Long> offsets, String topic) {
        return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic)).mapToLong(Map.Entry::getValue).sum();
    }
}
