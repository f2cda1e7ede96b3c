package org.fieldstream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.events.KafkaAccess;
import org.fieldstream.events.LogRetention;
import org.fieldstream.events.Topics;
import org.fieldstream.platform.ClickHouseHttp;
import org.fieldstream.reference.ReferenceData;
import org.fieldstream.schema.AnalystAccounts;
import org.fieldstream.schema.AnalystScope;
import org.fieldstream.seeds.ExpectedMetrics;
import org.fieldstream.seeds.ScenarioGenerator;
import org.fieldstream.seeds.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stack as a program team uses it: {@code up} on an empty directory, a generated program
 * ingested with nothing but the settings file {@code up} wrote, the landed metrics equal to the
 * generator's expectation; {@code down} stops every process, {@code up} again finds every number where
 * it was. Its own Kafka and ClickHouse processes, started like a user's, stopped at the end. Kafka
 * and ClickHouse take only the stack's credentials: a client without them writes nothing and reads
 * nothing; each ClickHouse user of the stack (the sink's writer, the reader, the admin) may do its work
 * only, and an analyst's scope follows a view whose columns changed without {@code analyst refresh}.
 */
class LocalStackIT {

    @TempDir
    Path work;

    /** ClickHouse refuses these credentials. */
    private static void assertRefused(ClickHouseHttp client) {
        ClickHouseHttp.ClickHouseHttpException refused = assertThrows(ClickHouseHttp.ClickHouseHttpException.class,
                () -> client.query("SELECT count() FROM system.tables"));
        assertTrue(refused.status() > 0 && refused.getMessage().matches(
                "(?s).*(Authentication failed|Wrong password|Password required|password is incorrect|AUTHENTICATION_FAILED|is not allowed to connect).*"), refused.getMessage());
    }

    /**
     * A producer without the stack's credentials cannot write to the events topic (its send fails, the
     * end offsets stay); one with them can.
     */
    private static void assertOnlyTheCredentialsWrite(Map<String, String> values, String topic) throws Exception {
        Map<String, Object> withCredentials = KafkaAccess.clients(values);
        Map<TopicPartition, Long> before;
        try (Admin admin = Admin.create(withCredentials)) {
            before = LogRetention.endOffsets(admin, topic);
        }
        Map<String, Object> anonymous = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, values.get("bootstrap.servers"),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 8000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(anonymous, new ByteArraySerializer(), new ByteArraySerializer())) {
            Exception failed = assertThrows(Exception.class, () -> producer.send(new ProducerRecord<>(topic, "probe".getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS));
            Throwable cause = failed instanceof ExecutionException ? failed.getCause() : failed;
            assertTrue(cause instanceof org.apache.kafka.common.errors.TimeoutException
                    || cause instanceof org.apache.kafka.common.errors.AuthenticationException, "not written: " + failed);
        }
        try (Admin admin = Admin.create(withCredentials)) {
            assertEquals(before, LogRetention.endOffsets(admin, topic), "nothing landed without credentials");
        }
        Map<String, Object> authenticated = new HashMap<>(withCredentials);
        authenticated.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(authenticated, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "probe".getBytes(StandardCharsets.UTF_8))).get(60, TimeUnit.SECONDS);
        }
        try (Admin admin = Admin.create(withCredentials)) {
            long added = LogRetention.endOffsets(admin, topic).entrySet().stream().mapToLong(e -> e.getValue() - before.get(e.getKey())).sum();
            assertEquals(1, added, "the credentials write");
        }
    }

    /** ClickHouse refuses {@code sql} to {@code client} with a message matching {@code reason}. */
    private static void assertDenied(ClickHouseHttp client, String sql, String reason) {
        ClickHouseHttp.ClickHouseHttpException denied = assertThrows(ClickHouseHttp.ClickHouseHttpException.class,
                () -> client.query(sql), sql);
        assertTrue(denied.getMessage().matches("(?s).*(" + reason + ").*"), sql + ": " + denied.getMessage());
    }

    /**
     * Each ClickHouse user of the stack may do its work and nothing else: the reader reads the main
     * database and cannot write, create or drop anything; the sink's writer writes and creates tables in
     * the main database and reaches no other database; the admin creates databases; {@code default}
     * cannot log in. {@code scopeDb} is an analyst's scope database, which neither the reader nor the
     * writer may read.
     */
    private static void assertStageUsers(String url, Map<String, String> values, String db, String scopeDb) {
        ClickHouseHttp reader = new ClickHouseHttp(url, values.get("clickhouse.reader.user"), values.get("clickhouse.reader.password"));
        ClickHouseHttp writer = new ClickHouseHttp(url, values.get("clickhouse.user"), values.get("clickhouse.password"));
        ClickHouseHttp admin = new ClickHouseHttp(url, values.get("clickhouse.admin.user"), values.get("clickhouse.admin.password"));
        assertEquals(List.of("fieldstream", "fieldstream_reader", "fieldstream_admin"),
                List.of(values.get("clickhouse.user"), values.get("clickhouse.reader.user"), values.get("clickhouse.admin.user")));

        assertTrue(Long.parseLong(reader.query("SELECT count() FROM " + db + ".v_cohort_retention").strip()) > 0, "the reader reads the views");
        String readonly = "readonly mode|Cannot execute query in readonly mode";
        assertDenied(reader, "INSERT INTO " + db + ".dead_letters (stage) VALUES ('probe')", readonly);
        assertDenied(reader, "CREATE TABLE " + db + ".reader_probe (a UInt8) ENGINE = Memory", readonly);
        assertDenied(reader, "DROP TABLE " + db + ".v_programs", readonly);
        assertDenied(reader, "CREATE DATABASE reader_probe", readonly + "|Access denied");
        assertDenied(reader, "SELECT count() FROM " + scopeDb + ".v_cohort_starts", "Access denied to database " + scopeDb);
        assertDenied(reader, "SELECT count() FROM default.nothing", "Access denied to database default");

        writer.query("CREATE TABLE " + db + ".writer_probe (a UInt8) ENGINE = Memory");
        writer.query("INSERT INTO " + db + ".writer_probe VALUES (7)");
        assertEquals("7", writer.query("SELECT a FROM " + db + ".writer_probe").strip());
        writer.query("DROP TABLE " + db + ".writer_probe");
        assertDenied(writer, "SELECT count() FROM " + scopeDb + ".v_cohort_starts", "Access denied to database " + scopeDb);
        assertDenied(writer, "CREATE DATABASE writer_probe", "Access denied to database writer_probe");
        assertDenied(writer, "SELECT count() FROM default.nothing", "Access denied to database default");

        admin.query("CREATE DATABASE admin_probe");
        admin.query("DROP DATABASE admin_probe");
        assertTrue(Long.parseLong(admin.query("SELECT count() FROM " + scopeDb + ".v_cohort_starts").strip()) >= 0);

        assertRefused(new ClickHouseHttp(url));
    }

    /** A scope table as an older release left it: {@code view}'s Distributed table without the view's last column. */
    private static List<String> makeStale(ClickHouseHttp admin, String scopeDb, String view) {
        String engine = admin.query("SELECT engine_full FROM system.tables WHERE database = '" + scopeDb + "' AND name = '" + view + "'").strip();
        assertTrue(engine.startsWith("Distributed("), engine);
        List<String> columns = List.of(admin.query("SELECT name, type FROM system.columns WHERE database = '" + scopeDb
                + "' AND table = '" + view + "'").strip().split("\n"));
        List<String> older = columns.subList(0, columns.size() - 1).stream().map(line -> line.replace('\t', ' ')).toList();
        admin.query("DROP TABLE " + scopeDb + "." + view);
        admin.query("CREATE TABLE " + scopeDb + "." + view + " (" + String.join(", ", older) + ") ENGINE = " + engine);
        return columns;
    }

    @Test
    void upIngestDownUpKeepsEveryNumber() throws Exception {
        LocalStack stack = new LocalStack(work.resolve("var"));
        try {
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            Map<String, String> endpoints = stack.up(new PrintStream(progress, true, StandardCharsets.UTF_8));
            assertTrue(progress.toString(StandardCharsets.UTF_8).contains("loaded the bundled example reference data"), progress.toString());
            assertTrue(stack.processes().values().stream().allMatch(Boolean::booleanValue), stack.processes().toString());
            assertTrue(endpoints.get("push endpoint").startsWith("http://127.0.0.1:"), endpoints.toString());
            Properties settings = stack.settings();
            Path secrets = Path.of(settings.getProperty("secrets.file"));
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets)));
            Path credentials = stack.credentialsFile();
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials)));
            assertEquals(credentials.toString(), settings.getProperty("credentials.file"));
            Map<String, String> values = stack.values();
            assertEquals("SASL_PLAINTEXT", values.get("kafka.security.protocol"));
            assertEquals("fieldstream", values.get("clickhouse.user"));
            String clickHousePassword = values.get("clickhouse.password");
            assertFalse(progress.toString(StandardCharsets.UTF_8).contains(clickHousePassword), "no password printed");
            assertFalse(String.join("\n", endpoints.values()).contains(clickHousePassword), "no password among the endpoints");
            assertRefused(new ClickHouseHttp(settings.getProperty("clickhouse.url")));
            assertRefused(new ClickHouseHttp(settings.getProperty("clickhouse.url"), "fieldstream", ""));

            ReferenceData reference = ReferenceData.bundled();
            ScenarioGenerator.Result scenario = new ScenarioGenerator(reference, 11L, Size.TINY).generate(work.resolve("input"));
            ManifestIngest.run(scenario, work.resolve("input"), reference, Map.of("FIELDSTREAM_CONFIG", stack.settingsFile().toString()));
            ExpectedMetrics expected = scenario.expected(reference, Function.identity());
            String db = settings.getProperty("clickhouse.database");
            try (ClickHouseGateway clickHouse = new ClickHouseGateway(settings.getProperty("clickhouse.url"), "fieldstream", clickHousePassword)) {
                assertTrue(MetricsCheck.awaitMatch(clickHouse, db, expected, Duration.ofSeconds(180), System.out));
                String events = clickHouse.queryValue("SELECT uniqExact(event_id) FROM " + db + ".field_events");

                // an analyst account, then each stage's user may do its work and nothing else
                AnalystAccounts.Credentials analyst;
                try (ClickHouseGateway admin = AnalystCommand.admin(stack)) {
                    analyst = AnalystCommand.accounts(stack, admin).add("ana", AnalystScope.of(AnalystScope.Role.PARTNER, "shouhardo3", "ndp"));
                }
                String url = settings.getProperty("clickhouse.url");
                assertStageUsers(url, values, db, analyst.database());

                ByteArrayOutputStream status = new ByteArrayOutputStream();
                assertTrue(StackCommand.print(stack, new PrintStream(status, true, StandardCharsets.UTF_8)));
                String shown = status.toString(StandardCharsets.UTF_8);
                assertTrue(shown.contains(events), shown);
                assertTrue(shown.matches("(?s).*fieldstream-sink\\s+0\\s.*"), "no sink lag once landed: " + shown);
                assertTrue(shown.matches("(?s).*fieldstream-streams-state\\d+\\s+0\\s.*"), "no streams lag once landed: " + shown);
                assertFalse(shown.contains("has lost"), shown);

                // records deleted from the log (here by hand) are said by status; the running streams
                // application is past them, so the next up starts it as usual
                String topic = new Topics("").events.name();
                try (Admin admin = Admin.create(KafkaAccess.clients(values))) {
                    assertEquals("-1", admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, topic))).all().get()
                            .values().iterator().next().get("retention.ms").value(), "the event log keeps every record");
                    TopicPartition partition = LogRetention.endOffsets(admin, topic).entrySet().stream()
                            .filter(e -> e.getValue() > 0).findFirst().orElseThrow().getKey();
                    admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(1))).all().get();
                }
                ByteArrayOutputStream lost = new ByteArrayOutputStream();
                StackCommand.print(stack, new PrintStream(lost, true, StandardCharsets.UTF_8));
                assertTrue(lost.toString(StandardCharsets.UTF_8).contains("topic " + topic + " has lost 1 records already"), lost.toString());

                // an upgrade changed a view's columns: the scope's table is as the older release made it and
                // the sink's record of the view is the older one, so its next start applies the view again
                ClickHouseHttp adminHttp = new ClickHouseHttp(url, values.get("clickhouse.admin.user"), values.get("clickhouse.admin.password"));
                List<String> viewColumns = makeStale(adminHttp, analyst.database(), "v_cohort_starts");
                new ClickHouseHttp(url, values.get("clickhouse.user"), values.get("clickhouse.password")).query("INSERT INTO " + db
                        + ".schema_views (name, checksum, applied_at) VALUES ('v_cohort_starts', 'released-before', now())");

                List<String> stopped = stack.down();
                assertEquals(List.of("dashboard", "serve", "sink", "streams", "supervisor", "clickhouse", "kafka"), stopped);
                assertFalse(stack.processes().containsValue(true), stack.processes().toString());

                Path moved = secrets.resolveSibling("secrets.moved");
                Files.move(secrets, moved);
                IllegalStateException refused = assertThrows(IllegalStateException.class,
                        () -> stack.up(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
                assertTrue(refused.getMessage().contains("program " + reference.programs().get(0).getProgramId()
                        + " has data published under a pseudonymisation secret, but no secret is configured")
                        && refused.getMessage().contains("Restore the secrets file"), refused.getMessage());
                assertFalse(Files.exists(secrets), "no new secret generated");
                assertFalse(stack.stage("streams").isAlive() || stack.stage("sink").isAlive() || stack.stage("serve").isAlive(),
                        "no stage started");
                Files.move(moved, secrets);

                // lost credentials: up generates new ones, gives them to the broker (started once without
                // authentication to add the users) and to ClickHouse, and every stage uses them
                stack.down();
                Files.delete(credentials);
                ByteArrayOutputStream upAgain = new ByteArrayOutputStream();
                stack.up(new PrintStream(upAgain, true, StandardCharsets.UTF_8));
                assertEquals(settings, stack.settings(), "the same ports and paths");
                values = stack.values();

                // the scope follows the view without analyst refresh: up re-created it once the sink applied the views
                assertTrue(upAgain.toString(StandardCharsets.UTF_8).contains("analyst scope " + analyst.database()
                        + " re-created from the current views (v_cohort_starts)"), upAgain.toString(StandardCharsets.UTF_8));
                adminHttp = new ClickHouseHttp(url, values.get("clickhouse.admin.user"), values.get("clickhouse.admin.password"));
                assertEquals(viewColumns, List.of(adminHttp.query("SELECT name, type FROM system.columns WHERE database = '"
                        + analyst.database() + "' AND table = 'v_cohort_starts'").strip().split("\n")));
                String scoped = new ClickHouseHttp(url, analyst.user(), analyst.password()).query(analyst.database(),
                        "SELECT * FROM v_cohort_starts ORDER BY cohort_id");
                assertFalse(scoped.isBlank(), "the analyst reads their cohorts");
                assertEquals(adminHttp.query("SELECT * FROM " + db + ".v_cohort_starts WHERE program_id = 'shouhardo3' AND partner_id = 'ndp'"
                        + " ORDER BY cohort_id"), scoped, "every column of the view, the scope's rows");
                assertStageUsers(url, values, db, analyst.database());
                assertFalse(clickHousePassword.equals(values.get("clickhouse.password")), "new credentials");
                try (ClickHouseGateway renewed = new ClickHouseGateway(settings.getProperty("clickhouse.url"), "fieldstream",
                        values.get("clickhouse.password"))) {
                    assertEquals(List.of(), MetricsCheck.differences(renewed, db, expected));
                    assertEquals(events, renewed.queryValue("SELECT uniqExact(event_id) FROM " + db + ".field_events"));
                }
                assertRefused(new ClickHouseHttp(settings.getProperty("clickhouse.url"), "fieldstream", clickHousePassword));
                assertOnlyTheCredentialsWrite(values, topic);
            }
        } finally {
            stack.down();
        }
    }
}
