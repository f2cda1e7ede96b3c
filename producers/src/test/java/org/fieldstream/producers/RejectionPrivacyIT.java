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
 * Plants known names, phone numbers, national ids and person keys in well over 100 kinds of malformed
 * rows (CSV rows shifted by unquoted commas and lost separators, quotes left open, closed lines later or
 * stray, invalid UTF-8, rows over the row limit, personal values under typed or wrong columns; JSON
 * lines and array elements that do not parse, values under wrong or unknown keys, nested values),
 * sends them by file and by HTTP through the real broker, and scans every byte of the rejected and
 * events topics, the HTTP replies, the ingest's output and every log line of this JVM for them.
 */
class RejectionPrivacyIT {

    private static final String[] FIRST = {"Rokeya", "Shahnaz", "Taslima", "Amina", "রোকেয়া"};
    private static final String[] LAST = {"Begum", "Parvin", "Khatun", "বেগম"};
    private static final List<List<String>> HEADERS = List.of(
            List.of("cohort_id", "person_key", "sex", "enrolled_on", "name", "phone", "national_id"),
            List.of("name", "phone", "person_key", "cohort_id", "sex", "enrolled_on", "national_id"),
            List.of("cohort_id", "session_number", "person_key", "status"),
            List.of("person_key", "status", "cohort_id", "session_number"),
            List.of("cohort_id", "name", "person_key", "session_number", "status", "phone"),
            List.of("cohort_id", "person_key", "reason", "exited_on"),
            List.of("name", "person_key", "cohort_id", "reason", "phone"),
            List.of("dialogue_id", "attendee_no", "role", "sex", "person_key", "age", "name", "phone"),
            List.of("name", "phone", "dialogue_id", "attendee_no", "person_key", "role", "sex"));
    private static final List<String> MALFORMATIONS = List.of("name_comma", "key_comma", "drop_after_key", "drop_first",
            "open_quote_at_key", "open_quote_before_key", "stray_quote_in_key", "text_after_quote", "invalid_utf8",
            "oversize", "phone_in_typed", "nid_in_number", "semicolons", "glued", "late_quote", "key_in_typed",
            "name_in_typed");

    @TempDir
    Path dir;

    private final Set<String> planted = new LinkedHashSet<>();
    private int serial;

    /** One person's values, each unique to the kind it is planted in. */
    private record Person(String name, String phone, String nid, String key) {
    }

    private Person person() {
        int k = serial++;
        String token = Integer.toString(k + 100, 26).chars().mapToObj(c -> String.valueOf((char) (Character.isDigit(c)
                ? 'q' + (c - '0') % 8 : c))).reduce("", String::concat);
        String first = FIRST[k % FIRST.length] + token;
        String last = LAST[k % LAST.length];
        String phone = switch (k % 3) {
            case 0 -> String.format(Locale.ROOT, "017%08d", 11_000_000 + k);
            case 1 -> String.format(Locale.ROOT, "+880 1711-%06d", 200_000 + k);
            default -> toBangla(String.format(Locale.ROOT, "0171%07d", 3_000_000 + k));
        };
        String nid = k % 2 == 0 ? String.format(Locale.ROOT, "1990%09d", 100_000_000 + k)
                : String.format(Locale.ROOT, "19852691%09d", 100_000_000 + k);
        Person p = new Person(first + " " + last, phone, nid, "PKX" + token + "-" + (1000 + k));
        planted.addAll(List.of(first, last, p.name(), p.phone(), p.nid(), p.key()));
        return p;
    }

    private static String toBangla(String digits) {
        StringBuilder s = new StringBuilder();
        digits.chars().forEach(c -> s.append((char) ('০' + (c - '0'))));
        return s.toString();
    }

