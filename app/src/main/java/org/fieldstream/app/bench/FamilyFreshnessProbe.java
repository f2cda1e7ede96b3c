package org.fieldstream.app.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.fieldstream.app.bench.FamilyFreshness.Family;
import org.fieldstream.app.bench.FamilyFreshness.Sample;
import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.clickhouse.Sql;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.RejectedRecord;
import org.fieldstream.events.Topics;
import org.fieldstream.metrics.CohortRetention;
import org.fieldstream.metrics.DialogueAttendance;
import org.fieldstream.metrics.DialogueSummary;
import org.fieldstream.metrics.OutreachCount;
import org.fieldstream.metrics.ParticipantProgress;
import org.fieldstream.metrics.RetentionCurvePoint;
import org.fieldstream.producers.KafkaClients;
import org.fieldstream.producers.KnownAggregates;
import org.fieldstream.producers.ProducerSettings;
import org.fieldstream.producers.ProgramCatalog;
import org.fieldstream.producers.http.HttpPushServer;
import org.fieldstream.producers.http.TokenStore;

/**
 * Freshness of every metric family, from a partner's push to the HTTP push endpoint (run in this JVM
 * over the pipeline's Kafka) until the effect is queryable in ClickHouse. Each try registers a
 * cohort of one new person with one held session and a dialogue (untimed, waited for in ClickHouse),
 * then pushes, one at a time and each after a random pause of up to one punctuation interval:
 * <ol>
 * <li>the person's presence at the session: participant progress, cohort retention (total), the
 * survival curve (total, session 1) and the person's first reach in the partner's outreach cells
 * of month, quarter and to date (sex and age band all);</li>
 * <li>an attendee of the dialogue, a person never reached before: the dialogue's row, its attendance
 * row and the same outreach cells once more.</li>
 * </ol>
 * A poller reads ClickHouse every {@value #POLL_MS} ms (one query for all families of the push; the
 * visible time is the start of the first poll that shows the effect); a read_committed consumer of
 * the metric topics notes when each effect is on its committed topic (streams and its exactly-once
 * commit; the rest is the sink's batch and the insert). Outreach cells are matched by count, so the
 * probe's partner must receive no other new persons while it runs.
 */
final class FamilyFreshnessProbe implements AutoCloseable {

    private static final long POLL_MS = 50;
    private static final long PAUSE_MS = 500;
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** The setup of a try may wait for streams and sink to start. */
    private static final Duration SETUP_WAIT = Duration.ofSeconds(90);
    private static final String MONTH = "2026-05";
    private static final String QUARTER = "2026-Q2";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final Topics topics;
    private final ClickHouseGateway clickHouse;
    private final String database;
    private final String programId;
    private final String partnerId;
    private final String orgUnitId;
    private final String run;
    private final String token;
    private final HttpPushServer server;
    private final KafkaProducer<String, FieldEvent> events;
    private final KafkaProducer<String, RejectedRecord> rejected;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread watcher;
    private volatile boolean watching = true;
    /** "family|id|value" of the probe's rows on the committed metric topics, and when each was first read. */
    private final Map<String, Long> onTopic = new ConcurrentHashMap<>();
    private int tries;

    /**
     * Starts a push endpoint on a free port for {@code partnerId} of {@code programId} and the topic
     * watcher. {@code config}: the pipeline's FIELDSTREAM_* settings, the program's secret included.
     */
    FamilyFreshnessProbe(Map<String, String> config, Topics topics, ClickHouseGateway clickHouse, String database,
                         String programId, String partnerId, String orgUnitId) {
        this.topics = topics;
        this.clickHouse = clickHouse;
        this.database = database;
        this.programId = programId;
        this.partnerId = partnerId;
        this.orgUnitId = orgUnitId;
        this.run = Long.toString(System.nanoTime(), 36);
        this.token = "bench-" + run;
        ProducerSettings settings = ProducerSettings.load(null, config);
        ProgramCatalog catalog = new ProgramCatalog();
        KafkaClients.loadReference(settings, topics, catalog);
        events = KafkaClients.producer(settings, topics.events, "bench-freshness-push");
        rejected = KafkaClients.producer(settings, topics.rejected, "bench-freshness-push-rejected");
        server = HttpPushServer.create(settings, catalog, settings.secrets(), TokenStore.ofTokens(Map.of(partnerId, token)),
                new KnownAggregates(10_000), events, rejected, topics, 0).start();
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("FIELDSTREAM_BOOTSTRAP_SERVERS"),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(topics.participantProgress.name(), topics.cohortRetention.name(), topics.retentionCurve.name(),
                topics.dialogues.name(), topics.dialogueAttendance.name(), topics.outreach.name())) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        watcher = new Thread(this::watch, "family-freshness-topic-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Up to {@code count} tries, fewer when {@code keepGoing} turns false; two pushes each. */
    List<Sample> run(int count, BooleanSupplier keepGoing) throws IOException, InterruptedException {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < count && keepGoing.getAsBoolean(); i++) {
            samples.addAll(tryOnce(tries++));
        }
        return samples;
    }

