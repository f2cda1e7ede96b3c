package org.fieldstream.app.bench;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fieldstream.events.DialogueAttended;
import org.fieldstream.events.DialogueHeld;
import org.fieldstream.events.DialogueKind;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.Sex;
import org.fieldstream.events.Topics;
import org.fieldstream.sink.ClickHouseGateway;

/**
 * Freshness: a paced stream of dialogue events (each dialogue: its DialogueHeld, then
 * {@value #PER_DIALOGUE} attendees with person ids) sent at a fixed rate, every event's arrival time
 * recorded at send; a poller reads {@code dialogues} in ClickHouse and notes when each event's effect
 * is queryable: the dialogue's row for its DialogueHeld, {@code attendees >= j} for its j-th attendee.
 * The visible time is the start of the first poll that shows it, so the figures carry up to one poll
 * interval of error either way.
 */
final class FreshnessProbe {

    static final int PER_DIALOGUE = 30;
    private static final long POLL_MS = 50;
    private static final long DRAIN_TIMEOUT_MS = 60_000;

    /** Latencies in milliseconds of the events that became visible, and how many never did in time. */
    record Result(double rate, int sent, double[] latenciesMs, int unseen) {
        double p50() {
            return Percentiles.of(latenciesMs, 50);
        }

        double p99() {
            return Percentiles.of(latenciesMs, 99);
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

    Result run(double eventsPerSecond, int seconds) throws InterruptedException {
        int total = Math.max(PER_DIALOGUE, (int) (eventsPerSecond * seconds) / PER_DIALOGUE * PER_DIALOGUE);
        long[] sentAt = new long[total];
        long[] seenAt = new long[total];
        AtomicInteger sentCount = new AtomicInteger();
        Thread poller = new Thread(() -> poll(sentAt, seenAt, sentCount, total), "freshness-poller");
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (KafkaProducer<String, FieldEvent> producer = new KafkaProducer<>(config, new StringSerializer(),
                topics.events.valueSerde().serializer())) {
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
        double[] latencies = new double[total];
        int seen = 0;
        for (int k = 0; k < total; k++) {
            if (seenAt[k] != 0) {
                latencies[seen++] = Math.max(0, seenAt[k] - sentAt[k]) / 1e6;
            }
        }
        return new Result(eventsPerSecond, total, Arrays.copyOf(latencies, seen), total - seen);
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
                    + ".dialogues WHERE dialogue_id >= '" + dialogueId(low) + "' AND dialogue_id <= '" + dialogueId(high)
                    + "' GROUP BY dialogue_id");
            for (Map<String, String> row : rows) {
                int d = Integer.parseInt(row.get("dialogue_id").substring(row.get("dialogue_id").lastIndexOf('-') + 1));
                int shown = Math.min(PER_DIALOGUE, Integer.parseInt(row.get("a")) + 1); // the held event plus attendees
                int p = visible[d];
                while (p < shown && d * PER_DIALOGUE + p < sent) { // only events sent before this poll began
                    seenAt[d * PER_DIALOGUE + p] = pollStart;
                    p++;
                }
                visible[d] = p;
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
                .setPartnerId(partnerId).setOrgUnitId(orgUnitId).setAggregateId(dialogue).setOccurredAt(now)
                .setReceivedAt(now).setSource("api").setSourceRef("bench:" + k).setPayload(payload).build();
    }
}
