package org.fieldstream.sink;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Dead letters kept in memory; {@link #flushed()} holds those flushed before a commit. */
final class RecordingDeadLetters implements DeadLetters {

    record Letter(String topic, int partition, long offset, String reason) {
    }

    private final List<Letter> pending = new ArrayList<>();
    private final List<Letter> flushed = new ArrayList<>();

    @Override
    public void send(ConsumerRecord<String, byte[]> record, String reason) {
        pending.add(new Letter(record.topic(), record.partition(), record.offset(), reason));
    }

    @Override
    public void flush() {
        flushed.addAll(pending);
        pending.clear();
    }

    List<Letter> flushed() {
        return List.copyOf(flushed);
    }

    @Override
    public void close() {
    }
}