    private List<Sample> tryOnce(int i) throws IOException, InterruptedException {
        String cohort = "fresh-" + run + "-" + i;
        String dialogue = "fresh-dialogue-" + run + "-" + i;
        push("cohort_id,topic,planned_sessions,start_date,org_unit_id\n" + cohort + ",Freshness probe,4,2026-05-01," + orgUnitId + "\n");
        push("cohort_id,person_key,sex,enrolled_on,age\n" + cohort + "," + cohort + "-p,female,2026-05-01,25\n");
        push("cohort_id,session_number,held_on\n" + cohort + ",1,2026-05-04\n");
        push("dialogue_id,kind,topic,held_on,org_unit_id\n" + dialogue + ",community_consultation,Freshness probe,2026-05-15," + orgUnitId + "\n");
        awaitValue("SELECT toInt64(count()) FROM " + database + ".cohort_retention WHERE " + own() + " AND cohort_id = "
                + Sql.literal(cohort) + " AND sex = 'all' AND enrolled >= 1 AND sessions_held >= 1");
        awaitValue("SELECT toInt64(count()) FROM " + database + ".dialogues WHERE " + own() + " AND dialogue_id = " + Sql.literal(dialogue));

        List<Sample> samples = new ArrayList<>();
        Map<Family, Long> targets = outreachTargets();
        targets.put(Family.PARTICIPANT_PROGRESS, 1L);
        targets.put(Family.COHORT_RETENTION, 1L);
        targets.put(Family.SURVIVAL_CURVE, 1L);
        samples.addAll(measure("cohort_id,session_number,person_key,status\n" + cohort + ",1," + cohort + "-p,present\n", cohort, targets));

        targets = outreachTargets();
        targets.put(Family.DIALOGUES, 1L);
        targets.put(Family.DIALOGUE_ATTENDANCE, 1L);
        samples.addAll(measure("dialogue_id,attendee_no,role,sex,person_key,age\n" + dialogue + ",1,participant,male," + dialogue + "-p,30\n",
                dialogue, targets));
        return samples;
    }

    /** The partner's outreach cells as they are now in ClickHouse, each plus one: a new person's reach. */
    private Map<Family, Long> outreachTargets() {
        Map<Family, Long> now = values(query(Set.of(Family.OUTREACH_MONTH, Family.OUTREACH_QUARTER, Family.OUTREACH_TO_DATE), ""));
        Map<Family, Long> targets = new EnumMap<>(Family.class);
        now.forEach((f, v) -> targets.put(f, v + 1));
        return targets;
    }

