package org.fieldstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.fieldstream.clickhouse.Sql;
import org.fieldstream.metrics.CohortRetention;
import org.fieldstream.platform.TestServices;
import org.fieldstream.reference.Target;
import org.fieldstream.schema.MigrationFile;
import org.fieldstream.schema.Migrations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Events, metrics and reference records produced with a real producer land in real ClickHouse 18.16
 * (or whatever server TestServices runs) and read back row by row; everything is produced twice
 * and still shows once through the FINAL views.
 */
class SinkRoundTripIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static ItSupport it;
    private static List<Integer> firstMigration;
    private static List<Integer> secondMigration;
    private static SinkStats stats;

    @BeforeAll
    static void produceAndSink() {
        it = new ItSupport();
        firstMigration = Migrations.apply(it.gateway, it.database);
        secondMigration = Migrations.apply(it.gateway, it.database);
        for (int round = 0; round < 2; round++) {
            produceEverything();
            it.sendRaw(it.topics.events.name(), "C1", "not avro".getBytes(StandardCharsets.UTF_8));
        }
        // an older version arriving after a newer one must not win
        it.send(it.topics.cohortRetention.name(), "C1|all|all", Samples.retention("C1", 1, 99));
        it.producer.flush();
        try (InProcessSink sink = new InProcessSink(it.settings(1_000, 200))) {
            Set<String> topics = new HashSet<>(TableMappings.topicNames(it.topics));
            it.awaitCaughtUp(topics, WAIT);
            stats = sink.stats();
        }
    }

    private static void produceEverything() {
        String events = it.topics.events.name();
        it.send(events, "C1", Samples.event("e-reg", "r-reg", 1, "C1", Samples.cohort("C1")));
        it.send(events, "C1", Samples.event("e-enr1", "r-enr1", 1, "C1", Samples.enrolled("C1", "p1")));
        it.send(events, "C1", Samples.event("e-enr2", "r-enr2", 1, "C1", Samples.enrolled("C1", "p2")));
        it.send(events, "C1", Samples.event("e-ses1", "r-ses1", 1, "C1", Samples.session("C1", 1)));
        it.send(events, "C1", Samples.event("e-att1", "r-att1", 1, "C1", Samples.attendance("C1", 1, "p1")));
        it.send(events, "C1", Samples.event("e-exit", "r-exit", 1, "C1", Samples.exited("C1", "p2")));
        it.send(events, "C1", Samples.event("e-enr2-x", "r-enr2", 2, "C1", Samples.retracted("entered twice")));
        it.send(events, "D1", Samples.event("e-dlg", "r-dlg", 1, "D1", Samples.dialogue("D1")));
        it.send(events, "D1", Samples.event("e-dat", "r-dat", 1, "D1", Samples.dialogueAttended("D1", null)));

        it.send(it.topics.cohortRetention.name(), "C1|all|all", Samples.retention("C1", 1, 3));
        it.send(it.topics.cohortRetention.name(), "C1|all|all", Samples.retention("C1", 2, 4));
        it.send(it.topics.cohortRetentionByGroup.name(), "C1|female|youth_15_29",
                CohortRetention.newBuilder(Samples.retention("C1", 1, 2)).setSex("female").setAgeBand("youth_15_29").build());
        it.send(it.topics.cohortRetentionByGroup.name(), "C1|male|under_15",
                CohortRetention.newBuilder(Samples.retention("C1", 1, 0)).setSex("male").setAgeBand("under_15").build());
        it.send(it.topics.participantProgress.name(), "C1|p1", Samples.progress("C1", "p1", 1));
        it.send(it.topics.retentionCurve.name(), "C1|1", Samples.curve("C1", 1, 1));
        it.send(it.topics.outreach.name(), "P1|month|2026-03", Samples.outreach("2026-03", 12, 1));
        it.send(it.topics.dialogues.name(), "D1", Samples.dialogueSummary("D1", 1));
        it.send(it.topics.dialogueAttendance.name(), "D1|official|female", Samples.dialogueAttendance("D1", "official", 1));

        it.send(it.topics.programs.name(), "P1", Samples.program("P1"));
        it.send(it.topics.partners.name(), "PN1", Samples.partner("PN1"));
        it.send(it.topics.orgUnits.name(), "DT1", Samples.orgUnit("DT1", "district", null));
        it.send(it.topics.orgUnits.name(), "U1", Samples.orgUnit("U1", "union", "DT1"));
        it.send(it.topics.targets.name(), "P1|enrolled|all|program|P1", Samples.target("enrolled", 8));
        it.send(it.topics.targets.name(), "P1|people_reached|all|program|P1", Samples.target("people_reached", 100));
        it.send(it.topics.targets.name(), "P1|enrolled|2026|program|P1", Target.newBuilder(Samples.target("enrolled", 6))
                .setPeriod("2026").build());
    }

    @AfterAll
    static void close() {
        it.close();
    }

    @Test
    void migrationsAppliedTwiceAreANoOp() {
        List<Integer> all = Migrations.bundled().stream().map(MigrationFile::version).toList();
        assertEquals(IntStream.rangeClosed(1, all.size()).boxed().toList(), all, "versions run 1, 2, 3, ... without gaps");
        assertEquals(all, firstMigration);
        assertEquals(List.of(), secondMigration);
        assertEquals(all.size(), it.count("SELECT count() FROM " + it.table("schema_migrations")));
    }

    @Test
    void eventsLandOncePerEventIdWithEveryColumn() {
        assertEquals(9, it.count("SELECT count() FROM " + it.table("v_field_events")));
        assertEquals(9, it.count("SELECT uniqExact(event_id) FROM " + it.table("field_events")));
        Map<String, String> enrolment = it.gateway.query("SELECT * FROM " + it.table("v_field_events")
                + " WHERE event_id = " + Sql.literal("e-enr1")).get(0);
        assertEquals("participant_enrolled", enrolment.get("event_type"));
        assertEquals("C1", enrolment.get("cohort_id"));
        assertEquals("p1", enrolment.get("person_id"));
        assertEquals("female", enrolment.get("sex"));
        assertEquals("2004", enrolment.get("birth_year"));
        assertNull(enrolment.get("age"));
        assertNull(enrolment.get("org_unit_id"));
        assertEquals("2026-03-02", enrolment.get("enrolled_on"));
        assertEquals("2026-03-02 08:15:30", enrolment.get("occurred_at"));
        assertEquals(it.topics.events.name(), enrolment.get("source_topic"));

        Map<String, String> cohort = it.gateway.query("SELECT topic, planned_sessions, end_date FROM " + it.table("v_field_events")
                + " WHERE event_type = 'training_cohort_registered'").get(0);
        assertEquals("লিঙ্গ সমতা — gender equality", cohort.get("topic"));
        assertEquals("8", cohort.get("planned_sessions"));
        assertNull(cohort.get("end_date"));

        Map<String, String> retraction = it.gateway.query("SELECT retraction_reason, reason FROM " + it.table("v_field_events")
                + " WHERE event_type = 'record_retracted'").get(0);
        assertEquals("entered twice", retraction.get("retraction_reason"));
        assertNull(retraction.get("reason"));
    }

    @Test
    void currentEventsDropRetractedRecords() {
        List<String> current = it.gateway.query("SELECT event_id FROM " + it.table("v_field_events_current") + " ORDER BY event_id")
                .stream().map(r -> r.get("event_id")).toList();
        assertEquals(List.of("e-att1", "e-dat", "e-dlg", "e-enr1", "e-exit", "e-reg", "e-ses1"), current);
    }

    @Test
    void metricsShowTheHighestVersionOncePerGrain() {
        List<Map<String, String>> retention = it.gateway.query("SELECT * FROM " + it.table("v_cohort_retention"));
        assertEquals(1, retention.size());
        Map<String, String> row = retention.get(0);
        assertEquals("2", row.get("version"));
        assertEquals("4", row.get("enrolled"));
        assertEquals("3", row.get("active"));
        assertEquals("0.25", row.get("dropout_rate"));
        assertEquals("2026-03-02 08:15:30", row.get("as_of"));
        assertEquals("2026-03-02 08:15:31", row.get("updated_at"));
        assertEquals("U1", row.get("org_unit_id"));

        Map<String, String> group = it.gateway.query("SELECT * FROM " + it.table("v_cohort_retention_by_group")
                + " WHERE enrolled = 2").get(0);
        assertEquals("female", group.get("sex"));
        assertEquals("nan", it.gateway.queryValue("SELECT retention_rate FROM " + it.table("v_cohort_retention_by_group")
                + " WHERE enrolled = 0"));

        Map<String, String> progress = it.gateway.query("SELECT * FROM " + it.table("v_participant_progress")).get(0);
        assertEquals("p1", progress.get("person_id"));
        assertNull(progress.get("last_session_present"));

        for (String view : List.of("v_cohort_retention_by_group", "v_participant_progress", "v_retention_curve", "v_outreach",
                "outreach_monthly", "v_dialogues", "v_dialogue_attendance", "v_programs", "v_partners", "v_targets")) {
            long expected = view.equals("v_targets") ? 3 : view.equals("v_cohort_retention_by_group") ? 2 : 1;
            assertEquals(expected, it.count("SELECT count() FROM " + it.table(view)), view);
        }
        assertEquals(2, it.count("SELECT count() FROM " + it.table("v_org_units")));
        assertEquals("ঢাকা", it.gateway.queryValue("SELECT name_bn FROM " + it.table("v_org_units") + " WHERE org_unit_id = 'U1'"));
        assertEquals(0, it.count("SELECT count() FROM " + it.table("outreach_quarterly")));
    }

    @Test
    void dashboardsJoinReferenceData() {
        Map<String, String> district = it.gateway.query("SELECT * FROM " + it.table("dash_retention_by_partner_district")).get(0);
        assertEquals("Partner PN1", district.get("partner_name"));
        assertEquals("DT1", district.get("district_id"));
        assertEquals("Unit DT1", district.get("district_name"));
        assertEquals("4", district.get("enrolled"));
        assertEquals("0.75", district.get("retention_rate"));

        // enrolled counts the current enrolments (participant rows) by enrolment date, in every period holding it
        Map<String, String> enrolled = it.gateway.query("SELECT * FROM " + it.table("dash_targets_vs_actuals")
                + " WHERE indicator = 'enrolled' AND period = 'all'").get(0);
        assertEquals("8", enrolled.get("target"));
        assertEquals("1", enrolled.get("actual"));
        assertEquals("0.125", enrolled.get("achievement"));
        Map<String, String> yearly = it.gateway.query("SELECT * FROM " + it.table("dash_targets_vs_actuals")
                + " WHERE indicator = 'enrolled' AND period = '2026'").get(0);
        assertEquals("6", yearly.get("target"));
        assertEquals("1", yearly.get("actual"), yearly.toString());
        assertEquals(1 / 6.0, Double.parseDouble(yearly.get("achievement")), 1e-12);
        // a target whose period holds no record has the actual 0, never an empty one
        Map<String, String> reachedToDate = it.gateway.query("SELECT * FROM " + it.table("dash_targets_vs_actuals")
                + " WHERE indicator = 'people_reached' AND period = 'all'").get(0);
        assertEquals("0", reachedToDate.get("actual"), reachedToDate.toString());

        Map<String, String> reached = it.gateway.query("SELECT * FROM " + it.table("dash_people_reached_by_month")).get(0);
        assertEquals("2026-03", reached.get("month"));
        assertEquals("12", reached.get("people_reached"));

        Map<String, String> fresh = it.gateway.query("SELECT * FROM " + it.table("dash_freshness")
                + " WHERE table_name = 'cohort_retention'").get(0);
        assertEquals("2026-03-02 08:15:30", fresh.get("as_of"));
        assertEquals("1", fresh.get("row_count"));
        // every event was sent twice: the count is of distinct events, whenever the server merges duplicates
        Map<String, String> events = it.gateway.query("SELECT * FROM " + it.table("dash_freshness")
                + " WHERE table_name = 'field_events'").get(0);
        assertEquals("9", events.get("row_count"), events.toString());
        assertEquals(1, it.count("SELECT count() FROM " + it.table("dash_survival_by_program")));
    }

    @Test
    void everyViewIsSelectable() {
        List<Map<String, String>> views = it.gateway.query("SELECT name FROM system.tables WHERE database = "
                + Sql.literal(it.database) + " AND engine = 'View' ORDER BY name");
        assertTrue(views.size() >= 22, "views: " + views);
        for (Map<String, String> view : views) {
            it.gateway.query("SELECT * FROM " + it.table(view.get("name")) + " LIMIT 5");
        }
    }

    @Test
    void undecodableRecordsGoToTheDeadLetterTopicWithTheReason() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServices.kafka().bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, it.group + "-dlt-reader");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(it.deadLetterTopic));
            long deadline = System.currentTimeMillis() + 20_000;
            while (System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(letters::add);
                if (letters.size() >= 2) {
                    // keep polling briefly to see nothing extra arrives
                    consumer.poll(Duration.ofSeconds(1)).forEach(letters::add);
                    break;
                }
            }
        }
        assertEquals(2, letters.size());
        assertEquals(2, stats.getDeadLettered());
        for (ConsumerRecord<byte[], byte[]> letter : letters) {
            assertEquals("not avro", new String(letter.value(), StandardCharsets.UTF_8));
            assertEquals(it.topics.events.name(), header(letter, KafkaDeadLetters.HEADER_TOPIC));
            assertTrue(header(letter, KafkaDeadLetters.HEADER_REASON).contains("FieldEvent"), header(letter, KafkaDeadLetters.HEADER_REASON));
            Long.parseLong(header(letter, KafkaDeadLetters.HEADER_OFFSET));
        }
    }

    @Test
    void stringLiteralsRoundTripThroughTheServer() {
        String nasty = "it's a \\ \"test\"\t\nঢাকা; DROP TABLE x; --";
        assertEquals(nasty, it.gateway.queryValue("SELECT " + Sql.literal(nasty) + " AS s"));
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
