package org.fieldstream.producers.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.fieldstream.events.FieldEvent;
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
import org.fieldstream.producers.TopicReading;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The push endpoint under load on the real broker, with its default limits: 50 idle connections (half
 * of them stalled in the middle of a request head) and 8 clients pushing maximum-size batches
 * (16 MiB) and sending again after each 503, while a small valid batch is pushed again and again.
 * Asserts what must hold (the small batch is answered 200 and lands; every large batch is answered,
 * 503 with Retry-After or 200, and lands in the end; the idle connections change nothing); prints the
 * small batch's latency and the JVM's heap. Time bounds are hang detectors only.
 */
class HttpLoadIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH = "/v1/programs/P1/partners/X/batches";
    private static final int IDLE = 50;
    private static final int LARGE_SENDERS = 8;
    private static final Duration HANG = Duration.ofSeconds(30);

    private static String bootstrap;
    private static Topics topics;
    private static KafkaProducer<String, FieldEvent> events;
    private static KafkaProducer<String, RejectedRecord> rejected;
    private static HttpPushServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() {
        bootstrap = TestServices.kafka().bootstrapServers();
        topics = new Topics("it-" + UUID.randomUUID() + ".");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicSetup.ensure(admin, topics, 3, (short) 1);
        }
        // defaults but the head timeout: the idle connections must stay open for the whole run
        ProducerSettings settings = ProducerSettings.of(Map.of(SettingKeys.BOOTSTRAP_SERVERS.key(), bootstrap,
                SettingKeys.HTTP_HEADER_TIMEOUT_MS.key(), "600000"), Map.of());
        events = KafkaClients.producer(settings, topics.events, "load-it");
        rejected = KafkaClients.producer(settings, topics.rejected, "load-it-rejected");
        server = HttpPushServer.create(settings, catalog(), secrets(), tokens(), new KnownAggregates(100_000), events, rejected,
                topics, 0).start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() {
        server.stop();
        events.close();
        rejected.close();
    }

    static ProgramCatalog catalog() {
        return new ProgramCatalog().addProgram("P1", LocalDate.parse("2026-01-01")).addPartner("X", "P1");
    }

    static ProgramSecrets secrets() {
        return new ProgramSecrets(Map.of("FIELDSTREAM_SECRET_P1", "http-load-it-secret-00001"), null);
    }

    static TokenStore tokens() {
        return TokenStore.ofTokens(Map.of("X", "token-of-x"));
    }

    @Test
    void answersASmallBatchWhileIdleConnectionsAndMaximumSizeBatchesRun() throws Exception {
        List<Socket> idle = openIdleConnections();
        byte[] large = largeBatch();
        AtomicBoolean loadRunning = new AtomicBoolean(true);
        AtomicLong heapPeak = new AtomicLong();
        AtomicInteger refusals = new AtomicInteger();
        Thread sampler = heapSampler(loadRunning, heapPeak);
        ExecutorService senders = Executors.newFixedThreadPool(LARGE_SENDERS);
        List<Future<JsonNode>> largeReplies = new ArrayList<>();
        List<String> largeIds = new ArrayList<>();
        for (int s = 0; s < LARGE_SENDERS; s++) {
            String id = "load-" + s + "-" + UUID.randomUUID();
            largeIds.add(id);
            largeReplies.add(senders.submit(() -> pushUntilAccepted(large, id, refusals)));
        }
        Thread.sleep(3_000); // the large batches are being received and processed
        List<Long> latencies = new ArrayList<>();
        Map<String, Integer> probes = new HashMap<>();
        for (int i = 0; i < 8; i++) {
            String id = "probe-" + i + "-" + UUID.randomUUID();
            String body = "cohort_id,topic,planned_sessions,start_date,org_unit_id\nPROBE" + i + ",t,6,2026-02-01,U1\n";
            long started = System.nanoTime();
            HttpResponse<String> r = post(body.getBytes(StandardCharsets.UTF_8), id, false);
            latencies.add((System.nanoTime() - started) / 1_000_000);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(1, JSON.readTree(r.body()).get("accepted").asInt());
            probes.put(id, i);
            Thread.sleep(1_000);
        }
        int largeRows = rows(large);
        for (Future<JsonNode> f : largeReplies) {
            JsonNode reply = f.get(10, TimeUnit.MINUTES);
            assertEquals(largeRows, reply.get("accepted").asInt(), reply.toString());
        }
        loadRunning.set(false);
        sampler.join();
        senders.shutdown();
        for (Socket s : idle) {
            s.close();
        }
        assertTrue(refusals.get() > 0, "more large batches than large slots: some were refused with 503");

        Map<String, Integer> landed = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReading.all(bootstrap, topics.events.name())) {
            FieldEvent e = topics.events.valueSerde().deserializer().deserialize(r.topic(), r.value());
            String request = e.getSourceRef().substring(0, e.getSourceRef().indexOf('#'));
            landed.merge(request, 1, Integer::sum);
        }
        probes.keySet().forEach(id -> assertEquals(1, landed.get(id), id));
        largeIds.forEach(id -> assertEquals(largeRows, landed.get(id), id));
        System.out.printf(Locale.ROOT, "HttpLoadIT: small batch latency ms %s (max %d) with %d idle connections and %d "
                        + "senders of %,d-byte batches (%,d rows each; %d refusals with 503); heap used peak %,d MiB (-Xmx %,d MiB; "
                        + "server and clients share this JVM)%n", latencies, latencies.stream().mapToLong(Long::longValue).max().orElse(0),
                IDLE, LARGE_SENDERS, large.length, largeRows, refusals.get(), heapPeak.get() >> 20,
                Runtime.getRuntime().maxMemory() >> 20);
    }

    @Test
    void closesAConnectionThatStallsInTheMiddleOfItsHead() throws Exception {
        ProducerSettings settings = ProducerSettings.of(Map.of(SettingKeys.BOOTSTRAP_SERVERS.key(), bootstrap,
                SettingKeys.HTTP_HEADER_TIMEOUT_MS.key(), "500"), Map.of());
        HttpPushServer quick = HttpPushServer.create(settings, catalog(), secrets(), tokens(), new KnownAggregates(10),
                events, rejected, topics, 0).start();
        try (Socket socket = new Socket("127.0.0.1", quick.port())) {
            socket.setSoTimeout((int) HANG.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long started = System.nanoTime();
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // a 408 or nothing: then the close
            }
            System.out.printf(Locale.ROOT, "HttpLoadIT: a stalled head was closed after %d ms (timeout 500 ms)%n",
                    (System.nanoTime() - started) / 1_000_000);
        } finally {
            quick.stop();
        }
    }

    /** Pushes until 200; each 503 must carry Retry-After. Returns the 200's reply. */
    private static JsonNode pushUntilAccepted(byte[] body, String id, AtomicInteger refusals) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = post(body, id, true);
            if (r.statusCode() == 200) {
                return JSON.readTree(r.body());
            }
            assertEquals(503, r.statusCode(), r.body());
            assertEquals("5", r.headers().firstValue("Retry-After").orElse(null));
            refusals.incrementAndGet();
            Thread.sleep(1_000); // sooner than Retry-After asks: keeps the pressure on
        }
        throw new AssertionError("batch " + id + " never accepted");
    }

    private static HttpResponse<String> post(byte[] body, String requestId, boolean large) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + PATH))
                .timeout(large ? Duration.ofMinutes(5) : HANG)
                .header("Content-Type", "text/csv")
                .header("Authorization", "Bearer token-of-x")
                .header("X-Request-Id", requestId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Half connect and say nothing; half stop in the middle of a request head. */
    private static List<Socket> openIdleConnections() throws IOException {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < IDLE; i++) {
            Socket s = new Socket("127.0.0.1", server.port());
            if (i % 2 == 1) {
                s.getOutputStream().write(("POST " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
            }
            sockets.add(s);
        }
        return sockets;
    }

    /** Enrolment rows with a long name (dropped on read) up to the default body limit of 16 MiB. */
    private static byte[] largeBatch() {
        int limit = 16 * 1024 * 1024;
        StringBuilder csv = new StringBuilder(limit);
        csv.append("cohort_id,person_key,sex,enrolled_on,name\n");
        String name = "N".repeat(300);
        for (int i = 0; ; i++) {
            String row = "LC" + (i % 50) + ",LOAD-" + i + ",f,2026-02-01," + name + "\n";
            if (csv.length() + row.length() > limit) {
                break;
            }
            csv.append(row);
        }
        return csv.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static int rows(byte[] csv) {
        int lines = 0;
        for (byte b : csv) {
            if (b == '\n') {
                lines++;
            }
        }
        return lines - 1;
    }

    private static Thread heapSampler(AtomicBoolean running, AtomicLong peak) {
        Thread t = new Thread(() -> {
            while (running.get()) {
                peak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
