package org.fieldstream.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.events.Topics;
import org.fieldstream.platform.ClickHouseHttp;
import org.fieldstream.producers.ProducerSettings;
import org.fieldstream.reference.ReferenceData;
import org.fieldstream.reports.ReportCommand;
import org.fieldstream.schema.AnalystAccounts;
import org.fieldstream.schema.AnalystScope;
import org.fieldstream.seeds.ExpectedMetrics;
import org.fieldstream.seeds.ScenarioGenerator;
import org.fieldstream.seeds.Size;
import org.fieldstream.sink.KafkaDeadLetters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running local stack with a generated program backed up, its folder moved away, the archive
 * restored into the original (now empty) path and the stack started again: every analyst view in
 * ClickHouse, rebuilt from the restored log by streams and sink, equals the view before, row by row,
 * and so do the retention and outreach reports; an analyst's account and a viewers' file come back, and
 * the analyst logs in with the same password and reads the same rows. Its own Kafka and ClickHouse
 * processes, stopped at the end.
 */
class BackupRestoreIT {

    /**
     * Columns that record the pipeline's own work, not the data, and so differ in a rebuild:
     * {@code updated_at} (when streams last wrote a metric row; in {@code dash_freshness} the latest such
     * write), {@code version} (the ReplacingMergeTree version of a metric row, taken from the clock when
     * streams writes it) and {@code source_partition} / {@code source_offset} (where the sink read the row:
     * metric topics are rewritten by the rebuild, so their offsets differ). Every other column, as_of and
     * the events' received_at included, comes from the log and must be equal.
     */
    private static final Set<String> REBUILT = Set.of("updated_at", "version", "source_partition", "source_offset");

    @TempDir
    Path work;

