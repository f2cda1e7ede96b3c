package org.fieldstream.producers.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The push endpoint against hostile clients, on the real broker: floods of slow heads without a
 * token, of slow bodies from one partner, of idle connections, each from one loopback address
 * (127.0.0.2) and kept up by reopening what the server closes, while another partner pushes from
 * another address (127.0.0.3) and must be answered 200 within {@link #ANSWER}; a head trickled past
 * its deadline; a body shorter than its Content-Length; a request without a token. Short timeouts
 * keep the run small; every flood is bounded in connections and time and stops by itself. Prints the
 * other partner's answer times under each flood.
 */
class HttpFairnessIT {

    private static final String ATTACKER = "127.0.0.2";
    private static final String VICTIM = "127.0.0.3";
    private static final String ALONE = "127.0.0.4";
    private static final Duration ANSWER = Duration.ofSeconds(2);
    private static final Duration FLOOD_LIMIT = Duration.ofSeconds(60);
    private static final int PROBES = 15;
    private static final String COHORT = "cohort_id,topic,planned_sessions,start_date,org_unit_id\nFC1,t,6,2026-02-01,U1\n";

    private static String bootstrap;
    private static Topics topics;
    private static KafkaProducer<String, FieldEvent> events;
    private static KafkaProducer<String, RejectedRecord> rejected;

    @BeforeAll
    static void start() throws IOException {
        bootstrap = TestServices.kafka().bootstrapServers();
        topics = new Topics("it-" + UUID.randomUUID() + ".");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicSetup.ensure(admin, topics, 3, (short) 1);
        }
        ProducerSettings settings = ProducerSettings.of(Map.of(SettingKeys.BOOTSTRAP_SERVERS.key(), bootstrap), Map.of());
        events = KafkaClients.producer(settings, topics.events, "fairness-it");
        rejected = KafkaClients.producer(settings, topics.rejected, "fairness-it-rejected");
        // the first batch fetches the topics' metadata and loads the classes: not part of any figure
        try (HttpPushServer server = server(Map.of())) {
            assertEquals(200, push(server.address(), VICTIM, "Y", "token-of-y", COHORT).status());
        }
    }

    @AfterAll
    static void stop() {
        events.close();
        rejected.close();
    }

    /**
     * A server with short timeouts (head 2 s, body 5 s, grace 1 s), 256 connections at most and
     * the other settings at their defaults, {@code overrides} over them.
     */
    private static HttpPushServer server(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(Map.of(SettingKeys.BOOTSTRAP_SERVERS.key(), bootstrap,
                SettingKeys.HTTP_HEADER_TIMEOUT_MS.key(), "2000",
                SettingKeys.HTTP_BODY_TIMEOUT_MS.key(), "5000",
                SettingKeys.HTTP_BODY_GRACE_MS.key(), "1000",
                SettingKeys.HTTP_MAX_CONNECTIONS.key(), "256"));
        values.putAll(overrides);
        ProgramCatalog catalog = new ProgramCatalog().addProgram("P1", LocalDate.parse("2026-01-01"))
                .addPartner("X", "P1").addPartner("Y", "P1");
        ProgramSecrets secrets = new ProgramSecrets(Map.of("FIELDSTREAM_SECRET_P1", "http-fairness-it-secret-01"), null);
        TokenStore tokens = TokenStore.ofTokens(Map.of("X", "token-of-x", "Y", "token-of-y"));
        return HttpPushServer.create(ProducerSettings.of(values, Map.of()), catalog, secrets, tokens, new KnownAggregates(10_000),
                events, rejected, topics, 0).start();
    }

    @Test
    void aFloodOfSlowHeadsWithoutATokenLeavesOtherPartnersServed() throws Exception {
        try (HttpPushServer server = server(Map.of())) {
            byte[] prefix = ("POST /v1/programs/P1/partners/X/batches HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: ")
                    .getBytes(StandardCharsets.US_ASCII);
            try (Flood flood = new Flood(server.address(), 300, Duration.ofSeconds(1),
                    out -> out.write(prefix), out -> out.write('a'))) {
                List<Long> times = probe(server);
                report("slow-head flood (300 connections, a head byte each second, no token)", times, flood);
                assertTrue(flood.closedByServer() > 0, "the server closed flood connections");
            }
            assertServedAgainFromTheFloodingAddress(server);
        }
    }

    @Test
    void aFloodOfSlowBodiesFromOnePartnerFillsItsShareOnly() throws Exception {
        // a long grace: the flood's bodies keep their places for the whole run
        try (HttpPushServer server = server(Map.of(SettingKeys.HTTP_BODY_GRACE_MS.key(), "8000",
                SettingKeys.HTTP_BODY_TIMEOUT_MS.key(), "10000"))) {
            byte[] head = head("X", "token-of-x", 1_000_000);
            try (Flood flood = new Flood(server.address(), 30, Duration.ofSeconds(1), out -> out.write(head),
                    out -> out.write('a'))) {
                Thread.sleep(500);
                Answer own = push(server.address(), ALONE, "X", "token-of-x", COHORT);
                assertEquals(503, own.status(), "the flooding partner beyond its share: " + own);
                assertTrue(own.text().toLowerCase(Locale.ROOT).contains("\nretry-after: 5"), own.text());
                List<Long> times = probe(server);
                report("slow-body flood (30 bodies of partner X, a byte each second)", times, flood);
            }
        }
    }

    @Test
    void aFloodOfIdleConnectionsLeavesOtherPartnersServed() throws Exception {
        // a long head deadline: only the cap per address keeps the flood from the connection limit
        try (HttpPushServer server = server(Map.of(SettingKeys.HTTP_HEADER_TIMEOUT_MS.key(), "10000"))) {
            try (Flood flood = new Flood(server.address(), 300, Duration.ofSeconds(1), out -> { }, null)) {
                List<Long> times = probe(server);
                report("idle-connection flood (300 connections)", times, flood);
                assertTrue(flood.closedByServer() > 0, "the server closed flood connections");
            }
            assertServedAgainFromTheFloodingAddress(server);
        }
    }

    /** A head trickled a byte each 20 ms, never silent for the 2 s idle timeout, is cut at the 2 s head deadline. */
    @Test
    void aHeadTrickledPastItsDeadlineIsClosedUnanswered() throws Exception {
        try (HttpPushServer server = server(Map.of()); Socket socket = connect(ALONE, server.address())) {
            socket.setSoTimeout((int) ANSWER.toMillis());
            byte[] head = head("Y", "token-of-y", COHORT.length());
            OutputStream out = socket.getOutputStream();
            long started = System.nanoTime();
            long closedAfter = -1;
            for (int i = 0; i < head.length; i++) {
                try {
                    out.write(head[i]);
                    out.flush();
                    Thread.sleep(20);
                } catch (IOException e) {
                    closedAfter = (System.nanoTime() - started) / 1_000_000;
                    break;
                }
            }
            String answer = "";
            if (closedAfter < 0) {
                try {
                    out.write(COHORT.getBytes(StandardCharsets.US_ASCII));
                    answer = readAll(socket.getInputStream());
                } catch (IOException e) {
                    // reset: closed
                }
            }
            System.out.printf(Locale.ROOT, "HttpFairnessIT: a %d-byte head trickled over %d ms: %s%n", head.length,
                    head.length * 20, closedAfter >= 0 ? "closed after " + closedAfter + " ms (deadline 2000 ms)" : "answer '"
                            + firstLine(answer) + "'");
            assertFalse(answer.startsWith("HTTP/1.1 200"), answer);
            assertTrue(closedAfter >= 0 || answer.isEmpty(), "closed without an answer: " + answer);
        }
    }

    @Test
    void aBodyShorterThanItsContentLengthIs408() throws Exception {
        try (HttpPushServer server = server(Map.of()); Socket socket = connect(ALONE, server.address())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head("Y", "token-of-y", 1000));
            out.write(COHORT.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long started = System.nanoTime();
            String answer = readAll(socket.getInputStream());
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf(Locale.ROOT, "HttpFairnessIT: %d of 1000 declared body bytes: '%s' after %d ms "
                    + "(grace 1000 ms, 1024 bytes/s, body timeout 5000 ms)%n", COHORT.length(), firstLine(answer), millis);
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
            assertTrue(answer.toLowerCase(Locale.ROOT).contains("\nconnection: close"), answer);
        }
    }

    @Test
    void aBodySlowerThanTheMinimumRateIs408() throws Exception {
        // a body timeout longer than the trickle: only the minimum rate refuses it
        try (HttpPushServer server = server(Map.of(SettingKeys.HTTP_BODY_TIMEOUT_MS.key(), "30000"));
             Socket socket = connect(ALONE, server.address())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head("Y", "token-of-y", COHORT.length()));
            out.flush();
            for (byte b : COHORT.getBytes(StandardCharsets.US_ASCII)) {
                try {
                    out.write(b);
                    out.flush();
                    Thread.sleep(100);
                } catch (IOException e) {
                    break;
                }
                if (socket.getInputStream().available() > 0) {
                    break;
                }
            }
            String answer = readAll(socket.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
        }
    }

    @Test
    void aRequestWithoutAValidTokenIsRefusedBeforeItsBodyAndClosed() throws Exception {
        try (HttpPushServer server = server(Map.of()); Socket socket = connect(ALONE, server.address())) {
            socket.setSoTimeout((int) ANSWER.toMillis());
            // the head only: the body never comes
            socket.getOutputStream().write(head("Y", "not-a-token", 100_000));
            socket.getOutputStream().flush();
            String answer = readAll(socket.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 401"), answer);
            assertTrue(answer.toLowerCase(Locale.ROOT).contains("\nconnection: close"), answer);
        }
    }

    /** {@link #PROBES} batches of partner Y from {@link #VICTIM}, each answered 200 within {@link #ANSWER}; their times. */
    private static List<Long> probe(HttpPushServer server) throws Exception {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < PROBES; i++) {
            Answer a = push(server.address(), VICTIM, "Y", "token-of-y", COHORT);
            assertEquals(200, a.status(), "probe " + i + ": " + a);
            assertTrue(a.text().contains("\"accepted\":1"), a.text());
            times.add(a.millis());
            Thread.sleep(300);
        }
        return times;
    }

    /** The connections per address count open ones only: once a flood's are closed, its address is served again. */
    private static void assertServedAgainFromTheFloodingAddress(HttpPushServer server) throws Exception {
        Answer answer = null;
        for (int attempt = 0; attempt < 20 && (answer == null || answer.status() != 200); attempt++) {
            Thread.sleep(250); // the server sees the flood's closes
            try {
                answer = push(server.address(), ATTACKER, "X", "token-of-x", COHORT);
            } catch (IOException e) {
                answer = new Answer(-1, e.toString(), 0);
            }
        }
        assertEquals(200, answer.status(), "a batch from the flood's address after the flood: " + answer);
    }

    private static void report(String flood, List<Long> times, Flood f) {
        List<Long> sorted = times.stream().sorted().toList();
        System.out.printf(Locale.ROOT, "HttpFairnessIT: %s: partner Y's batch answered 200 in p50 %d ms, max %d ms over %d "
                        + "batches %s; flood connections closed by the server %d%n", flood, sorted.get((sorted.size() - 1) / 2),
                sorted.get(sorted.size() - 1), sorted.size(), times, f.closedByServer());
    }

    private static byte[] head(String partner, String token, int contentLength) {
        return ("POST /v1/programs/P1/partners/" + partner + "/batches HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + token + "\r\nContent-Type: text/csv\r\nContent-Length: " + contentLength
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A status (-1: none within {@link #ANSWER}), the whole answer, its time. */
    record Answer(int status, String text, long millis) {
    }

    /** One batch over a fresh connection from {@code local}; the answer must come within {@link #ANSWER}. */
    private static Answer push(InetSocketAddress server, String local, String partner, String token, String csv)
            throws IOException {
        long started = System.nanoTime();
        try (Socket socket = connect(local, server)) {
            socket.setSoTimeout((int) ANSWER.toMillis());
            byte[] body = csv.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(head(partner, token, body.length));
            out.write(body);
            out.flush();
            String text = readAll(socket.getInputStream());
            long millis = (System.nanoTime() - started) / 1_000_000;
            int status = text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : -1;
            return new Answer(status, text, millis);
        } catch (SocketTimeoutException e) {
            return new Answer(-1, "no answer within " + ANSWER.toMillis() + " ms", (System.nanoTime() - started) / 1_000_000);
        }
    }

    private static Socket connect(String local, InetSocketAddress server) throws IOException {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(local, 0));
            socket.connect(server, (int) ANSWER.toMillis());
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Everything until the server closes (the requests say Connection: close); a read waits at most the socket's timeout. */
    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                bytes.write(buffer, 0, n);
            }
        } catch (IOException e) {
            if (bytes.size() == 0 && e instanceof SocketTimeoutException) {
                throw e;
            }
            // a reset after the answer: what came is the answer
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\r');
        return end < 0 ? text : text.substring(0, end);
    }

    /** What a flood connection sends. */
    @FunctionalInterface
    interface Send {
        void to(OutputStream out) throws IOException;
    }

    /**
     * {@code count} connections from {@link #ATTACKER}, each sending {@code first} when opened and
     * {@code tick} once per round (null: nothing, only a check that it is still open); a connection
     * the server closed is opened again in the next round. Runs on its own thread until closed, and
     * at most {@link #FLOOD_LIMIT}; the first round is open when the constructor returns.
     */
    private static final class Flood implements AutoCloseable {

        private final InetSocketAddress server;
        private final Socket[] sockets;
        private final Send first;
        private final Send tick;
        private final Duration round;
        private final AtomicInteger closedByServer = new AtomicInteger();
        private final CountDownLatch opened = new CountDownLatch(1);
        private final Thread thread;
        private volatile boolean running = true;

        Flood(InetSocketAddress server, int count, Duration round, Send first, Send tick) throws InterruptedException {
            this.server = server;
            this.sockets = new Socket[count];
            this.first = first;
            this.tick = tick;
            this.round = round;
            this.thread = new Thread(this::run, "flood");
            thread.setDaemon(true);
            thread.start();
            assertTrue(opened.await(FLOOD_LIMIT.toSeconds(), TimeUnit.SECONDS), "the flood opened its connections");
        }

        private void run() {
            long end = System.nanoTime() + FLOOD_LIMIT.toNanos();
            try {
                while (running && System.nanoTime() < end) {
                    long next = System.nanoTime() + round.toNanos();
                    for (int i = 0; i < sockets.length && running; i++) {
                        step(i);
                    }
                    opened.countDown();
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                opened.countDown();
                for (Socket s : sockets) {
                    closeQuietly(s);
                }
            }
        }

        private void step(int i) {
            Socket s = sockets[i];
            try {
                if (s == null) {
                    s = new Socket();
                    sockets[i] = s;
                    s.bind(new InetSocketAddress(ATTACKER, 0));
                    s.connect(server, 250);
                    first.to(s.getOutputStream());
                } else if (tick != null) {
                    tick.to(s.getOutputStream());
                } else {
                    s.setSoTimeout(1);
                    try {
                        if (s.getInputStream().read() < 0) {
                            throw new EOFException();
                        }
                    } catch (SocketTimeoutException open) {
                        // still open
                    }
                }
            } catch (IOException e) {
                if (s.isConnected()) {
                    closedByServer.incrementAndGet();
                }
                closeQuietly(s);
                sockets[i] = null;
            }
        }

        int closedByServer() {
            return closedByServer.get();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(FLOOD_LIMIT.toMillis());
        }

        private static void closeQuietly(Socket s) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing
                }
            }
        }
    }
}
