package org.fieldstream.sink;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.fieldstream.sink.TableWriter.WriteFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where newly assigned partitions resume: at the later of the group's committed offset and the
 * position recorded with the rows in ClickHouse (a crash between writing and committing loses the
 * commit, never the recorded position). A partition reads nothing until its position is known;
 * reading the positions is retried with backoff while ClickHouse is unreachable.
 */
final class PartitionPositions {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionPositions.class);

    private final Consumer<String, byte[]> consumer;
    private final TableWriter writer;
    private final String group;
    private final Backoff backoff;
    private final SinkStats stats;
    private final Set<TopicPartition> unpositioned = new HashSet<>();

    PartitionPositions(Consumer<String, byte[]> consumer, TableWriter writer, String group, Backoff backoff, SinkStats stats) {
        this.consumer = consumer;
        this.writer = writer;
        this.group = group;
        this.backoff = backoff;
        this.stats = stats;
    }

    void assigned(Collection<TopicPartition> partitions) {
        unpositioned.addAll(partitions);
    }

    void handedOver(Collection<TopicPartition> partitions) {
        unpositioned.removeAll(partitions);
    }

    /** Partitions whose position is not known yet (kept paused). */
    Set<TopicPartition> pending() {
        return unpositioned;
    }

    /** Seeks the pending partitions to their recorded positions when due; keeps them pending on failure. */
    void position(long now) {
        if (unpositioned.isEmpty() || !backoff.due(now)) {
            return;
        }
        Set<TopicPartition> pending = Set.copyOf(unpositioned);
        try {
            Map<TopicPartition, Long> stored = writer.positions(group, pending);
            Map<TopicPartition, OffsetAndMetadata> ahead = new HashMap<>();
            for (TopicPartition tp : pending) {
                Long written = stored.get(tp);
                if (written != null && written > consumer.position(tp)) {
                    LOG.info("resuming {} at offset {}: rows up to there are already written", tp, written);
                    consumer.seek(tp, written);
                    ahead.put(tp, new OffsetAndMetadata(written));
                }
            }
            unpositioned.removeAll(pending);
            backoff.reset();
            commit(ahead);
        } catch (WriteFailure e) {
            stats.retry();
            long delay = backoff.fail(now);
            LOG.warn("cannot read written positions of {} partitions, retry in {} ms: {}", pending.size(), delay, e.getMessage());
        }
    }

    /**
     * Commits the recorded positions the group's offsets lag behind (the commit a crash lost), so
     * that the group's lag is true even when no new record arrives on those partitions.
     */
    private void commit(Map<TopicPartition, OffsetAndMetadata> ahead) {
        if (ahead.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(ahead);
        } catch (CommitFailedException | RebalanceInProgressException e) {
            LOG.warn("recorded positions not committed, a rebalance came first: {}", e.getMessage());
        }
    }
}