    @Test
    void restoredStackRebuildsEveryViewFromTheArchivedLog() throws Exception {
        Path data = work.resolve("var");
        LocalStack stack = new LocalStack(data);
        Path old = work.resolve("var-before");
        LocalStack oldStack = new LocalStack(old);
        try {
            stack.up(quiet());
            ReferenceData reference = ReferenceData.bundled();
            ScenarioGenerator.Result scenario = new ScenarioGenerator(reference, 11L, Size.TINY).generate(work.resolve("input"));
            ManifestIngest.run(scenario, work.resolve("input"), reference, Map.of("FIELDSTREAM_CONFIG", stack.settingsFile().toString()));
            assertEquals(0, PartnerCommand.issue("ndp", ProducerSettings.load(stack.settingsFile(), Map.of()), quiet(), quiet()));
            deadLetter(stack.kafkaClients());
            ExpectedMetrics expected = scenario.expected(reference, Function.identity());
            Map<String, List<String>> before;
            Map<String, String> reportsBefore;
            Properties settings = stack.settings();
            String db = settings.getProperty("clickhouse.database");
            AnalystAccounts.Credentials analyst;
            Path viewers = data.resolve("viewers/viewers.properties");
            Files.createDirectories(viewers.getParent());
            Files.writeString(viewers, "# a viewers' file another component keeps under the stack's folder\nv=pbkdf2:1:2:3\n");
            Map<String, String> analystBefore;
            try (ClickHouseGateway clickHouse = new ClickHouseGateway(settings.getProperty("clickhouse.url"), "fieldstream", stack.values().get("clickhouse.password"))) {
                assertTrue(MetricsCheck.awaitMatch(clickHouse, db, expected, Duration.ofSeconds(180), System.out));
                try (ClickHouseGateway admin = AnalystCommand.admin(stack)) {
                    analyst = AnalystCommand.accounts(stack, admin).add("ana", AnalystScope.of(AnalystScope.Role.PARTNER, "shouhardo3", "ndp"));
                }
                before = stableViews(clickHouse, db);
                assertTrue(before.keySet().stream().anyMatch(view -> view.startsWith("s_partner_")), "the scope's filtered views: " + before.keySet());
                reportsBefore = reports(stack);
                analystBefore = asAnalyst(settings.getProperty("clickhouse.url"), analyst);
            }
            assertFalse(analystBefore.get("v_cohort_starts").isBlank(), "the analyst reads their cohorts");
            Path accountFile = data.resolve("clickhouse/users.d/fieldstream-analyst-ana.xml");
            byte[] account = Files.readAllBytes(accountFile);
            byte[] secrets = Files.readAllBytes(data.resolve("secrets.properties"));
            byte[] tokens = Files.readAllBytes(data.resolve("tokens.properties"));
            assertTrue(new String(tokens, StandardCharsets.UTF_8).contains("ndp=sha256:"));

            Path archive = work.resolve("backups/stack.zip");
            BackupManifest manifest = StackBackup.backup(stack, archive, System.out);
            assertTrue(stack.processes().values().stream().allMatch(Boolean::booleanValue), "the backup leaves the stack running");
            long events = manifest.topics().stream().filter(t -> t.name().equals("fieldstream.events")).findFirst().orElseThrow().records();
            assertTrue(events > 100, manifest.toString());
            assertEquals(Topics.DEFAULT.originals().size(), manifest.topics().size(), manifest.toString());
            Map<String, List<String>> logBefore = log(stack.kafkaClients(), manifest);
            assertTrue(logBefore.get("fieldstream.dead-letters/0").get(0).contains("stage=sink"), logBefore.toString());
            try (BackupArchive.Reader read = new BackupArchive.Reader(archive)) {
                List<String> accounts = read.entries(AccountFiles.PREFIX);
                assertTrue(accounts.contains("accounts/clickhouse/users.d/fieldstream-analyst-ana.xml")
                        && accounts.contains("accounts/viewers/viewers.properties"), accounts.toString());
            }
            IllegalStateException again = assertThrows(IllegalStateException.class, () -> StackBackup.backup(stack, archive, System.out));
            assertTrue(again.getMessage().contains("exists"), again.getMessage());

            stack.down();
            Files.move(data, old);
            IllegalStateException notEmpty = assertThrows(IllegalStateException.class,
                    () -> StackRestore.restore(oldStack, archive, System.out));
            assertTrue(notEmpty.getMessage().contains("is not empty"), notEmpty.getMessage());

            BackupManifest restored = StackRestore.restore(stack, archive, System.out);
            assertEquals(manifest, restored);
            assertFalse(stack.kafkaRunning(), "restore stops the Kafka it started");
            assertArrayEquals(secrets, Files.readAllBytes(data.resolve("secrets.properties")));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("secrets.properties"))));
            assertArrayEquals(tokens, Files.readAllBytes(data.resolve("tokens.properties")));
            assertArrayEquals(account, Files.readAllBytes(accountFile), "the analyst's account, its password hash and scope");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(accountFile)));
            assertArrayEquals(Files.readAllBytes(old.resolve("viewers/viewers.properties")), Files.readAllBytes(viewers));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(viewers)));
            Properties raw = new Properties();
            try (InputStream in = Files.newInputStream(stack.settingsFile())) {
                raw.load(in);
            }
            assertEquals("secrets.properties", raw.getProperty("secrets.file"), "paths relative to the restored folder");
            assertEquals(data.resolve("tokens.properties").toString(), stack.settings().getProperty("http.tokens.file"));

            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            stack.up(new PrintStream(progress, true, StandardCharsets.UTF_8));
            assertFalse(progress.toString(StandardCharsets.UTF_8).contains("loaded the bundled"), progress.toString(StandardCharsets.UTF_8));
            assertArrayEquals(secrets, Files.readAllBytes(data.resolve("secrets.properties")), "up generates no new secrets");
            Properties now = stack.settings();
            assertEquals(logBefore, log(stack.kafkaClients(), manifest),
                    "every partition holds the archived records: key, value, headers, timestamp");
            try (ClickHouseGateway clickHouse = new ClickHouseGateway(now.getProperty("clickhouse.url"), "fieldstream", stack.values().get("clickhouse.password"))) {
                assertTrue(MetricsCheck.awaitMatch(clickHouse, db, expected, Duration.ofSeconds(180), System.out));
                Map<String, List<String>> after = stableViews(clickHouse, db);
                assertEquals(before.keySet(), after.keySet());
                for (String view : before.keySet()) {
                    assertEquals(before.get(view), after.get(view), () -> view + ": " + difference(before.get(view), after.get(view)));
                }
            }
            assertEquals(reportsBefore, reports(stack));
            assertTrue(progress.toString(StandardCharsets.UTF_8).contains("analyst scope " + analyst.database() + " re-created"),
                    progress.toString(StandardCharsets.UTF_8));
            assertEquals(analystBefore, asAnalyst(now.getProperty("clickhouse.url"), analyst),
                    "the analyst logs in with the same password and reads the same rows");
        } finally {
            stack.down();
            oldStack.down();
        }
    }

    /** What the analyst reads in their scope database, logged in with their password (wall-clock columns left out). */
    private static Map<String, String> asAnalyst(String url, AnalystAccounts.Credentials analyst) {
        ClickHouseHttp http = new ClickHouseHttp(url, analyst.user(), analyst.password());
        Map<String, String> rows = new TreeMap<>();
        rows.put("v_cohort_starts", http.query(analyst.database(), "SELECT * FROM v_cohort_starts ORDER BY cohort_id"));
        rows.put("v_cohort_retention", http.query(analyst.database(), "SELECT program_id, partner_id, cohort_id, enrolled, active, completed,"
                + " dropped_out, transferred, sessions_attended, sessions_expected FROM v_cohort_retention ORDER BY cohort_id"));
        rows.put("outreach_to_date", http.query(analyst.database(), "SELECT count() FROM outreach_to_date"));
        return rows;
    }

    /**
     * A record the sink could not land, as the sink dead-letters it: no key, provenance and reason in
     * headers. Lands in {@code v_dead_letters} read from those headers, so a restore that lost them shows.
     */
    private static void deadLetter(Map<String, Object> p) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(KafkaDeadLetters.HEADER_TOPIC, "fieldstream.events".getBytes(StandardCharsets.UTF_8));
            headers.add(KafkaDeadLetters.HEADER_PARTITION, "2".getBytes(StandardCharsets.UTF_8));
            headers.add(KafkaDeadLetters.HEADER_OFFSET, "77".getBytes(StandardCharsets.UTF_8));
            headers.add(KafkaDeadLetters.HEADER_REASON, "refused by ClickHouse (test)".getBytes(StandardCharsets.UTF_8));
            headers.add(KafkaDeadLetters.HEADER_FAILED_AT, "2026-03-01T10:00:00Z".getBytes(StandardCharsets.UTF_8));
            headers.add(KafkaDeadLetters.HEADER_STAGE, "sink".getBytes(StandardCharsets.UTF_8));
            producer.send(new ProducerRecord<>("fieldstream.dead-letters", 0, 1_772_359_200_000L, null, new byte[] {1, 2, 3}, headers)).get();
        }
    }

    /** Each archived partition's first records (as many as archived), in order: partition, key, value, headers, timestamp. */
    private static Map<String, List<String>> log(Map<String, Object> kafka, BackupManifest manifest) {
        Map<String, Object> p = new java.util.HashMap<>(kafka);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, List<String>> log = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (BackupManifest.TopicEntry topic : manifest.topics()) {
                for (BackupManifest.PartitionEntry partition : topic.partitions()) {
                    TopicPartition tp = new TopicPartition(manifest.topicPrefix() + topic.name(), partition.partition());
                    consumer.assign(List.of(tp));
                    consumer.seekToBeginning(List.of(tp));
                    List<String> records = new ArrayList<>();
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (records.size() < partition.records()) {
                        assertTrue(System.nanoTime() < deadline, tp + ": " + records.size() + " of " + partition.records() + " records");
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                            if (records.size() < partition.records()) {
                                records.add(describe(r));
                            }
                        }
                    }
                    log.put(tp.topic() + "/" + tp.partition(), records);
                }
            }
        }
        return log;
    }

    private static String describe(ConsumerRecord<byte[], byte[]> r) {
        StringBuilder s = new StringBuilder();
        s.append("key=").append(r.key() == null ? "null" : HexFormat.of().formatHex(r.key()));
        s.append(" value=").append(r.value() == null ? "null" : Arrays.hashCode(r.value()) + "/" + r.value().length);
        s.append(" ").append(r.timestampType()).append("=").append(r.timestamp());
        for (Header h : r.headers()) {
            s.append(" ").append(h.key()).append("=").append(h.value() == null ? "null" : new String(h.value(), StandardCharsets.UTF_8));
        }
        return s.toString();
    }

    private static String difference(List<String> before, List<String> after) {
        List<String> gone = new ArrayList<>(before);
        gone.removeAll(after);
        List<String> added = new ArrayList<>(after);
        added.removeAll(before);
        return before.size() + " rows before, " + after.size() + " after; only before: " + gone.stream().limit(3).toList()
                + "; only after: " + added.stream().limit(3).toList();
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    /** Every view's rows, sorted, wall-clock columns left out; read until two reads 2 s apart agree (the sink may still land rows). */
    private static Map<String, List<String>> stableViews(ClickHouseGateway clickHouse, String db) throws InterruptedException {
        Map<String, List<String>> last = views(clickHouse, db);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Thread.sleep(2000);
            Map<String, List<String>> next = views(clickHouse, db);
            if (next.equals(last)) {
                return next;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the views still change after 60 s");
            }
            last = next;
        }
    }

    private static Map<String, List<String>> views(ClickHouseGateway clickHouse, String db) {
        Map<String, List<String>> views = new TreeMap<>();
        List<String> names = clickHouse.query("SELECT name FROM system.tables WHERE database = '" + db + "' AND engine = 'View' ORDER BY name")
                .stream().map(row -> row.get("name")).toList();
        assertTrue(names.size() > 20, names.toString());
        for (String name : names) {
            List<String> rows = new ArrayList<>();
            for (Map<String, String> row : clickHouse.query("SELECT * FROM " + db + "." + name)) {
                rows.add(new TreeMap<>(row).entrySet().stream().filter(e -> !REBUILT.contains(e.getKey()))
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\t")));
            }
            rows.sort(null);
            views.put(name, rows);
        }
        return views;
    }

    private static Map<String, String> reports(LocalStack stack) {
        Map<String, String> reports = new TreeMap<>();
        for (String report : List.of("retention", "outreach")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertEquals(0, ReportCommand.run(new String[] {report}, Map.of("FIELDSTREAM_CONFIG", stack.settingsFile().toString()),
                    new PrintStream(out, true, StandardCharsets.UTF_8)));
            reports.put(report, out.toString(StandardCharsets.UTF_8));
        }
        return reports;
    }
}
