package org.fieldstream.streams;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.fieldstream.events.LogRetention;
import org.fieldstream.events.SettingKeys;

/**
 * A streams application that would read the event log from where records were already deleted: a
 * partition whose log start offset is above 0 while the application has no committed position
 * there (a new application id, i.e. a replay) or one below the log start. Metrics rebuilt from such a
 * log would silently replace correct rows, so the application refuses to start unless
 * {@code streams.replay.partial-log} is {@code allow}.
 */
final class PartialLogReplay {

    private PartialLogReplay() {
    }

    /** Why the application would replay a partial log, or empty when it reads every record it has not processed. */
    static Optional<String> problem(Admin admin, StreamsSettings settings) {
        String topic = settings.topics().events.name();
        String application = settings.kafkaApplicationId();
        Map<TopicPartition, Long> starts = LogRetention.logStartOffsets(admin, topic);
        Map<TopicPartition, OffsetAndMetadata> committed = committed(admin, application);
        Map<Integer, String> gaps = new TreeMap<>();
        starts.forEach((tp, start) -> {
            OffsetAndMetadata position = committed.get(tp);
            if (start > 0 && position == null) {
                gaps.put(tp.partition(), "records before offset " + start + " deleted, no position yet");
            } else if (position != null && position.offset() < start) {
                gaps.put(tp.partition(), "records " + position.offset() + ".." + (start - 1) + " deleted before they were processed");
            }
        });
        if (gaps.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("streams application " + application + " would rebuild its metrics from a partial log: topic " + topic + " "
                + gaps.entrySet().stream().map(e -> "partition " + e.getKey() + " (" + e.getValue() + ")").collect(Collectors.joining(", "))
                + "; the metric rows it wrote would replace correct ones");
    }

    /** What an operator can do about {@link #problem}. */
    static String remedy() {
        return "restore the log, or set " + SettingKeys.STREAMS_REPLAY_PARTIAL_LOG + "=allow ("
                + SettingKeys.STREAMS_REPLAY_PARTIAL_LOG.variable() + "=allow) to rebuild from what remains";
    }

    /** The application's committed positions (empty for an application that never committed). */
    static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String application) {
        try {
            Map<TopicPartition, OffsetAndMetadata> out = new TreeMap<>((a, b) -> a.topic().equals(b.topic())
                    ? Integer.compare(a.partition(), b.partition()) : a.topic().compareTo(b.topic()));
            admin.listConsumerGroupOffsets(application).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).forEach((tp, offset) -> {
                if (offset != null) {
                    out.put(tp, offset);
                }
            });
            return out;
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("cannot read the committed offsets of " + application + ": " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading the committed offsets of " + application, e);
        }
    }
}
