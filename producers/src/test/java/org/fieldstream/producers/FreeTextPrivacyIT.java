package org.fieldstream.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

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
import org.fieldstream.producers.http.HttpPushServer;
import org.fieldstream.producers.http.TokenStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plants names, phone numbers and person keys in the free-text columns ({@code role}, {@code topic}) of
 * rows that are otherwise valid: the row's own name, a token of it, its phone, its person key, in another
 * case; a {@code Last, First} name left unquoted so that its second half lands in the next free-text
 * column while the field count still matches; a CSV without its header row; a Kobo export that does not
 * parse. Sends them by file (the ingest command) and by HTTP push through the real broker, and scans every
 * byte of the events and rejected topics, the replies, the command's output and every log line of this
 * JVM for the planted values.
 */
class FreeTextPrivacyIT {

    private static final String[] FIRST = {"Rokeya", "Shahnaz", "Taslima", "Amina", "রোকেয়া"};
    private static final String[] LAST = {"Begumzq", "Parvinzq", "Khatunzq", "বেগমজ"};
    private static final String SECRET = "free-text-it-secret-000001";

    @TempDir
    Path dir;

    private final Set<String> planted = new LinkedHashSet<>();
    private int serial;

    private record Person(String first, String last, String phone, String key) {
        String name() {
            return first + " " + last;
        }
    }

    private Person person() {
        int k = serial++;
        String token = Integer.toString(k + 100, 26).chars().mapToObj(c -> String.valueOf((char) (Character.isDigit(c)
                ? 'q' + (c - '0') % 8 : c))).reduce("", String::concat);
        Person p = new Person(FIRST[k % FIRST.length] + token, LAST[k % LAST.length],
                String.format(Locale.ROOT, "017%08d", 21_000_000 + k), "PKF" + token + "-" + (1000 + k));
        planted.addAll(List.of(p.first(), p.last(), p.name(), p.phone(), p.key()));
        return p;
    }

    /** Dialogue attendance rows whose role repeats the row's own personal values, one way each. */
    private String attendanceCsv() {
        StringBuilder csv = new StringBuilder("dialogue_id,attendee_no,name,role,sex,person_key,phone\n");
        int n = 0;
        for (int variant = 0; variant < 6; variant++) {
            Person p = person();
            String role = switch (variant) {
                case 0 -> "chair " + p.name();
                case 1 -> p.first() + "'s deputy";
                case 2 -> "member of the " + p.last().toUpperCase(Locale.ROOT) + " family";
                case 3 -> "key " + p.key().toLowerCase(Locale.ROOT);
                case 4 -> "call " + p.phone();
                default -> p.name().toLowerCase(Locale.ROOT);
            };
            csv.append(String.join(",", "DF1", Integer.toString(++n), p.name(), role, "f", p.key(), p.phone())).append('\n');
        }
        return csv.toString();
    }

    /** {@code Last, First} unquoted, the role left out: the field count matches and the first name lands in role. */
    private String shiftedAttendanceCsv() {
        StringBuilder csv = new StringBuilder("dialogue_id,attendee_no,name,role,sex,age\n");
        for (int i = 0; i < 3; i++) {
            Person p = person();
            csv.append("DF2,").append(i + 1).append(',').append(p.last()).append(", ").append(p.first()).append(",f,30\n");
        }
        return csv.toString();
    }

    /** Cohorts with a name column the layout does not publish: the topic repeats it, or takes its second half. */
    private String cohortsCsv() {
        Person a = person();
        Person b = person();
        return "cohort_id,name,topic,planned_sessions,start_date,org_unit_id\n"
                + "CF1," + a.name() + ",Training by " + a.name() + ",5,2026-02-01,OU1\n"
                + "CF2," + b.last() + ", " + b.first() + ",5,2026-02-01,OU1\n";
    }