    @Test
    void noPlantedPersonalValueReachesTheTopicsTheRepliesOrTheLogs() throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new TeeStream(out, logs), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new TeeStream(err, logs), true, StandardCharsets.UTF_8));
        List<String> replies = new ArrayList<>();
        int kinds;
        long malformedRows;
        String bootstrap = TestServices.kafka().bootstrapServers();
        Topics topics = new Topics("it-" + UUID.randomUUID() + ".");
        try {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                TopicSetup.ensure(admin, topics, 3, (short) 1);
            }
            List<byte[]> csvBodies = new ArrayList<>();
            int csvKinds = 0;
            long csvRows = 0;
            for (List<String> header : HEADERS) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                body.writeBytes((String.join(",", header) + "\n").getBytes(StandardCharsets.UTF_8));
                for (String m : MALFORMATIONS) {
                    byte[] rows = malformed(header, m);
                    if (rows != null) {
                        body.writeBytes(rows);
                        csvKinds++;
                        csvRows += m.equals("late_quote") ? 2 : 1;
                    }
                }
                csvBodies.add(body.toByteArray());
            }
            List<String> jsonLines = jsonKinds();
            kinds = csvKinds + jsonLines.size();
            malformedRows = 2 * (csvRows + jsonLines.size()) + jsonLines.size() - 1;

            List<String> files = new ArrayList<>();
            for (int i = 0; i < csvBodies.size(); i++) {
                Files.write(dir.resolve("kind" + i + ".csv"), csvBodies.get(i));
                files.add("kind" + i + ".csv");
            }
            Files.writeString(dir.resolve("kinds.jsonl"), String.join("\n", jsonLines) + "\n");
            files.add("kinds.jsonl");
            ByteArrayOutputStream ingestOut = new ByteArrayOutputStream();
            Path config = dir.resolve("settings.properties");
            Files.writeString(config, "reference.preload=false\nknown.preload=false\nprogram.P1.start_date=2026-01-01\n"
                    + "partner.X.program=P1\n");
            List<String> args = new ArrayList<>(List.of("ingest", "--config", config.toString(), "--program", "P1",
                    "--partner", "X", "--base", dir.toString()));
            args.addAll(files);
            int status = IngestCommand.run(args.toArray(new String[0]), Map.of("FIELDSTREAM_BOOTSTRAP_SERVERS", bootstrap,
                    "FIELDSTREAM_TOPIC_PREFIX", topics.prefix(), "FIELDSTREAM_SECRET_P1", "privacy-it-secret-000001"),
                    new PrintStream(ingestOut, true, StandardCharsets.UTF_8), new PrintStream(ingestOut, true, StandardCharsets.UTF_8));
            replies.add(ingestOut.toString(StandardCharsets.UTF_8));
            assertEquals(IngestCommand.OK, status, ingestOut.toString(StandardCharsets.UTF_8));

            pushOverHttp(bootstrap, topics, csvBodies, jsonLines, replies);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }

        List<byte[]> published = new ArrayList<>();
        long rejections = 0;
        for (ConsumerRecord<byte[], byte[]> r : TopicReading.all(bootstrap, topics.rejected.name())) {
            published.add(r.value());
            RejectedRecord record = topics.rejected.valueSerde().deserializer().deserialize(r.topic(), r.value());
            published.add((record.getRaw() + " " + record.getReason()).getBytes(StandardCharsets.UTF_8));
            rejections++;
        }
        long events = 0;
        for (ConsumerRecord<byte[], byte[]> r : TopicReading.all(bootstrap, topics.events.name())) {
            published.add(r.value());
            events++;
        }
        List<String> texts = new ArrayList<>();
        published.forEach(b -> texts.add(new String(b, StandardCharsets.ISO_8859_1)));
        texts.add(latin1(logs.toString(StandardCharsets.UTF_8)));
        replies.forEach(r -> texts.add(latin1(r)));

        List<String> hits = new ArrayList<>();
        for (String value : planted) {
            String needle = latin1(value);
            for (String text : texts) {
                if (text.contains(needle)) {
                    hits.add(value);
                    break;
                }
            }
        }
        System.out.printf(Locale.ROOT, "RejectionPrivacyIT: %d kinds of malformed rows, %d planted values; scanned %d rejected "
                        + "records, %d events, %,d bytes of logs, %d replies: %d hits%n", kinds, planted.size(), rejections,
                events, logs.size(), replies.size(), hits.size());
        assertTrue(kinds >= 100, "kinds: " + kinds);
        assertTrue(rejections >= malformedRows, rejections + " rejections for " + malformedRows + " malformed rows");
        assertEquals(List.of(), hits, "planted personal values found");
    }

    private void pushOverHttp(String bootstrap, Topics topics, List<byte[]> csvBodies, List<String> jsonLines,
                              List<String> replies) throws Exception {
        ProducerSettings settings = ProducerSettings.of(Map.of(SettingKeys.BOOTSTRAP_SERVERS.key(), bootstrap), Map.of());
        ProgramCatalog catalog = new ProgramCatalog().addProgram("P1", LocalDate.parse("2026-01-01")).addPartner("X", "P1");
        ProgramSecrets secrets = new ProgramSecrets(Map.of("FIELDSTREAM_SECRET_P1", "privacy-it-secret-000001"), null);
        try (KafkaProducer<String, FieldEvent> events = KafkaClients.producer(settings, topics.events, "privacy-it");
             KafkaProducer<String, RejectedRecord> rejected = KafkaClients.producer(settings, topics.rejected, "privacy-it-rejected")) {
            HttpPushServer server = HttpPushServer.create(settings, catalog, secrets, TokenStore.ofTokens(Map.of("X", "token-x")),
                    new KnownAggregates(1000), events, rejected, topics, 0).start();
            try {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                for (byte[] body : csvBodies) {
                    replies.add(push(client, server, "text/csv", body, 200));
                }
                replies.add(push(client, server, "application/x-ndjson",
                        (String.join("\n", jsonLines) + "\n").getBytes(StandardCharsets.UTF_8), 200));
                // the one kind that cannot be framed inside an array is left out of it
                List<String> elements = jsonLines.stream().filter(l -> !l.endsWith("\"cohort_id\":\"C1\",\"person")).toList();
                replies.add(push(client, server, "application/json",
                        ("[" + String.join(",\n", elements) + "]").getBytes(StandardCharsets.UTF_8), 200));
                replies.add(push(client, server, "application/json",
                        "{\"layout\":\"enrolments\",\"name\": Rokeyaqqq Begum}".getBytes(StandardCharsets.UTF_8), 400));
                planted.add("Rokeyaqqq");
            } finally {
                server.stop();
            }
        }
    }

    private static String push(HttpClient client, HttpPushServer server, String type, byte[] body, int expected) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/v1/programs/P1/partners/X/batches"))
                .timeout(Duration.ofSeconds(120)).header("Content-Type", type).header("Authorization", "Bearer token-x")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, response.statusCode(), response.body());
        return response.body();
    }

    private static String latin1(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static String base(String column, Person p) {
        return switch (column) {
            case "cohort_id" -> "C1";
            case "dialogue_id" -> "D1";
            case "session_number" -> "1";
            case "status" -> "present";
            case "sex" -> "f";
            case "enrolled_on" -> "2026-02-01";
            case "reason" -> "dropped_out";
            case "exited_on" -> "2026-02-10";
            case "attendee_no" -> "3";
            case "role" -> "member";
            case "age" -> "30";
            case "person_key" -> p.key();
            case "name" -> p.name();
            case "phone" -> p.phone();
            case "national_id" -> p.nid();
            default -> throw new IllegalArgumentException(column);
        };
    }

    /** The malformed line(s) of one kind, or null where the kind does not apply to the header. */
    private byte[] malformed(List<String> header, String kind) {
        boolean hasName = header.contains("name");
        if ((kind.equals("name_comma") || kind.equals("name_in_typed")) && !hasName) {
            return null;
        }
        Person p = person();
        List<String> v = new ArrayList<>();
        header.forEach(c -> v.add(base(c, p)));
        int key = header.indexOf("person_key");
        int name = header.indexOf("name");
        int typed = firstOf(header, "sex", "status", "reason");
        int number = firstOf(header, "session_number", "age", "attendee_no", "enrolled_on", "exited_on", "reason");
        String[] names = p.name().split(" ");
        switch (kind) {
            case "name_comma" -> v.set(name, names[1] + ", " + names[0]);
            case "key_comma" -> v.set(key, p.key().substring(0, 4) + "," + p.key().substring(4));
            case "drop_after_key" -> v.remove(key + 1 < v.size() ? key + 1 : key - 1);
            case "drop_first" -> v.remove(0);
            case "open_quote_at_key" -> v.set(key, "\"" + p.key());
            case "open_quote_before_key" -> v.set(Math.max(0, key - 1), "\"" + v.get(Math.max(0, key - 1)));
            case "stray_quote_in_key" -> v.set(key, p.key().substring(0, 3) + "\"" + p.key().substring(3));
            case "text_after_quote" -> v.set(key, "\"" + p.key() + "\"x");
            case "invalid_utf8" -> {
                String line = String.join(",", v) + "\n";
                byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                int at = line.indexOf(p.key()) + 3;
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(bytes, 0, at);
                out.write(0xFF);
                out.write(bytes, at, bytes.length - at);
                return out.toByteArray();
            }
            case "oversize" -> v.set(0, v.get(0) + "y".repeat(70 * 1024));
            case "phone_in_typed" -> v.set(typed, p.phone());
            case "nid_in_number" -> v.set(number, p.nid());
            case "semicolons" -> {
                return (String.join(";", v) + "\n").getBytes(StandardCharsets.UTF_8);
            }
            case "glued" -> {
                return (String.join(",", v) + String.join(",", v) + "\n").getBytes(StandardCharsets.UTF_8);
            }
            case "late_quote" -> {
                Person q = person();
                List<String> middle = new ArrayList<>();
                header.forEach(c -> middle.add(base(c, q)));
                List<String> closing = new ArrayList<>(v);
                v.set(key, "\"" + p.key());
                closing.set(key, p.key() + "-2\"");
                planted.add(p.key() + "-2");
                return (String.join(",", v) + "\n" + String.join(",", middle) + "\n" + String.join(",", closing) + "\n")
                        .getBytes(StandardCharsets.UTF_8);
            }
            case "key_in_typed" -> v.set(typed, p.key());
            case "name_in_typed" -> v.set(typed, p.name());
            default -> throw new IllegalArgumentException(kind);
        }
        return (String.join(",", v) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static int firstOf(List<String> header, String... columns) {
        for (String c : columns) {
            if (header.contains(c)) {
                return header.indexOf(c);
            }
        }
        throw new IllegalArgumentException("no typed column in " + header);
    }

    /** One JSON line per kind; each is rejected. The last one is cut off (it cannot stand in an array). */
    private List<String> jsonKinds() {
        List<String> lines = new ArrayList<>();
        String enrol = "{\"layout\":\"enrolments\",\"cohort_id\":\"C1\",\"enrolled_on\":\"2026-02-01\",";
        String datt = "{\"layout\":\"dialogue_attendance\",\"dialogue_id\":\"D1\",\"attendee_no\":4,";
        Person p = person();
        lines.add(enrol + "\"person_key\":\"" + p.key() + "\",\"sex\":\"f\",\"name\": " + p.name() + "}");
        p = person();
        lines.add(enrol + "\"person_key\": " + p.key() + ",\"sex\":\"f\",\"phone\":\"" + p.phone() + "\"}");
        p = person();
        lines.add("{'layout':'enrolments','person_key':'" + p.key() + "','name':'" + p.name() + "'}");
        p = person();
        lines.add(enrol + "\"person_key\":\"" + p.key() + "\",\"sex\":\"f\"} " + p.phone());
        p = person();
        lines.add(enrol + "\"person_key\":\"" + p.key() + "\",\"sex\":\"" + p.phone() + "\"}");
        p = person();
        lines.add(enrol + "\"person_key\":\"" + p.key() + "\",\"sex\":\"f\",\"age\":\"" + p.nid() + "\"}");
        p = person();
        lines.add(datt + "\"sex\":\"f\",\"role\":\"" + p.phone() + "\",\"name\":\"" + p.name() + "\"}");
        p = person();
        lines.add(datt + "\"sex\":\"woman\",\"role\":\"chair " + p.name() + "\",\"name\":\"" + p.name() + "\",\"mobile\":\""
                + p.phone() + "\"}");
        p = person();
        lines.add(enrol + "\"person_key\":\"" + p.key() + "\",\"sex\":\"f\",\"age\":\"x\",\"cohort\":\"" + p.key() + "\",\"mother\":\""
                + p.name() + "\"}");
        p = person();
        lines.add(enrol + "\"sex\":\"f\",\"person_key\":{\"id\":\"" + p.key() + "\",\"name\":\"" + p.name() + "\",\"phone\":\""
                + p.phone() + "\"}}");
        p = person();
        lines.add(datt + "\"sex\":\"f\",\"role\":[\"" + p.phone() + "\",\"" + p.key() + "\"]}");
        p = person();
        lines.add(enrol + "\"person_key\":\"" + p.key() + "\",\"sex\":\"f\",\"name\":\"" + p.name() + "\",\"phone\":\"0\u00ff\"}"
                .replace("0\u00ff", "0\\ud800"));
        p = person();
        lines.add(enrol + "\"person_key\":\"" + p.key() + "\",\"sex\":\"f\",\"name\":\"" + p.name() + "\",\"topic\":\""
                + "z".repeat(70 * 1024) + "\"}");
        p = person();
        lines.add("{\"layout\":\"" + p.name() + "\",\"person_key\":\"" + p.key() + "\"}");
        p = person();
        lines.add("{\"person_key\":\"" + p.key() + "\",\"name\":\"" + p.name() + "\",\"phone\":\"" + p.phone() + "\"}");
        p = person();
        lines.add("[\"" + p.key() + "\",\"" + p.name() + "\",\"" + p.phone() + "\"]");
        p = person();
        lines.add(enrol + "\"person_key\":\"" + p.key() + "\",\"person_key\":\"" + p.key() + "-b\",\"sex\":\"" + p.key() + "-b\"}");
        planted.add(p.key() + "-b");
        p = person();
        lines.add(enrol + "\"person_key\":\"f\",\"sex\":\"" + p.key() + "\",\"name\":\"2026-02-01\"}");
        p = person();
        lines.add(enrol + "\"person_key\":\"" + p.key() + "\",\"sex\":\"" + p.name() + "\"}");
        p = person();
        lines.add(datt + "\"sex\":\"f\",\"role\":\"member\",\"age\":\"" + p.phone() + "\",\"person_key\":\"" + p.key() + "\"}");
        p = person();
        lines.add(enrol + "\"sex\":\"f\",\"name\":\"" + p.name() + "\",\"person_key\":\"" + p.key() + "\",\"cohort_id\":\"C1\",\"person");
        return lines;
    }
}
