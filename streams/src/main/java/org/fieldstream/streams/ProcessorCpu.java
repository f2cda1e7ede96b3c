package org.fieldstream.streams;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Benchmark instrumentation, off unless {@code -Dfieldstream.cpu.accounting=true} or {@link #enable()}: CPU time of the
 * calling thread spent in the metrics processors ({@code process} and punctuations of the aggregate,
 * person and cell stages), so a benchmark can tell the cost of a single event from the stream
 * thread's background work (polls, commits). Off, it costs one branch per call.
 */
public final class ProcessorCpu {

    private static volatile boolean enabled = Boolean.getBoolean("fieldstream.cpu.accounting");
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final LongAdder NANOS = new LongAdder();

    private ProcessorCpu() {
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

    /** CPU nanoseconds spent in the processors while accounting was on. */
    public static long nanos() {
        return NANOS.sum();
    }
}