    private String jsonLines() {
        Person a = person();
        Person b = person();
        Person c = person();
        return "{\"layout\":\"dialogue_attendance\",\"dialogue_id\":\"DF3\",\"attendee_no\":1,\"sex\":\"f\",\"role\":\"chair "
                + a.name() + "\",\"name\":\"" + a.name() + "\",\"person_key\":\"" + a.key() + "\"}\n"
                + "{\"layout\":\"dialogues\",\"dialogue_id\":\"DF4\",\"kind\":\"policy_dialogue\",\"topic\":\"Meeting with "
                + b.first() + "\",\"held_on\":\"2026-02-01\",\"org_unit_id\":\"OU1\",\"name\":\"" + b.name() + "\"}\n"
                + "{\"layout\":\"dialogue_attendance\",\"dialogue_id\":\"DF3\",\"attendee_no\":2,\"sex\":\"f\",\"role\":\"member "
                + c.key() + "\",\"person_key\":\"" + c.key() + "\",\"phone\":\"" + c.phone() + "\"}\n";
    }

    /** An enrolments file without its header row: the first data row must not be quoted back. */
    private String headerlessCsv() {
        Person p = person();
        Person q = person();
        return "C1," + p.key() + ",f,2026-02-01," + p.name() + "," + p.phone() + "\n"
                + "C1," + q.key() + ",f,2026-02-01," + q.name() + "," + q.phone() + "\n";
    }

    /** A Kobo export whose JSON breaks at an unquoted name. */
    private String brokenKoboExport() {
        Person p = person();
        return "{\"results\": [{\"_id\": 1, \"participants\": [{\"member_id\": \"" + p.key() + "\", \"name\": " + p.name()
                + "}]}]}";
    }

