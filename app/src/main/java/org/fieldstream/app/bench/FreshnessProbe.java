package org.fieldstream.app.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.clickhouse.Sql;
import org.fieldstream.events.DialogueAttended;
import org.fieldstream.events.DialogueHeld;
import org.fieldstream.events.DialogueKind;
import org.fieldstream.events.AggregateIds;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.Sex;
import org.fieldstream.events.Topics;
import org.fieldstream.metrics.DialogueSummary;

/**
 * Freshness: a paced stream of dialogue events (each dialogue: its DialogueHeld, then
 * {@value #PER_DIALOGUE} attendees with person ids) sent at a fixed rate, every event's arrival time
 * recorded at send; a poller reads {@code dialogues} in ClickHouse and notes when each event's effect
 * is queryable: the dialogue's row for its DialogueHeld, {@code attendees >= j} for its j-th attendee.
 * The visible time is the start of the first poll that shows it, so the figures carry up to one poll
 * interval of error either way. {@link #burst(int)} sends the same kind of events unpaced, for the
 * pipeline's sustainable rate of them.
 */
final class FreshnessProbe {

    static final int PER_DIALOGUE = 30;
    private static final long POLL_MS = 50;
    private static final long DRAIN_TIMEOUT_MS = 60_000;

    /**
     * Latencies in milliseconds of the events that became visible in ClickHouse, and how many never
     * did in time; and of the events whose effect reached the committed {@code dialogues} metric
     * topic (the streams' share of the latency: the rest is the sink's batch and ClickHouse).
     */
    record Result(double rate, int sent, double[] latenciesMs, int unseen, double[] onTopicMs) {
        double p50() {
            return Percentiles.of(latenciesMs, 50);
        }

        double p99() {
            return Percentiles.of(latenciesMs, 99);
        }

        double onTopicP50() {
            return Percentiles.of(onTopicMs, 50);
        }

        double onTopicP99() {
            return Percentiles.of(onTopicMs, 99);
        }
    }

    private final String bootstrap;
    private final Topics topics;
    private final ClickHouseGateway clickHouse;
    private final String database;
    private final String programId;
    private final String partnerId;
    private final String orgUnitId;
    private final String run;

    FreshnessProbe(String bootstrap, Topics topics, ClickHouseGateway clickHouse, String database, String programId,
                   String partnerId, String orgUnitId) {
        this.bootstrap = bootstrap;
        this.topics = topics;
        this.clickHouse = clickHouse;
        this.database = database;
        this.programId = programId;
        this.partnerId = partnerId;
        this.orgUnitId = orgUnitId;
        this.run = Long.toString(System.currentTimeMillis(), 36);
    }

    /** Events paced at {@code eventsPerSecond} for {@code seconds}. */
    Result run(double eventsPerSecond, int seconds) throws InterruptedException {
        return send(eventsPerSecond, wholeDialogues((int) (eventsPerSecond * seconds)));
    }

    /** {@code events} (rounded down to whole dialogues) sent as fast as the producer takes them. */
    Result burst(int events) throws InterruptedException {
        return send(Double.POSITIVE_INFINITY, wholeDialogues(events));
    }

    /** {@code events} rounded down to whole dialogues, at least one. */
    private static int wholeDialogues(int events) {
        return Math.max(PER_DIALOGUE, events / PER_DIALOGUE * PER_DIALOGUE);
    }