    /** After a random pause, pushes {@code csv} and follows every family of {@code targets} until it shows its target. */
    private List<Sample> measure(String csv, String id, Map<Family, Long> targets) throws IOException, InterruptedException {
        Thread.sleep(ThreadLocalRandom.current().nextLong(PAUSE_MS));
        String sql = query(targets.keySet(), id);
        long sent = System.nanoTime();
        push(csv);
        Map<Family, Long> seenAt = new EnumMap<>(Family.class);
        long deadline = sent + WAIT.toNanos();
        while (seenAt.size() < targets.size() && System.nanoTime() < deadline) {
            long pollStart = System.nanoTime();
            values(sql).forEach((family, value) -> {
                if (value >= targets.get(family)) {
                    seenAt.putIfAbsent(family, pollStart);
                }
            });
            long sleep = POLL_MS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pollStart);
            if (sleep > 0) {
                Thread.sleep(sleep);
            }
        }
        // a family not seen in time counts as unseen; the next push's outreach targets need it landed first
        long drain = System.nanoTime() + SETUP_WAIT.toNanos();
        while (!reached(values(sql), targets) && System.nanoTime() < drain) {
            Thread.sleep(POLL_MS);
        }
        Thread.sleep(100); // the topic watcher polls every 20 ms
        List<Sample> samples = new ArrayList<>();
        targets.forEach((family, target) -> {
            Long visible = seenAt.get(family);
            Long topic = firstOnTopic(family, id, target, sent);
            samples.add(new Sample(family, topic == null ? Double.NaN : (topic - sent) / 1e6,
                    visible == null ? Double.NaN : Math.max(0, visible - sent) / 1e6));
        });
        return samples;
    }

    private static boolean reached(Map<Family, Long> values, Map<Family, Long> targets) {
        return targets.entrySet().stream().allMatch(t -> values.getOrDefault(t.getKey(), 0L) >= t.getValue());
    }

    private Long firstOnTopic(Family family, String id, long target, long sent) {
        Long first = null;
        for (long v = target; v < target + 10; v++) {
            Long at = onTopic.get(key(family, outreach(family) ? periodKind(family) : id, v));
            if (at != null && at >= sent && (first == null || at < first)) {
                first = at;
            }
        }
        return first;
    }

    /** One query for the given families: a row per family with its value for {@code id} (the cohort or dialogue). */
    private String query(Set<Family> families, String id) {
        List<String> parts = new ArrayList<>();
        for (Family f : families) {
            String where = switch (f) {
                case PARTICIPANT_PROGRESS -> "max(sessions_attended)#cohort_id = " + Sql.literal(id);
                case COHORT_RETENTION -> "max(present_total)#cohort_id = " + Sql.literal(id) + " AND sex = 'all' AND age_band = 'all'";
                case SURVIVAL_CURVE -> "max(surviving)#cohort_id = " + Sql.literal(id) + " AND session_number = 1 AND sex = 'all' AND age_band = 'all'";
                case DIALOGUES -> "max(attendees)#dialogue_id = " + Sql.literal(id);
                case DIALOGUE_ATTENDANCE -> "max(attendees)#dialogue_id = " + Sql.literal(id);
                case OUTREACH_MONTH, OUTREACH_QUARTER, OUTREACH_TO_DATE -> "max(people_reached)#period_kind = '" + periodKind(f)
                        + "' AND period = '" + period(f) + "' AND dimension = 'partner' AND dimension_id = " + Sql.literal(partnerId)
                        + " AND sex = 'all' AND age_band = 'all'";
            };
            String[] split = where.split("#", 2);
            String scope = outreach(f) ? "program_id = " + Sql.literal(programId) : own();
            parts.add("SELECT '" + f.name() + "' AS family, toInt64(" + split[0] + ") AS value FROM " + database + "." + f.table
                    + " WHERE " + scope + " AND " + split[1]);
        }
        return String.join(" UNION ALL ", parts);
    }

    private Map<Family, Long> values(String sql) {
        Map<Family, Long> out = new EnumMap<>(Family.class);
        for (Map<String, String> row : clickHouse.query(sql)) {
            out.put(Family.valueOf(row.get("family")), Long.parseLong(row.get("value")));
        }
        return out;
    }

    private String own() {
        return "program_id = " + Sql.literal(programId) + " AND partner_id = " + Sql.literal(partnerId);
    }

    private void awaitValue(String sql) throws InterruptedException {
        long deadline = System.nanoTime() + SETUP_WAIT.toNanos();
        while (Long.parseLong(clickHouse.queryValue(sql)) < 1) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the freshness probe's setup rows did not reach ClickHouse within " + SETUP_WAIT + ": " + sql);
            }
            Thread.sleep(POLL_MS);
        }
    }

    private void push(String csv) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/programs/" + programId
                        + "/partners/" + partnerId + "/batches"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "text/csv").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(csv)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || !response.body().replace(" ", "").contains("\"accepted\":1")) {
            throw new IllegalStateException("the push endpoint did not accept the freshness probe's row: HTTP "
                    + response.statusCode() + " " + response.body());
        }
    }

    /** Notes the probe's rows on the committed metric topics: the first time each (family, id, value) is read. */
    private void watch() {
        while (watching) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                if (r.value() == null) {
                    continue;
                }
                long now = System.nanoTime();
                String topic = r.topic();
                if (topic.equals(topics.participantProgress.name())) {
                    ParticipantProgress p = topics.participantProgress.valueSerde().deserializer().deserialize(topic, r.value());
                    if (mine(p.getProgramId(), p.getPartnerId(), p.getCohortId())) {
                        note(Family.PARTICIPANT_PROGRESS, p.getCohortId(), p.getSessionsAttended(), now);
                    }
                } else if (topic.equals(topics.cohortRetention.name())) {
                    CohortRetention c = topics.cohortRetention.valueSerde().deserializer().deserialize(topic, r.value());
                    if (mine(c.getProgramId(), c.getPartnerId(), c.getCohortId()) && all(c.getSex(), c.getAgeBand())) {
                        note(Family.COHORT_RETENTION, c.getCohortId(), c.getPresentTotal(), now);
                    }
                } else if (topic.equals(topics.retentionCurve.name())) {
                    RetentionCurvePoint c = topics.retentionCurve.valueSerde().deserializer().deserialize(topic, r.value());
                    if (mine(c.getProgramId(), c.getPartnerId(), c.getCohortId()) && all(c.getSex(), c.getAgeBand()) && c.getSessionNumber() == 1) {
                        note(Family.SURVIVAL_CURVE, c.getCohortId(), c.getSurviving(), now);
                    }
                } else if (topic.equals(topics.dialogues.name())) {
                    DialogueSummary d = topics.dialogues.valueSerde().deserializer().deserialize(topic, r.value());
                    if (mine(d.getProgramId(), d.getPartnerId(), d.getDialogueId())) {
                        note(Family.DIALOGUES, d.getDialogueId(), d.getAttendees(), now);
                    }
                } else if (topic.equals(topics.dialogueAttendance.name())) {
                    DialogueAttendance d = topics.dialogueAttendance.valueSerde().deserializer().deserialize(topic, r.value());
                    if (mine(d.getProgramId(), d.getPartnerId(), d.getDialogueId())) {
                        note(Family.DIALOGUE_ATTENDANCE, d.getDialogueId(), d.getAttendees(), now);
                    }
                } else if (topic.equals(topics.outreach.name())) {
                    OutreachCount o = topics.outreach.valueSerde().deserializer().deserialize(topic, r.value());
                    if (o.getProgramId().equals(programId) && o.getDimension().equals("partner") && o.getDimensionId().equals(partnerId)
                            && all(o.getSex(), o.getAgeBand())) {
                        for (Family f : List.of(Family.OUTREACH_MONTH, Family.OUTREACH_QUARTER, Family.OUTREACH_TO_DATE)) {
                            if (o.getPeriodKind().equals(periodKind(f)) && o.getPeriod().equals(period(f))) {
                                note(f, periodKind(f), o.getPeopleReached(), now);
                            }
                        }
                    }
                }
            }
        }
    }

    private boolean mine(String program, String partner, String id) {
        return program.equals(programId) && partner.equals(partnerId) && id.contains(run);
    }

    private static boolean all(String sex, String ageBand) {
        return sex.equals("all") && ageBand.equals("all");
    }

    private void note(Family family, String id, long value, long now) {
        onTopic.putIfAbsent(key(family, id, value), now);
    }

    private static String key(Family family, String id, long value) {
        return family.name() + "|" + id + "|" + value;
    }

    private static boolean outreach(Family f) {
        return f == Family.OUTREACH_MONTH || f == Family.OUTREACH_QUARTER || f == Family.OUTREACH_TO_DATE;
    }

    private static String periodKind(Family f) {
        return switch (f) {
            case OUTREACH_MONTH -> "month";
            case OUTREACH_QUARTER -> "quarter";
            default -> "to_date";
        };
    }

    private static String period(Family f) {
        return switch (f) {
            case OUTREACH_MONTH -> MONTH;
            case OUTREACH_QUARTER -> QUARTER;
            default -> "all";
        };
    }

    @Override
    public void close() throws InterruptedException {
        watching = false;
        watcher.join(5_000);
        consumer.close();
        server.stop();
        events.close();
        rejected.close();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "family freshness probe of %s/%s (%d tries)", programId, partnerId, tries);
    }
}
