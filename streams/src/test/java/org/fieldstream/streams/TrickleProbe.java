package org.fieldstream.streams;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.Sex;
import org.fieldstream.events.Topic;

/**
 * Benchmark part, not a test: the cost of one live attendance row. A cohort of 500 participants
 * with six sessions held and attended is loaded; then single PRESENT rows for the sixth session
 * arrive one at a time (after a few unmeasured ones), each followed by a quiet window, alternating
 * with windows of the same length without input. Printed: the metric rows each event wrote (all metric topics, read committed),
 * the time from sending the event to its first row on a metric topic (read committed: after the
 * punctuation and the exactly-once commit), and the stream threads' CPU of an event window minus
 * that of an idle window (polling, commits and punctuations cost CPU even without input).
 */
public final class TrickleProbe {

    /** Called with the application id (group) whose input must be fully committed. */
    public interface Await {
        void await(ItKafka kafka, String group) throws Exception;
    }

    private static final int PERSONS = 500;
    /** Events sent before the measured ones: the single-event path warms up (JIT) separately from the bulk load. */
    private static final int WARM_UP = 100;
    private static final int SESSIONS = 6;
    private static final Duration QUIET = Duration.ofMillis(1500);

    private TrickleProbe() {
    }

    public static void run(ItKafka kafka, String appId, int events, Duration punctuation, Duration commit,
                           ToDoubleFunction<String> threadCpu, Await await) throws Exception {
        String aggregate = ItScenario.PROGRAM + "/partner-t/trickle";
        TestEvents ev = new TestEvents(ItScenario.PROGRAM, "partner-t", "upz-1");
        LocalDate first = LocalDate.of(2026, 3, 2);
        List<FieldEvent> setup = new ArrayList<>();
        setup.add(ev.registered(aggregate, 10, first));
        for (int s = 1; s <= SESSIONS; s++) {
            setup.add(ev.held(aggregate, s, first.plusDays(4L * (s - 1)))); // all in March
        }
        for (int p = 0; p < PERSONS; p++) {
            setup.add(ev.enrolled(aggregate, "t-" + p, Sex.values()[p % 4], 15 + p % 30, first.minusDays(1)));
            for (int s = 1; s < SESSIONS; s++) {
                setup.add(ev.present(aggregate, s, "t-" + p));
            }
        }
        kafka.send(setup);
        await.await(kafka, appId);
        ProcessorCpu.enable();
        for (int i = 0; i < WARM_UP; i++) {
            kafka.send(List.of(ev.present(aggregate, SESSIONS, "t-" + (PERSONS - 1 - i)))); // enrolled persons, as the measured ones
            Thread.sleep(100);
        }
        try (KafkaConsumer<String, byte[]> metrics = consumer(kafka)) {
            Thread.sleep(QUIET.toMillis() * 2); // the setup's rows
            drain(metrics, Duration.ofMillis(500));
            double idle = 0;
            double idleSeconds = 0;
            double busy = 0;
            double busySeconds = 0;
            long idleProcessors = 0;
            long busyProcessors = 0;
            int maxRows = 0;
            int rows = 0;
            Map<String, Integer> byTopic = new TreeMap<>();
            List<Long> firstRowMillis = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                double before = threadCpu.applyAsDouble(appId);
                long processors = ProcessorCpu.nanos();
                long t0 = System.nanoTime();
                Thread.sleep(QUIET.toMillis() + 700);
                idle += threadCpu.applyAsDouble(appId) - before;
                idleProcessors += ProcessorCpu.nanos() - processors;
                idleSeconds += (System.nanoTime() - t0) / 1e9;
                drain(metrics, Duration.ZERO);

                FieldEvent present = ev.present(aggregate, SESSIONS, "t-" + i);
                before = threadCpu.applyAsDouble(appId);
                processors = ProcessorCpu.nanos();
                t0 = System.nanoTime();
                kafka.send(List.of(present));
                Written after = awaitRows(metrics);
                List<ConsumerRecord<String, byte[]>> written = after.rows();
                if (!written.isEmpty()) {
                    firstRowMillis.add((after.firstAt() - t0) / 1_000_000);
                }
                busy += threadCpu.applyAsDouble(appId) - before;
                busyProcessors += ProcessorCpu.nanos() - processors;
                busySeconds += (System.nanoTime() - t0) / 1e9;
                rows += written.size();
                maxRows = Math.max(maxRows, written.size());
                written.forEach(r -> byTopic.merge(r.topic().substring(kafka.topics.prefix().length()), 1, Integer::sum));
            }
            java.util.Collections.sort(firstRowMillis);
            double idleRate = idle / idleSeconds;
            double idleProcessorRate = idleProcessors / 1e9 / idleSeconds;
            System.out.printf("trickle:             %d single attendance rows into a %d-person cohort (load average %s)%n"
                    + "  metric rows per event: max %d, mean %.1f %s%n"
                    + "  send to first committed metric row: median %d ms, max %d ms (punctuation every %s, commit every %s)%n"
                    + "  CPU per event in the metrics processors (process + punctuations, all stages): %.3f ms "
                    + "(%.3f ms per event window minus %.3f ms/s of empty punctuations)%n"
                    + "  stream-thread CPU per event, event window minus idle window: %.3f ms (%.3f ms in a %.2f s event window, "
                    + "idle %.3f ms/s: polls, commits after punctuations; noisy under load)%n",
                    events, PERSONS, loadAverage(), maxRows, (double) rows / events, byTopic,
                    firstRowMillis.isEmpty() ? -1 : firstRowMillis.get(firstRowMillis.size() / 2),
                    firstRowMillis.isEmpty() ? -1 : firstRowMillis.get(firstRowMillis.size() - 1), punctuation, commit,
                    (busyProcessors / 1e9 - idleProcessorRate * busySeconds) * 1e3 / events, busyProcessors / 1e6 / events,
                    idleProcessorRate * 1e3, (busy - idleRate * busySeconds) * 1e3 / events, busy * 1e3 / events,
                    busySeconds / events, idleRate * 1e3);
        }
    }

    /** The rows written after an event, and when the first of them arrived (nanoTime; meaningless without rows). */
    private record Written(List<ConsumerRecord<String, byte[]>> rows, long firstAt) {
    }

    /** Rows written after an event: until the first row and then {@link #QUIET} without another (at most 10 s). */
    private static Written awaitRows(KafkaConsumer<String, byte[]> metrics) {
        List<ConsumerRecord<String, byte[]>> rows = new ArrayList<>();
        long firstAt = -1;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long quietUntil = Long.MAX_VALUE;
        while (System.nanoTime() < Math.min(deadline, quietUntil)) {
            int before = rows.size();
            metrics.poll(Duration.ofMillis(20)).forEach(rows::add);
            if (rows.size() > before) {
                if (before == 0) {
                    firstAt = System.nanoTime();
                }
                quietUntil = System.nanoTime() + QUIET.toNanos();
            }
        }
        return new Written(rows, firstAt);
    }

    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "n/a";
        }
    }

    private static void drain(KafkaConsumer<String, byte[]> metrics, Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        do {
            metrics.poll(Duration.ofMillis(50));
        } while (System.nanoTime() < until);
    }

    private static KafkaConsumer<String, byte[]> consumer(ItKafka kafka) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic<String, ?> topic : kafka.topics.metrics()) {
            consumer.partitionsFor(topic.name()).forEach(info -> partitions.add(new TopicPartition(topic.name(), info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }
}
