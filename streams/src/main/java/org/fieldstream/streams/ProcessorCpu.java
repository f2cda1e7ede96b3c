package org.fieldstream.streams;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.ProcessorWrapper;
import org.apache.kafka.streams.processor.api.WrappedFixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.WrappedProcessorSupplier;

/**
 * Benchmark instrumentation, used only when the Kafka Streams properties name it as
 * {@code processor.wrapper.class}: wraps the metrics processors (the aggregate, person and cell
 * stages) in {@link TimedProcessor}s that add the CPU time of the calling thread spent in their
 * {@code process} and punctuations, once {@link #enable()} has been called, so a benchmark can tell
 * the cost of a single event from the stream thread's background work (polls, commits). Every other
 * node is left as it is.
 */
public final class ProcessorCpu implements ProcessorWrapper {

    private static final Set<String> TIMED = Set.of(MetricsTopology.AGGREGATE_PROCESSOR, OutreachTopology.PERSON_PROCESSOR,
            OutreachTopology.COUNT_PROCESSOR);
    private static volatile boolean enabled;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final LongAdder NANOS = new LongAdder();

    @Override
    public <KIn, VIn, KOut, VOut> WrappedProcessorSupplier<KIn, VIn, KOut, VOut> wrapProcessorSupplier(String name,
            ProcessorSupplier<KIn, VIn, KOut, VOut> supplier) {
        if (!TIMED.contains(name)) {
            return ProcessorWrapper.asWrapped(supplier);
        }
        return new WrappedProcessorSupplier<>() {
            @Override
            public org.apache.kafka.streams.processor.api.Processor<KIn, VIn, KOut, VOut> get() {
                return new TimedProcessor<>(supplier.get());
            }

            @Override
            public Set<org.apache.kafka.streams.state.StoreBuilder<?>> stores() {
                return supplier.stores();
            }
        };
    }

    @Override
    public <KIn, VIn, VOut> WrappedFixedKeyProcessorSupplier<KIn, VIn, VOut> wrapFixedKeyProcessorSupplier(String name,
            FixedKeyProcessorSupplier<KIn, VIn, VOut> supplier) {
        return ProcessorWrapper.asWrappedFixedKey(supplier);
    }

    static long start() {
        return enabled ? THREADS.getCurrentThreadCpuTime() : -1L;
    }

    static void stop(long start) {
        if (start >= 0 && enabled) {
            NANOS.add(THREADS.getCurrentThreadCpuTime() - start);
        }
    }

    /** Starts accounting (a benchmark's live phase; the bulk load runs without it). */
    public static void enable() {
        enabled = true;
    }

    /** CPU nanoseconds spent in the wrapped processors while accounting was on. */
    public static long nanos() {
        return NANOS.sum();
    }
}