    private Result send(double eventsPerSecond, int total) throws InterruptedException {
        long[] sentAt = new long[total];
        long[] seenAt = new long[total];
        AtomicInteger sentCount = new AtomicInteger();
        long[] onTopicAt = new long[total];
        Thread poller = new Thread(() -> poll(sentAt, seenAt, sentCount, total), "freshness-poller");
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> watchTopic(onTopicAt, sentCount, total, watching), "freshness-topic-watcher");
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (KafkaProducer<String, FieldEvent> producer = new KafkaProducer<>(config, new StringSerializer(),
                topics.events.valueSerde().serializer())) {
            watcher.start();
            poller.start();
            long start = System.nanoTime();
            double nanosPerEvent = 1e9 / eventsPerSecond;
            for (int k = 0; k < total; k++) {
                long due = start + (long) (k * nanosPerEvent);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                FieldEvent event = event(k);
                sentAt[k] = System.nanoTime();
                sentCount.set(k + 1);
                producer.send(new ProducerRecord<>(topics.events.name(), event.getAggregateId(), event));
            }
            producer.flush();
        }
        poller.join(DRAIN_TIMEOUT_MS + 10_000);
        watching.set(false);
        watcher.join(10_000);
        double[] latencies = new double[total];
        int seen = 0;
        for (int k = 0; k < total; k++) {
            if (seenAt[k] != 0) {
                latencies[seen++] = Math.max(0, seenAt[k] - sentAt[k]) / 1e6;
            }
        }
        double[] onTopic = new double[total];
        int reached = 0;
        for (int k = 0; k < total; k++) {
            if (onTopicAt[k] != 0) {
                onTopic[reached++] = Math.max(0, onTopicAt[k] - sentAt[k]) / 1e6;
            }
        }
        return new Result(eventsPerSecond, total, Arrays.copyOf(latencies, seen), total - seen, Arrays.copyOf(onTopic, reached));
    }

    /**
     * Reads the committed {@code dialogues} metric topic from its end (read_committed: what the sink
     * can read) and notes when each event's effect first appears there, as the poller does for
     * ClickHouse.
     */
    private void watchTopic(long[] onTopicAt, AtomicInteger sentCount, int total, AtomicBoolean watching) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        String prefix = dialogueId(0).substring(0, dialogueId(0).lastIndexOf('-') + 1);
        try (KafkaConsumer<String, DialogueSummary> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                topics.dialogues.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topics.dialogues.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            int[] reached = new int[total / PER_DIALOGUE];
            while (watching.get()) {
                for (ConsumerRecord<String, DialogueSummary> record : consumer.poll(Duration.ofMillis(20))) {
                    DialogueSummary row = record.value();
                    if (row == null || !row.getDialogueId().startsWith(prefix)) {
                        continue;
                    }
                    long now = System.nanoTime();
                    int d = Integer.parseInt(row.getDialogueId().substring(prefix.length()));
                    int shown = Math.min(PER_DIALOGUE, row.getAttendees() + 1);
                    reached[d] = mark(onTopicAt, d, reached[d], shown, sentCount.get(), now);
                }
            }
        }
    }

    private void poll(long[] sentAt, long[] seenAt, AtomicInteger sentCount, int total) {
        int dialogues = total / PER_DIALOGUE;
        int[] visible = new int[dialogues]; // events of each dialogue seen so far
        int low = 0;
        long deadline = Long.MAX_VALUE;
        while (low < dialogues && System.nanoTime() < deadline) {
            int sent = sentCount.get();
            if (sent == total && deadline == Long.MAX_VALUE) {
                deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MS);
            }
            int high = Math.min(dialogues - 1, Math.max(0, (sent - 1) / PER_DIALOGUE));
            long pollStart = System.nanoTime();
            List<Map<String, String>> rows = clickHouse.query("SELECT dialogue_id, max(attendees) AS a FROM " + database
                    + ".dialogues WHERE program_id = " + Sql.literal(programId) + " AND partner_id = " + Sql.literal(partnerId)
                    + " AND dialogue_id >= '" + dialogueId(low) + "' AND dialogue_id <= '" + dialogueId(high)
                    + "' GROUP BY dialogue_id"); // the table's sorting key starts with program and partner
            for (Map<String, String> row : rows) {
                int d = Integer.parseInt(row.get("dialogue_id").substring(row.get("dialogue_id").lastIndexOf('-') + 1));
                int shown = Math.min(PER_DIALOGUE, Integer.parseInt(row.get("a")) + 1); // the held event plus attendees
                visible[d] = mark(seenAt, d, visible[d], shown, sent, pollStart);
            }
            while (low < dialogues && visible[low] >= PER_DIALOGUE) {
                low++;
            }
            long sleep = POLL_MS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pollStart);
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /**
     * Notes {@code at} as the time the events of dialogue {@code d} from position {@code from} up to
     * {@code shown} became visible, counting only events already sent; returns the new position.
     */
    private static int mark(long[] at, int d, int from, int shown, int sent, long now) {
        int p = from;
        while (p < shown && d * PER_DIALOGUE + p < sent) {
            at[d * PER_DIALOGUE + p] = now;
            p++;
        }
        return p;
    }

    String dialogueId(int d) {
        return String.format(Locale.ROOT, "FRESH-%s-%08d", run, d);
    }

    private FieldEvent event(int k) {
        int d = k / PER_DIALOGUE;
        int position = k % PER_DIALOGUE;
        String dialogue = dialogueId(d);
        Instant now = Instant.now();
        Object payload = position == 0
                ? DialogueHeld.newBuilder().setDialogueId(dialogue).setKind(DialogueKind.COMMUNITY_CONSULTATION)
                        .setTopic("benchmark freshness").setHeldOn(LocalDate.parse("2026-05-15")).build()
                : DialogueAttended.newBuilder().setDialogueId(dialogue).setPersonId("fresh-" + run + "-" + k)
                        .setRole("participant").setSex(k % 2 == 0 ? Sex.FEMALE : Sex.MALE).setAge(20 + k % 40).build();
        String id = dialogue + "-" + position;
        return FieldEvent.newBuilder().setEventId(id).setRootId(id).setRevision(1).setProgramId(programId)
                .setPartnerId(partnerId).setOrgUnitId(orgUnitId).setAggregateId(AggregateIds.of(programId, partnerId, dialogue)).setOccurredAt(now)
                .setReceivedAt(now).setSource("api").setSourceRef("bench:" + k).setPayload(payload).build();
    }
}
