package org.fieldstream.streams;

import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * A processor with {@link ProcessorCpu}'s timing around its {@code process} and around every
 * punctuation it schedules (through a context that wraps the punctuators); everything else is the
 * wrapped processor's own.
 */
final class TimedProcessor<KIn, VIn, KOut, VOut> implements Processor<KIn, VIn, KOut, VOut> {

    private final Processor<KIn, VIn, KOut, VOut> inner;

    TimedProcessor(Processor<KIn, VIn, KOut, VOut> inner) {
        this.inner = inner;
    }

    @Override
    public void init(ProcessorContext<KOut, VOut> context) {
        inner.init(new TimedContext<>(context));
    }

    @Override
    public void process(Record<KIn, VIn> record) {
        long cpu = ProcessorCpu.start();
        inner.process(record);
        ProcessorCpu.stop(cpu);
    }

    @Override
    public void close() {
        inner.close();
    }

    private static Punctuator timed(Punctuator punctuator) {
        return timestamp -> {
            long cpu = ProcessorCpu.start();
            punctuator.punctuate(timestamp);
            ProcessorCpu.stop(cpu);
        };
    }

    /** The processor's context, with its punctuators timed. */
    private record TimedContext<K, V>(ProcessorContext<K, V> context) implements ProcessorContext<K, V> {

        @Override
        public Cancellable schedule(Duration interval, PunctuationType type, Punctuator callback) {
            return context.schedule(interval, type, timed(callback));
        }

        @Override
        public Cancellable schedule(Instant startTime, Duration interval, PunctuationType type, Punctuator callback) {
            return context.schedule(startTime, interval, type, timed(callback));
        }

        @Override
        public <K1 extends K, V1 extends V> void forward(Record<K1, V1> record) {
            context.forward(record);
        }

        @Override
        public <K1 extends K, V1 extends V> void forward(Record<K1, V1> record, String childName) {
            context.forward(record, childName);
        }

        @Override
        public String applicationId() {
            return context.applicationId();
        }

        @Override
        public TaskId taskId() {
            return context.taskId();
        }

        @Override
        public Optional<RecordMetadata> recordMetadata() {
            return context.recordMetadata();
        }

        @Override
        public Serde<?> keySerde() {
            return context.keySerde();
        }

        @Override
        public Serde<?> valueSerde() {
            return context.valueSerde();
        }

        @Override
        public File stateDir() {
            return context.stateDir();
        }

        @Override
        public StreamsMetrics metrics() {
            return context.metrics();
        }

        @Override
        public <S extends StateStore> S getStateStore(String name) {
            return context.getStateStore(name);
        }

        @Override
        public void commit() {
            context.commit();
        }

        @Override
        public Map<String, Object> appConfigs() {
            return context.appConfigs();
        }

        @Override
        public Map<String, Object> appConfigsWithPrefix(String prefix) {
            return context.appConfigsWithPrefix(prefix);
        }

        @Override
        public long currentSystemTimeMs() {
            return context.currentSystemTimeMs();
        }

        @Override
        public long currentStreamTimeMs() {
            return context.currentStreamTimeMs();
        }
    }
}
