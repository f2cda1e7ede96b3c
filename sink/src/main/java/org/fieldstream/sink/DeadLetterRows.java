package org.fieldstream.sink;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A dead letter (a record of the dead-letter topic) as a row of {@code dead_letters}: which stage
 * gave up on which record and why, read from the headers; the record's key and value (which may hold
 * anything) are never read. Two header sets are understood: the sink's own ({@link KafkaDeadLetters})
 * and Kafka Streams' dead-letter queue ({@code __streams.errors.*}, written for input the streams
 * could not decode).
 *
 * <p>Total: every record gives a row, whatever its headers, so a dead letter can never be
 * dead-lettered again (which would loop on the same topic).
 */
final class DeadLetterRows {

    static final List<String> COLUMNS = List.of("stage", "failed_topic", "failed_partition", "failed_offset", "reason",
            "failed_at", "version", "source_topic", "source_partition", "source_offset");

    static final String STREAMS_TOPIC = "__streams.errors.topic";
    static final String STREAMS_PARTITION = "__streams.errors.partition";
    static final String STREAMS_OFFSET = "__streams.errors.offset";
    static final String STREAMS_EXCEPTION = "__streams.errors.exception";
    static final String STREAMS_MESSAGE = "__streams.errors.message";

    /** Reasons are cut to this many characters: enough to act on, never a payload dump. */
    static final int MAX_REASON = 300;
    /** 2105-12-31 23:59:59 UTC, the last DateTime ClickHouse 18.16 stores. */
    private static final long LAST_SECOND = 4291747199L;

    private DeadLetterRows() {
    }

    static RecordMapper mapper() {
        TsvRow row = new TsvRow();
        return RecordMapper.of(COLUMNS, record -> {
            Headers headers = record.headers();
            boolean fromStreams = headers.lastHeader(STREAMS_TOPIC) != null;
            String stage = fromStreams ? "streams" : text(headers, KafkaDeadLetters.HEADER_STAGE, "sink");
            String topic = text(headers, fromStreams ? STREAMS_TOPIC : KafkaDeadLetters.HEADER_TOPIC, "");
            long partition = number(headers, fromStreams ? STREAMS_PARTITION : KafkaDeadLetters.HEADER_PARTITION);
            long offset = number(headers, fromStreams ? STREAMS_OFFSET : KafkaDeadLetters.HEADER_OFFSET);
            String reason = fromStreams
                    ? text(headers, STREAMS_EXCEPTION, "") + ": " + text(headers, STREAMS_MESSAGE, "")
                    : text(headers, KafkaDeadLetters.HEADER_REASON, "");
            long failedAt = Math.max(0, Math.min(LAST_SECOND * 1000, record.timestamp()));
            return row.begin().text(stage).text(topic).integer(partition).integer(offset).text(cut(reason))
                    .timestamp("failed_at", Instant.ofEpochMilli(failedAt)).integer(record.offset())
                    .text(record.topic()).integer(record.partition()).integer(record.offset()).end();
        });
    }

    private static String text(Headers headers, String name, String otherwise) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? otherwise : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static long number(Headers headers, String name) {
        String text = text(headers, name, "-1");
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String cut(String reason) {
        String oneLine = reason.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= MAX_REASON ? oneLine : oneLine.substring(0, MAX_REASON) + "...";
    }
}
