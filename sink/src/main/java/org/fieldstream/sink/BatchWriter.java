package org.fieldstream.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fieldstream.sink.TableWriter.WriteFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's write stage for one batch: its rows table by table, then its dead letters, then its
 * positions (the commit follows on the consumer thread). When ClickHouse refuses the data of an
 * insert (not the connection), the rows are halved until the refused ones are found; those become
 * dead letters with the server's error summarised ({@link ServerMessages}), the rest are written.
 * A refused row of the dead-letter table itself is logged and skipped: dead-lettering it again would
 * loop on its own topic.
 */
final class BatchWriter {

    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);
    static final String DEAD_LETTER_TABLE = "dead_letters";

    private final TableWriter writer;
    private final DeadLetters deadLetters;
    /** Table to the columns its rows fill. */
    private final Map<String, List<String>> columns;
    private final String group;
    private final BiConsumer<ConsumerRecord<String, byte[]>, String> onRefused;

    BatchWriter(TableWriter writer, DeadLetters deadLetters, Map<String, List<String>> columns, String group,
                BiConsumer<ConsumerRecord<String, byte[]>, String> onRefused) {
        this.writer = writer;
        this.deadLetters = deadLetters;
        this.columns = columns;
        this.group = group;
        this.onRefused = onRefused;
    }

    void write(Batch batch) {
        for (Map.Entry<String, List<Batch.Entry>> table : new ArrayList<>(batch.rowsByTable().entrySet())) {
            writeIsolating(batch, table.getKey(), List.copyOf(table.getValue()));
        }
        if (!batch.rejects().isEmpty()) {
            batch.rejects().forEach(r -> deadLetters.send(r.source(), r.reason()));
            deadLetters.flush();
        }
        writer.recordPositions(group, batch.nextOffsets());
    }

    private void writeIsolating(Batch batch, String table, List<Batch.Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try {
            writer.write(table, columns.get(table), entries.stream().map(Batch.Entry::row).toList());
        } catch (WriteFailure e) {
            if (!e.rejectsData()) {
                throw e;
            }
            if (entries.size() == 1) {
                refused(batch, table, entries, e);
                return;
            }
            int half = entries.size() / 2;
            writeIsolating(batch, table, entries.subList(0, half));
            writeIsolating(batch, table, entries.subList(half, entries.size()));
        }
    }

    private void refused(Batch batch, String table, List<Batch.Entry> entries, WriteFailure e) {
        ConsumerRecord<String, byte[]> source = entries.get(0).source();
        if (table.equals(DEAD_LETTER_TABLE)) {
            LOG.error("ClickHouse refused the dead-letter row from {}-{}@{}; skipped: {}", source.topic(),
                    source.partition(), source.offset(), ServerMessages.summary(e.getMessage()));
            batch.drop(table, entries);
            return;
        }
        String reason = "ClickHouse refused the row: " + ServerMessages.summary(e.getMessage());
        onRefused.accept(source, reason);
        batch.reject(table, entries, reason);
    }
}
