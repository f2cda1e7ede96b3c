package org.fieldstream.sink;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the sink tells its operators: a progress line per interval (rows, rate, lag, retries, dead
 * letters, blocked), a WARN per dead letter (its record and reason, never its content; at most
 * {@link #WARNED_DEAD_LETTERS} per interval, the rest counted), and a stalled write counted as
 * blocked: a ClickHouse that hangs rather than fails is reported as truthfully as one that is down.
 */
final class SinkProgress {

    private static final Logger LOG = LoggerFactory.getLogger(SinkLoop.class);
    static final int WARNED_DEAD_LETTERS = 20;
    /** A write running longer than this counts as blocked (ClickHouse stalled rather than failing). */
    static final long STALLED_WRITE_MILLIS = 10_000;

    private final Consumer<String, byte[]> consumer;
    private final SinkStats stats;
    private final String group;
    private final long intervalMillis;
    /** Dead letters since the last report; counted on the consumer and the write thread. */
    private final AtomicInteger deadLettersSinceReport = new AtomicInteger();
    private long lastReportAt;
    private long rowsAtLastReport;

    SinkProgress(Consumer<String, byte[]> consumer, SinkStats stats, String group, long intervalMillis, long now) {
        this.consumer = consumer;
        this.stats = stats;
        this.group = group;
        this.intervalMillis = intervalMillis;
        this.lastReportAt = now;
    }

    void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        if (deadLettersSinceReport.incrementAndGet() <= WARNED_DEAD_LETTERS) {
            LOG.warn("dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), reason);
        }
    }

    /** Updates the blocked state every turn; logs a progress line once per interval. */
    void report(long now, long writeRunningMillis, boolean writeFailing) {
        stats.writeRunning(writeRunningMillis);
        stats.blocked(writeFailing || writeRunningMillis >= STALLED_WRITE_MILLIS);
        if (now - lastReportAt < intervalMillis) {
            return;
        }
        long lag = lag();
        stats.lag(lag);
        long rows = stats.getRowsWritten();
        double seconds = Math.max(1, now - lastReportAt) / 1000.0;
        if (writeRunningMillis >= STALLED_WRITE_MILLIS) {
            LOG.warn("a write to ClickHouse has been running for {} s (server slow or stalled); nothing is committed meanwhile",
                    writeRunningMillis / 1000);
        }
        LOG.info("sink progress: group={} rows_written={} rows_per_s={} lag={} retries={} dead_letters={} blocked={} write_running_ms={}",
                group, rows, Math.round((rows - rowsAtLastReport) / seconds), lag, stats.getWriteRetries(),
                stats.getDeadLettered(), stats.isBlocked(), writeRunningMillis);
        lastReportAt = now;
        rowsAtLastReport = rows;
        deadLettersSinceReport.set(0);
    }

    private long lag() {
        long total = 0;
        try {
            for (TopicPartition tp : consumer.assignment()) {
                OptionalLong lag = consumer.currentLag(tp);
                if (lag.isPresent()) {
                    total += lag.getAsLong();
                }
            }
            return total;
        } catch (UnsupportedOperationException | IllegalStateException e) {
            return -1;
        }
    }
}
