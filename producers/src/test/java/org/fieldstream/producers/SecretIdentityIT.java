package org.fieldstream.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.RejectedRecord;
import org.fieldstream.events.Topics;
import org.fieldstream.platform.TestServices;
import org.fieldstream.producers.http.HttpPushServer;
import org.fieldstream.producers.http.TokenStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Person ids cannot change silently: the first ingest under a program's secret records its
 * fingerprint on the broker; an ingest or a push with another secret, or with none, is refused with
 * the program, what is wrong and how to restore the secrets file, and publishes nothing.
 */
class SecretIdentityIT {

    private static final String SECRET = "identity-it-secret-00001";
    private static final String OTHER = "identity-it-secret-00002";

    @TempDir
    Path dir;

    @Test
    void aMissingOrDifferentSecretIsRefusedBeforeAnythingIsPublished() throws Exception {
        String bootstrap = TestServices.kafka().bootstrapServers();
        Topics topics = new Topics("identity-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        Path config = dir.resolve("settings.properties");
        Path secrets = dir.resolve("secrets.properties");
        Files.writeString(config, "reference.preload=false\nknown.preload=false\nprogram.P1.start_date=2026-01-01\n"
                + "partner.X.program=P1\nsecrets.file=" + secrets + "\n");
        Files.writeString(dir.resolve("cohorts.csv"), "cohort_id,topic,planned_sessions,start_date,org_unit_id\n"
                + "C1,Poultry,6,2026-02-01,U1\n");
        Map<String, String> env = Map.of("FIELDSTREAM_BOOTSTRAP_SERVERS", bootstrap, "FIELDSTREAM_TOPIC_PREFIX", topics.prefix());

        Files.writeString(secrets, "P1=" + SECRET + "\n");
        assertEquals(IngestCommand.OK, ingest(config, env).status, "the first ingest records the fingerprint");
        long published = TopicReading.all(bootstrap, topics.events.name()).size();
        assertEquals(1, published);
        String recorded = new String(TopicReading.all(bootstrap, topics.secretFingerprints.name()).get(0).value(), StandardCharsets.UTF_8);
        assertEquals(SecretFingerprints.of(SECRET.getBytes(StandardCharsets.UTF_8)), recorded);
        assertFalse(recorded.contains(SECRET));

        Files.writeString(secrets, "P1=" + OTHER + "\n");
        Run wrong = ingest(config, env);
        assertEquals(IngestCommand.UNUSABLE, wrong.status);
        assertTrue(wrong.err.contains("program P1") && wrong.err.contains("is not the one its data was published with")
                && wrong.err.contains("Restore the secrets file"), wrong.err);

        Files.delete(secrets);
        Run lost = ingest(config, env);
        assertEquals(IngestCommand.UNUSABLE, lost.status);
        assertTrue(lost.err.contains("no pseudonymisation secret for program P1: set FIELDSTREAM_SECRET_P1")
                && lost.err.contains("restore its secret from a backup"), lost.err);
        assertFalse(lost.err.contains(SECRET) || wrong.err.contains(OTHER), "no secret in messages");

        Map<String, String> envSecret = new HashMap<>(env);
        envSecret.put("FIELDSTREAM_SECRET_P1", OTHER);
        assertEquals(503, push(topics, envSecret));
        assertEquals(published, TopicReading.all(bootstrap, topics.events.name()).size(), "nothing published after the first");
        assertEquals(0, TopicReading.all(bootstrap, topics.rejected.name()).size());

        envSecret.put("FIELDSTREAM_SECRET_P1", SECRET);
        Map<String, String> diskLow = new HashMap<>(envSecret);
        diskLow.put("FIELDSTREAM_DATA_DIR", dir.toString());
        diskLow.put("FIELDSTREAM_DISK_MIN_FREE_BYTES", Long.toString(Long.MAX_VALUE));
        diskLow.put("FIELDSTREAM_DISK_MIN_FREE_PERCENT", "100");
        assertEquals(507, push(topics, diskLow), "a disk short of space refuses pushes");
        assertEquals(IngestCommand.DISK_LOW, ingest(config, diskLow).status, "and files");
        assertEquals(published, TopicReading.all(bootstrap, topics.events.name()).size(), "nothing published on a full disk");

        assertEquals(200, push(topics, envSecret), "the original secret, given by its variable, is accepted");
        assertEquals(1, TopicReading.all(bootstrap, topics.secretFingerprints.name()).size(), "recorded once");
    }

    private record Run(int status, String err) {
    }

    private Run ingest(Path config, Map<String, String> env) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = IngestCommand.run(new String[] {"--config", config.toString(), "--program", "P1", "--partner", "X",
                "--base", dir.toString(), "cohorts.csv"}, env, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, err.toString(StandardCharsets.UTF_8));
    }

    private int push(Topics topics, Map<String, String> env) throws Exception {
        ProducerSettings settings = ProducerSettings.load(null, env);
        ProgramCatalog catalog = new ProgramCatalog().addProgram("P1", LocalDate.parse("2026-01-01")).addPartner("X", "P1");
        try (KafkaProducer<String, FieldEvent> events = KafkaClients.producer(settings, topics.events, "identity-it");
             KafkaProducer<String, RejectedRecord> rejected = KafkaClients.producer(settings, topics.rejected, "identity-it-rejected")) {
            HttpPushServer server = HttpPushServer.create(settings, catalog, settings.secrets(topics),
                    TokenStore.ofTokens(Map.of("X", "token-x")), new KnownAggregates(1000), events, rejected, topics, 0).start();
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                                + "/v1/programs/P1/partners/X/batches?layout=cohorts"))
                        .header("Authorization", "Bearer token-x").header("Content-Type", "text/csv")
                        .POST(HttpRequest.BodyPublishers.ofString("cohort_id,topic,planned_sessions,start_date,org_unit_id\n"
                                + "C2,Goats,6,2026-02-01,U1\n")).build();
                return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
            } finally {
                server.stop();
            }
        }
    }
}
