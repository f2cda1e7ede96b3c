package org.fieldstream.producers.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.ParticipantEnrolled;
import org.fieldstream.events.RejectedRecord;
import org.fieldstream.events.SettingKeys;
import org.fieldstream.events.TopicSetup;
import org.fieldstream.events.Topics;
import org.fieldstream.platform.TestServices;
import org.fieldstream.producers.KafkaClients;
import org.fieldstream.producers.KnownAggregates;
import org.fieldstream.producers.ProducerSettings;
import org.fieldstream.producers.ProgramCatalog;
import org.fieldstream.producers.ProgramSecrets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The push endpoint against the real broker: refusals, a 10,000-row batch read back, a row over the
 * row limit, and the server still up.
 */
class HttpPushIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final int MAX_BODY = 12 * 1024 * 1024;

    private static String bootstrap;
    private static Topics topics;
    private static HttpPushServer server;
    private static KafkaProducer<String, FieldEvent> events;
    private static KafkaProducer<String, RejectedRecord> rejected;

    @BeforeAll
    static void start() {
        bootstrap = TestServices.kafka().bootstrapServers();
        topics = new Topics("it-" + UUID.randomUUID() + ".");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicSetup.ensure(admin, topics, 3, (short) 1);
        }
        ProducerSettings settings = ProducerSettings.of(Map.of(SettingKeys.BOOTSTRAP_SERVERS.key(), bootstrap,
                SettingKeys.HTTP_MAX_BODY_BYTES.key(), Integer.toString(MAX_BODY)), Map.of());
        ProgramCatalog catalog = new ProgramCatalog().addProgram("P1", LocalDate.parse("2026-01-01"))
                .addProgram("P2", LocalDate.parse("2026-01-01"))
                .addPartner("X", "P1").addPartner("Y", "P1").addPartner("Z", "P2");
        ProgramSecrets secrets = new ProgramSecrets(Map.of("FIELDSTREAM_SECRET_P1", "http-push-it-secret-0001"), null);
        TokenStore tokens = TokenStore.ofTokens(Map.of("X", "token-of-x", "Y", "token-of-y", "Z", "token-of-z"));
        events = KafkaClients.producer(settings, topics.events, "http-it");
        rejected = KafkaClients.producer(settings, topics.rejected, "http-it-rejected");
        server = HttpPushServer.create(settings, catalog, secrets, tokens, new KnownAggregates(100_000), events, rejected,
                topics, 0).start();
    }

    @AfterAll
    static void stop() {
        server.stop();
        events.close();
        rejected.close();
    }

    private HttpResponse<String> post(String path, String token, String type, byte[] body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String token, String type, String body, String... headers)
            throws IOException, InterruptedException {
        return post(path, token, type, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    private static final String X_BATCHES = "/v1/programs/P1/partners/X/batches";
    private static final String COHORT = "cohort_id,topic,planned_sessions,start_date,org_unit_id\nHC1,t,6,2026-02-01,U1\n";

    @Test
    void refusesBadTokensOtherPartnersOversizeAndMalformedBodiesAndKeepsServing() throws Exception {
        assertEquals(401, post(X_BATCHES, "wrong", "text/csv", COHORT).statusCode());
        assertEquals(401, post(X_BATCHES, null, "text/csv", COHORT).statusCode());
        assertEquals(403, post(X_BATCHES, "token-of-y", "text/csv", COHORT).statusCode(), "Y's token for X's data");
        HttpResponse<String> otherProgram = post("/v1/programs/P2/partners/X/batches", "token-of-x", "text/csv", COHORT);
        assertEquals(403, otherProgram.statusCode());
        assertTrue(otherProgram.body().contains("partner X belongs to program P1, not P2"), otherProgram.body());
        String claimsY = "{\"layout\":\"cohorts\",\"cohort_id\":\"HC9\",\"topic\":\"t\",\"planned_sessions\":6,"
                + "\"start_date\":\"2026-02-01\",\"org_unit_id\":\"U1\",\"partner_id\":\"Y\"}";
        HttpResponse<String> foreign = post(X_BATCHES, "token-of-x", "application/x-ndjson", claimsY);
        assertEquals(403, foreign.statusCode());
        assertTrue(foreign.body().contains("row is for partner Y"), foreign.body());

        byte[] big = new byte[MAX_BODY + 1];
        java.util.Arrays.fill(big, (byte) 'a');
        assertEquals(413, post(X_BATCHES, "token-of-x", "text/csv", big).statusCode());
        assertEquals(400, post(X_BATCHES, "token-of-x", "application/json", "[{\"layout\":\"cohorts\",").statusCode());
        assertEquals(400, post(X_BATCHES, "token-of-x", "application/json", "{not json").statusCode());
        assertEquals(400, post(X_BATCHES, "token-of-x", "text/csv", "foo,bar\n1,2\n").statusCode());
        assertEquals(400, post(X_BATCHES, "token-of-x", "text/csv", "").statusCode());
        assertEquals(415, post(X_BATCHES, "token-of-x", "application/xml", "<a/>").statusCode());

        HttpResponse<String> ok = post(X_BATCHES, "token-of-x", "text/csv", COHORT);
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals(1, JSON.readTree(ok.body()).get("accepted").asInt());
        // nothing of the refused requests reached Kafka: only HC1 is on the topic from this test
        Set<String> aggregates = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : org.fieldstream.producers.TopicReading.all(bootstrap, topics.events.name())) {
            aggregates.add(new String(r.key(), StandardCharsets.UTF_8));
        }
        assertTrue(aggregates.contains("P1/X/HC1"), aggregates.toString());
        assertTrue(aggregates.stream().noneMatch(a -> a.endsWith("/HC9")), "the refused batch published nothing");
    }

    @Test
    void aRowOverTheRowLimitIsARejectedRowAndTheRowsAfterItLand() throws Exception {
        String requestId = "it-long-row-" + UUID.randomUUID();
        String body = "cohort_id,topic,planned_sessions,start_date,org_unit_id\n"
                + "LR1,t,6,2026-02-01,U1\n"
                + "LR2," + "x".repeat(10 * 1024 * 1024 / 8) + ",6,2026-02-01,U1\n"
                + "LR3,t,6,2026-02-01,U1\n";
        HttpResponse<String> response = post(X_BATCHES, "token-of-x", "text/csv", body, "X-Request-Id", requestId);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode reply = JSON.readTree(response.body());
        assertEquals(2, reply.get("accepted").asInt());
        assertEquals(1, reply.get("rejected").asInt());
        JsonNode rejection = reply.get("rejections").get(0);
        assertEquals(requestId + "#2", rejection.get("ref").asText());
        assertTrue(rejection.get("reason").asText().contains("more than the row limit of 65,536 bytes"), rejection.toString());
        Set<String> aggregates = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : org.fieldstream.producers.TopicReading.all(bootstrap, topics.events.name())) {
            aggregates.add(new String(r.key(), StandardCharsets.UTF_8));
        }
        assertTrue(aggregates.containsAll(List.of("P1/X/LR1", "P1/X/LR3")), aggregates.toString());
        assertFalse(aggregates.contains("P1/X/LR2"));
    }

    /**
     * A refusal answered before the body arrived must say {@code Connection: close}: the endpoint
     * closes such a connection, and a client that pools it would send its next request into the close.
     */
    @Test
    void aRefusalSentBeforeTheBodyArrivedClosesTheConnectionAndSaysSo() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            String head = "POST " + X_BATCHES + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer token-of-x\r\n"
                    + "Content-Type: application/xml\r\nContent-Length: 4\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            java.io.BufferedReader in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String status = in.readLine();
            assertTrue(status != null && status.startsWith("HTTP/1.1 415"), String.valueOf(status));
            List<String> headers = new ArrayList<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                headers.add(line.toLowerCase(java.util.Locale.ROOT));
            }
            assertTrue(headers.contains("connection: close"), headers.toString());
            in.skip(headers.stream().filter(h -> h.startsWith("content-length: ")).mapToLong(h -> Long.parseLong(h.substring(16))).sum());
            assertEquals(-1, in.read(), "the connection is closed after the refusal");
        }
    }

    @Test
    void listensOnLoopbackByDefault() {
        assertTrue(server.address().getAddress().isLoopbackAddress(), server.address().toString());
    }

    @Test
    void tenThousandRowPushIsAcceptedAndRejectedRowByRowAndReadableBack() throws Exception {
        StringBuilder cohorts = new StringBuilder("cohort_id,topic,planned_sessions,start_date,org_unit_id\n");
        for (int c = 0; c < 20; c++) {
            cohorts.append("BC").append(c).append(",নারী নেতৃত্ব,12,2026-02-01,U").append(c).append('\n');
        }
        HttpResponse<String> registered = post(X_BATCHES, "token-of-x", "text/csv", cohorts.toString());
        assertEquals(200, registered.statusCode(), registered.body());

        StringBuilder rows = new StringBuilder("\uFEFFperson_key,cohort_id,sex,enrolled_on,name\n");
        Set<Integer> bad = new HashSet<>();
        for (int i = 1; i <= 10_000; i++) {
            boolean planted = i % 500 == 0;
            if (planted) {
                bad.add(i);
            }
            rows.append("BIG-P-").append(i).append(",BC").append(i % 20).append(',').append(planted ? "woman" : "f")
                    .append(",2026-02-0").append(1 + i % 9).append(",\"Name, ").append(i).append("\"\n");
        }
        String requestId = "it-batch-" + UUID.randomUUID();
        HttpResponse<String> response = post(X_BATCHES, "token-of-x", "text/csv; charset=utf-8", rows.toString(),
                "X-Request-Id", requestId);
        assertEquals(200, response.statusCode(), response.statusCode() + " " + response.body().substring(0, 200));
        JsonNode body = JSON.readTree(response.body());
        assertEquals(10_000, body.get("rows").asInt());
        assertEquals(10_000 - bad.size(), body.get("accepted").asInt());
        assertEquals(bad.size(), body.get("rejected").asInt());
        List<String> rejectedRefs = new ArrayList<>();
        for (JsonNode row : body.get("rejections")) {
            rejectedRefs.add(row.get("ref").asText());
            assertEquals("sex", row.get("field").asText());
        }
        assertEquals(0, body.get("rejections_not_listed").asInt());
        List<String> plantedRefs = bad.stream().sorted().map(i -> requestId + "#" + i).toList();
        assertEquals(plantedRefs, rejectedRefs);

        Set<String> published = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : org.fieldstream.producers.TopicReading.all(bootstrap, topics.events.name())) {
            FieldEvent e = topics.events.valueSerde().deserializer().deserialize(r.topic(), r.value());
            if (e.getSourceRef().startsWith(requestId + "#")) {
                assertTrue(e.getPayload() instanceof ParticipantEnrolled);
                assertEquals("api", e.getSource());
                assertTrue(published.add(e.getSourceRef()), "one event per row");
            }
        }
        Set<String> expectedAccepted = new HashSet<>();
        for (int i = 1; i <= 10_000; i++) {
            if (!bad.contains(i)) {
                expectedAccepted.add(requestId + "#" + i);
            }
        }
        assertEquals(expectedAccepted, published, "every accepted row is on the events topic");
        List<String> onRejectedTopic = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : org.fieldstream.producers.TopicReading.all(bootstrap, topics.rejected.name())) {
            RejectedRecord rr = topics.rejected.valueSerde().deserializer().deserialize(r.topic(), r.value());
            if (rr.getSourceRef().startsWith(requestId + "#")) {
                onRejectedTopic.add(rr.getSourceRef());
                assertTrue(!rr.getRaw().contains("BIG-P-") && !rr.getRaw().contains("Name, "), rr.getRaw());
            }
        }
        assertEquals(plantedRefs, onRejectedTopic.stream().sorted((a, b) -> Integer.compare(
                Integer.parseInt(a.substring(a.indexOf('#') + 1)), Integer.parseInt(b.substring(b.indexOf('#') + 1)))).toList());

        HttpResponse<String> after = post(X_BATCHES, "token-of-x", "application/json",
                "[{\"layout\":\"sessions\",\"cohort_id\":\"BC1\",\"session_number\":1,\"held_on\":\"2026-02-03\"}]");
        assertEquals(200, after.statusCode(), after.body());
        assertEquals(1, JSON.readTree(after.body()).get("accepted").asInt());
    }
}
