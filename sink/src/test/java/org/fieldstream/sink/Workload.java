package org.fieldstream.sink;

import java.util.concurrent.CountDownLatch;

import java.util.concurrent.atomic.AtomicInteger;

import org.fieldstream.metrics.CohortRetention;

/**
 * A deterministic stream for the crash and outage ITs: {@code events} distinct events over 20
 * cohorts, interleaved with {@code cohorts x versions} upserts of cohort retention whose last
 * version per cohort has enrolled = versions. Produced at a steady pace on its own thread.
 */
final class Workload implements Runnable {

    static final int COHORTS = 20;

    private final ItSupport it;
    private final int events;
    private final int versions;
    private final int perTick;
    private final long tickMillis;
    final AtomicInteger sent = new AtomicInteger();
    /** The workload stops after {@code holdAt} events until {@link #release} is counted down. */
    private volatile int holdAt = Integer.MAX_VALUE;
    final CountDownLatch release = new CountDownLatch(1);
    private volatile Throwable failure;

    Workload(ItSupport it, int events, int versions, int perTick, long tickMillis) {
        this.it = it;
        this.events = events;
        this.versions = versions;
        this.perTick = perTick;
        this.tickMillis = tickMillis;
    }

    /** Sends the first {@code events} events, then waits for {@link #release} before the rest. */
    Workload holdingAt(int events) {
        this.holdAt = events;
        return this;
    }

    int metricRecords() {
        return COHORTS * versions;
    }

    @Override
    public void run() {
        try {
            int metricEvery = Math.max(1, events / metricRecords());
            int metric = 0;
            for (int i = 0; i < events; i++) {
                if (i == holdAt) {
                    it.producer.flush();
                    release.await();
                }
                String cohort = "C" + (i % COHORTS);
                it.send(it.topics.events.name(), cohort,
                        Samples.event("e-" + i, "r-" + i, 1, cohort, Samples.attendance(cohort, 1 + i / COHORTS, "p" + i)));
                if (i % metricEvery == 0 && metric < metricRecords()) {
                    sendMetric(metric++);
                }
                if (sent.incrementAndGet() % perTick == 0) {
                    it.producer.flush();
                    ItSupport.sleep(tickMillis);
                }
            }
            while (metric < metricRecords()) {
                sendMetric(metric++);
            }
            it.producer.flush();
        } catch (Throwable e) {
            failure = e;
        }
    }

    // versions of one cohort go out in increasing order, as the streams emit them
    private void sendMetric(int n) {
        int cohort = n % COHORTS;
        int version = 1 + n / COHORTS;
        CohortRetention value = CohortRetention.newBuilder(Samples.retention("C" + cohort, version, version)).build();
        it.send(it.topics.cohortRetention.name(), "C" + cohort + "|all|all", value);
    }

    void assertNoFailure() {
        if (failure != null) {
            throw new AssertionError("workload failed", failure);
        }
    }
}