    @Test
    void noPlantedValueOfAFreeTextColumnReachesTheTopicsTheRepliesOrTheLogs() throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new TeeStream(out, logs), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new TeeStream(err, logs), true, StandardCharsets.UTF_8));
        List<String> replies = new ArrayList<>();
        String bootstrap = TestServices.kafka().bootstrapServers();
        Topics topics = new Topics("it-" + UUID.randomUUID() + ".");
        int rows;
        try {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                TopicSetup.ensure(admin, topics, 3, (short) 1);
            }
            Map<String, String> files = Map.of("attendance.csv", attendanceCsv(), "shifted.csv", shiftedAttendanceCsv(),
                    "cohorts.csv", cohortsCsv(), "rows.jsonl", jsonLines());
            rows = 6 + 3 + 2 + 3;
            for (Map.Entry<String, String> f : files.entrySet()) {
                Files.writeString(dir.resolve(f.getKey()), f.getValue());
            }
            String headerless = headerlessCsv();
            Files.writeString(dir.resolve("headerless.csv"), headerless);
            Files.writeString(dir.resolve("kobo.json"), brokenKoboExport());
            Path config = dir.resolve("settings.properties");
            Files.writeString(config, "reference.preload=false\nknown.preload=false\nprogram.P1.start_date=2026-01-01\n"
                    + "partner.X.program=P1\n");

            List<String> args = new ArrayList<>(List.of("ingest", "--config", config.toString(), "--program", "P1",
                    "--partner", "X", "--base", dir.toString()));
            args.addAll(files.keySet().stream().sorted().toList());
            assertEquals(IngestCommand.OK, ingest(args, bootstrap, topics, replies), replies.get(replies.size() - 1));
            assertEquals(IngestCommand.UNUSABLE, ingest(List.of("ingest", "--config", config.toString(), "--program", "P1",
                    "--partner", "X", "--base", dir.toString(), "headerless.csv"), bootstrap, topics, replies));
            assertEquals(IngestCommand.UNUSABLE, ingest(List.of("ingest", "--config", config.toString(), "--program", "P1",
                    "--partner", "X", "--base", dir.toString(), "--source", "kobo", "--form", "attendance_register",
                    "kobo.json"), bootstrap, topics, replies));

            pushOverHttp(bootstrap, topics, replies, headerless);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }

        List<String> texts = new ArrayList<>();
        long rejections = 0;
        for (ConsumerRecord<byte[], byte[]> r : TopicReading.all(bootstrap, topics.rejected.name())) {
            texts.add(new String(r.value(), StandardCharsets.ISO_8859_1));
            RejectedRecord record = topics.rejected.valueSerde().deserializer().deserialize(r.topic(), r.value());
            texts.add(latin1(record.getRaw() + " " + record.getReason()));
            rejections++;
        }
        long events = 0;
        for (ConsumerRecord<byte[], byte[]> r : TopicReading.all(bootstrap, topics.events.name())) {
            texts.add(new String(r.value(), StandardCharsets.ISO_8859_1));
            events++;
        }
        texts.add(latin1(logs.toString(StandardCharsets.UTF_8)));
        replies.forEach(r -> texts.add(latin1(r)));

        List<String> lowered = texts.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList();
        List<String> hits = new ArrayList<>();
        for (String value : planted) {
            String needle = latin1(value).toLowerCase(Locale.ROOT);
            if (lowered.stream().anyMatch(t -> t.contains(needle))) {
                hits.add(value);
            }
        }
        System.out.printf(Locale.ROOT, "FreeTextPrivacyIT: %d rows with planted free text sent twice, %d planted values; "
                        + "scanned %d rejected records, %d events, %,d bytes of logs, %d replies and outputs: %d hits %s%n",
                rows, planted.size(), rejections, events, logs.size(), replies.size(), hits.size(), hits);
        assertEquals(List.of(), hits, "planted personal values found");
        assertTrue(rejections >= 2L * rows, rejections + " rejections for " + rows + " rows sent twice");
    }

    private static int ingest(List<String> args, String bootstrap, Topics topics, List<String> replies) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8);
        int status = IngestCommand.run(args.toArray(new String[0]), Map.of("FIELDSTREAM_BOOTSTRAP_SERVERS", bootstrap,
                "FIELDSTREAM_TOPIC_PREFIX", topics.prefix(), "FIELDSTREAM_SECRET_P1", SECRET), print, print);
        replies.add(output.toString(StandardCharsets.UTF_8));
        return status;
    }

    private void pushOverHttp(String bootstrap, Topics topics, List<String> replies, String headerless) throws Exception {
        ProducerSettings settings = ProducerSettings.of(Map.of(SettingKeys.BOOTSTRAP_SERVERS.key(), bootstrap), Map.of());
        ProgramCatalog catalog = new ProgramCatalog().addProgram("P1", LocalDate.parse("2026-01-01")).addPartner("X", "P1");
        ProgramSecrets secrets = new ProgramSecrets(Map.of("FIELDSTREAM_SECRET_P1", SECRET), null);
        try (KafkaProducer<String, FieldEvent> events = KafkaClients.producer(settings, topics.events, "free-text-it");
             KafkaProducer<String, RejectedRecord> rejected = KafkaClients.producer(settings, topics.rejected, "free-text-it-rejected")) {
            HttpPushServer server = HttpPushServer.create(settings, catalog, secrets, TokenStore.ofTokens(Map.of("X", "token-x")),
                    new KnownAggregates(1000), events, rejected, topics, 0).start();
            try {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                for (String body : List.of(attendanceCsv(), shiftedAttendanceCsv(), cohortsCsv())) {
                    replies.add(push(client, server, "text/csv", body, 200));
                }
                replies.add(push(client, server, "application/x-ndjson", jsonLines(), 200));
                replies.add(push(client, server, "text/csv", headerless, 400));
            } finally {
                server.stop();
            }
        }
    }

    private static String push(HttpClient client, HttpPushServer server, String type, String body, int expected)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/v1/programs/P1/partners/X/batches"))
                .timeout(Duration.ofSeconds(120)).header("Content-Type", type).header("Authorization", "Bearer token-x")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, response.statusCode(), response.body());
        return response.body();
    }

    private static String latin1(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }
}
