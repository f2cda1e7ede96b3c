package org.fieldstream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.RejectedRecord;
import org.fieldstream.events.Topics;
import org.fieldstream.platform.TestServices;
import org.fieldstream.producers.Ingest;
import org.fieldstream.producers.IngestSession;
import org.fieldstream.producers.KafkaClients;
import org.fieldstream.producers.KnownAggregates;
import org.fieldstream.producers.ProducerSettings;
import org.fieldstream.producers.ProgramCatalog;
import org.fieldstream.producers.Progress;
import org.fieldstream.producers.http.HttpPushServer;
import org.fieldstream.producers.http.TokenStore;
import org.fieldstream.reference.ReferenceData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile partner on every path, against the real broker and ClickHouse: ndp (a partner of
 * shouhardo3) writes rows naming mms's cohort by HTTP, by HTTP again after the push endpoint
 * restarted with an empty registry, and by file; it writes into a cohort id before mms registers it;
 * it pushes to another program and as another partner. mms's numbers stay exactly those of mms's
 * own rows; ndp's own cohort of the same id is a second cohort. Undecodable records are counted as
 * dead letters, and every accepted row is in field_events.
 */
class PartnerIsolationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String PROGRAM = "shouhardo3";
    private static final String VILLAGE = "bd-kazipur-natuarpara-purbapara";

    @TempDir
    Path work;

    private Map<String, String> config;
    private long accepted;

    @Test
    void noPartnerCanTouchAnothersCohortOnAnyPath() throws Exception {
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String database = "it_isolation_" + run;
        Map<String, String> settings = Map.of(
                "FIELDSTREAM_BOOTSTRAP_SERVERS", TestServices.kafka().bootstrapServers(),
                "FIELDSTREAM_TOPIC_PREFIX", "it-" + run + ".",
                "FIELDSTREAM_CLICKHOUSE_URL", TestServices.clickHouse().httpUrl(),
                "FIELDSTREAM_CLICKHOUSE_DATABASE", database,
                "FIELDSTREAM_STREAMS_APPLICATION_ID", "it-isolation-" + run,
                "FIELDSTREAM_STREAMS_STATE_DIR", work.resolve("state").toString(),
                "FIELDSTREAM_SINK_GROUP_ID", "it-sink-" + run);
        try (Pipeline pipeline = Pipeline.start(settings, ReferenceData.bundled());
             ClickHouseGateway clickHouse = new ClickHouseGateway(TestServices.clickHouse().httpUrl(), "default", "")) {
            config = pipeline.config();
            String db = database;

            // mms: a cohort of three, two sessions
            ingest("mms", "cohorts.csv", "cohort_id,topic,planned_sessions,start_date,org_unit_id\n"
                    + "shared-01,Youth training,4,2026-03-01," + VILLAGE + "\n");
            ingest("mms", "enrolments.csv", "cohort_id,person_key,sex,enrolled_on,age\n"
                    + "shared-01,MMS-1,female,2026-03-01,19\nshared-01,MMS-2,male,2026-03-01,21\nshared-01,MMS-3,female,2026-03-01,17\n");
            ingest("mms", "sessions.csv", "cohort_id,session_number,held_on\nshared-01,1,2026-03-02\nshared-01,2,2026-03-09\n");
            ingest("mms", "attendance.csv", "cohort_id,session_number,person_key,status\n"
                    + "shared-01,1,MMS-1,present\nshared-01,2,MMS-1,present\nshared-01,1,MMS-2,present\nshared-01,1,MMS-3,absent\n");
            String mmsRow = "SELECT enrolled, active, completed, dropped_out, present_total, expected_total FROM " + db
                    + ".v_cohort_retention WHERE partner_id = 'mms' AND cohort_id = 'shared-01' AND sex = 'all' AND age_band = 'all'";
            String mmsOwn = await(() -> clickHouse.query(mmsRow).toString(), r -> r.contains("present_total=3"));

            // ndp over HTTP: an enrolment, an attendance, an exit of mms's person, and a retraction, naming mms's cohort
            TokenStore tokens = TokenStore.ofTokens(Map.of("ndp", "token-ndp", "mms", "token-mms"));
            try (Push push = startPush(tokens)) {
                assertAccepted(post(push, "ndp", "token-ndp", "cohort_id,person_key,sex,enrolled_on\nshared-01,NDP-X1,male,2026-03-01\n"), 1);
                assertAccepted(post(push, "ndp", "token-ndp", "cohort_id,session_number,person_key,status\nshared-01,2,MMS-2,present\n"), 1);
                assertAccepted(post(push, "ndp", "token-ndp", "cohort_id,person_key,reason\nshared-01,MMS-1,dropped_out\n"), 1);
                assertAccepted(post(push, "ndp", "token-ndp", "cohort_id,person_key,sex,enrolled_on,retracted\nshared-01,MMS-3,,,1\n"), 1);
                // another program's route, and mms's route with ndp's token: refused whole
                assertEquals(403, post(push, "ndp", "token-ndp", "/v1/programs/iid-edu/partners/ndp/batches",
                        "cohort_id,person_key,sex,enrolled_on\nshared-01,NDP-X2,male,2026-03-01\n").statusCode());
                assertEquals(403, post(push, "ndp", "token-ndp", "/v1/programs/" + PROGRAM + "/partners/mms/batches",
                        "cohort_id,person_key,sex,enrolled_on\nshared-01,NDP-X3,male,2026-03-01\n").statusCode());
            }
            // a restarted endpoint starts with an empty registry: still no way in
            try (Push push = startPush(tokens)) {
                assertAccepted(post(push, "ndp", "token-ndp", "cohort_id,person_key,sex,enrolled_on\nshared-01,NDP-X4,female,2026-03-01\n"), 1);
                // one record, one identity across channels: mms pushes rows it already sent by file; they are
                // accepted again and land as the same events (the final count of distinct events shows it)
                HttpResponse<String> again = post(push, "mms", "token-mms", "cohort_id,person_key,sex,enrolled_on,age\n"
                        + "shared-01,MMS-1,female,2026-03-01,19\nshared-01,MMS-2,male,2026-03-01,21\n");
                assertEquals(200, again.statusCode(), again.body());
                assertEquals(2, JSON.readTree(again.body()).get("accepted").asInt(), again.body());
            }
            // ndp by file: a session and an attendance in mms's cohort id, and rows before mms registers late-01
            ingest("ndp", "ndp-sessions.csv", "cohort_id,session_number,held_on\nshared-01,3,2026-03-16\n");
            ingest("ndp", "ndp-attendance.csv", "cohort_id,session_number,person_key,status\nshared-01,3,MMS-3,present\n");
            ingest("ndp", "ndp-late.csv", "cohort_id,person_key,sex,enrolled_on\nlate-01,NDP-L1,male,2026-03-01\nlate-01,NDP-L2,male,2026-03-01\n");
            // mms registers late-01 afterwards, with one person of its own
            ingest("mms", "late-cohort.csv", "cohort_id,topic,planned_sessions,start_date,org_unit_id\nlate-01,Late training,4,2026-03-01," + VILLAGE + "\n");
            ingest("mms", "late-enrolment.csv", "cohort_id,person_key,sex,enrolled_on\nlate-01,MMS-9,female,2026-03-01\n");
            // ndp registers a cohort of its own that happens to use the id shared-01
            ingest("ndp", "ndp-cohort.csv", "cohort_id,topic,planned_sessions,start_date,org_unit_id\nshared-01,NDP training,4,2026-03-01," + VILLAGE + "\n");

            String ndpRow = "SELECT enrolled FROM " + db + ".v_cohort_retention WHERE partner_id = 'ndp' AND cohort_id = 'shared-01' AND sex = 'all'";
            await(() -> clickHouse.query(ndpRow).toString(), r -> r.contains("enrolled=2"));
            String lateRow = "SELECT enrolled FROM " + db + ".v_cohort_retention WHERE partner_id = 'mms' AND cohort_id = 'late-01' AND sex = 'all'";
            await(() -> clickHouse.query(lateRow).toString(), r -> r.contains("enrolled=1"));

            assertEquals(mmsOwn, clickHouse.query(mmsRow).toString(), "mms's cohort is exactly what mms sent");
            assertEquals("3", clickHouse.queryValue("SELECT count() FROM " + db
                    + ".v_participant_progress WHERE partner_id = 'mms' AND cohort_id = 'shared-01'"));
            assertEquals("active,active,active", clickHouse.queryValue("SELECT arrayStringConcat(groupArray(status), ',') FROM (SELECT status FROM "
                    + db + ".v_participant_progress WHERE partner_id = 'mms' AND cohort_id = 'shared-01' ORDER BY person_id)"));
            assertEquals("0", clickHouse.queryValue("SELECT count() FROM " + db
                    + ".v_participant_progress WHERE partner_id = 'mms' AND cohort_id = 'late-01' AND person_id IN (SELECT person_id FROM "
                    + db + ".v_participant_progress WHERE partner_id = 'ndp')"));
            // every accepted row is in the raw layer, once, whichever channel it came by
            await(() -> clickHouse.queryValue("SELECT uniqExact(event_id) FROM " + db + ".field_events"), v -> v.equals(Long.toString(accepted)));

            // undecodable input: an event the streams cannot decode, a metric row the sink cannot map
            Topics topics = new Topics(config.get("FIELDSTREAM_TOPIC_PREFIX"));
            try (KafkaProducer<byte[], byte[]> raw = rawProducer()) {
                raw.send(new ProducerRecord<>(topics.events.name(), "x".getBytes(StandardCharsets.UTF_8), "not an event".getBytes(StandardCharsets.UTF_8))).get();
                raw.send(new ProducerRecord<>(topics.cohortRetention.name(), "x".getBytes(StandardCharsets.UTF_8), "not a metric".getBytes(StandardCharsets.UTF_8))).get();
            }
            String deadLetters = "SELECT stage, failed_topic FROM " + db + ".v_dead_letters ORDER BY stage";
            // the sink dead-letters the undecodable event too, so wait for both failed topics, not just both stages
            String landed = await(() -> clickHouse.query(deadLetters).toString(), r -> r.contains("streams") && r.contains("sink")
                    && r.contains("failed_topic=" + topics.events.name()) && r.contains("failed_topic=" + topics.cohortRetention.name()));
            assertTrue(landed.contains("failed_topic=" + topics.events.name()), landed);
            assertTrue(landed.contains("failed_topic=" + topics.cohortRetention.name()), landed);
        }
    }

    private void ingest(String partner, String file, String csv) throws Exception {
        Files.writeString(work.resolve(file), csv);
        try (IngestSession session = IngestSession.open(null, config)) {
            for (Ingest.Result result : session.ingest(PROGRAM, partner, work, List.of(file), Progress.silent())) {
                assertEquals(0, result.rejected(), file + ": " + result.firstRejections());
                accepted += result.accepted();
            }
        }
    }

    private Push startPush(TokenStore tokens) {
        ProducerSettings settings = ProducerSettings.load(null, config);
        Topics topics = new Topics(settings.topicPrefix());
        ProgramCatalog catalog = new ProgramCatalog();
        KafkaClients.loadReference(settings, topics, catalog);
        KafkaProducer<String, FieldEvent> events = KafkaClients.producer(settings, topics.events, "it-push");
        KafkaProducer<String, RejectedRecord> rejected = KafkaClients.producer(settings, topics.rejected, "it-push-rejected");
        HttpPushServer server = HttpPushServer.create(settings, catalog, settings.secrets(), tokens, new KnownAggregates(1000),
                events, rejected, topics, 0).start();
        return new Push(server, events, rejected);
    }

    /** A push endpoint and its producers, stopped together. */
    private record Push(HttpPushServer server, KafkaProducer<String, FieldEvent> events,
                        KafkaProducer<String, RejectedRecord> rejected) implements AutoCloseable {
        int port() {
            return server.port();
        }

        @Override
        public void close() {
            server.stop();
            events.close();
            rejected.close();
        }
    }

    private HttpResponse<String> post(Push push, String partner, String token, String csv) throws IOException, InterruptedException {
        return post(push, partner, token, "/v1/programs/" + PROGRAM + "/partners/" + partner + "/batches", csv);
    }

    private HttpResponse<String> post(Push push, String partner, String token, String path, String csv)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + push.port() + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "text/csv").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(csv)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private void assertAccepted(HttpResponse<String> response, int rows) throws IOException {
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals(rows, body.get("accepted").asInt(), response.body());
        accepted += rows;
    }

    private KafkaProducer<byte[], byte[]> rawProducer() {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("FIELDSTREAM_BOOTSTRAP_SERVERS"));
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static String await(Supplier<String> read, java.util.function.Predicate<String> done) {
        return Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(read::get, done);
    }
}
