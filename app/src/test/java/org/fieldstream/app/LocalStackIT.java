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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.fieldstream.events.LogRetention;
import org.fieldstream.events.Topics;
import org.fieldstream.seeds.ExpectedMetrics;
import org.fieldstream.seeds.ReferenceData;
import org.fieldstream.seeds.ScenarioGenerator;
import org.fieldstream.seeds.Size;
import org.fieldstream.sink.ClickHouseGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stack as a program team uses it: {@code up} on an empty directory, a generated program
 * ingested with nothing but the settings file {@code up} wrote, the landed metrics equal to the
 * generator's expectation; {@code down} stops every process, {@code up} again finds every number where
 * it was. Its own Kafka and ClickHouse processes, started like a user's, stopped at the end.
 */
class LocalStackIT {

    @TempDir
    Path work;

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

            ReferenceData reference = ReferenceData.bundled();
            ScenarioGenerator.Result scenario = new ScenarioGenerator(reference, 11L, Size.TINY).generate(work.resolve("input"));
            ManifestIngest.run(scenario, work.resolve("input"), reference, Map.of("FIELDSTREAM_CONFIG", stack.settingsFile().toString()));
            ExpectedMetrics expected = scenario.expected(reference, Function.identity());
            String db = settings.getProperty("clickhouse.database");
            try (ClickHouseGateway clickHouse = new ClickHouseGateway(settings.getProperty("clickhouse.url"), "default", "")) {
                assertTrue(MetricsCheck.awaitMatch(clickHouse, db, expected, Duration.ofSeconds(180), System.out));
                String events = clickHouse.queryValue("SELECT uniqExact(event_id) FROM " + db + ".field_events");

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
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.getProperty("bootstrap.servers")))) {
                    assertEquals("-1", admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, topic))).all().get()
                            .values().iterator().next().get("retention.ms").value(), "the event log keeps every record");
                    TopicPartition partition = LogRetention.endOffsets(admin, topic).entrySet().stream()
                            .filter(e -> e.getValue() > 0).findFirst().orElseThrow().getKey();
                    admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(1))).all().get();
                }
                ByteArrayOutputStream lost = new ByteArrayOutputStream();
                StackCommand.print(stack, new PrintStream(lost, true, StandardCharsets.UTF_8));
                assertTrue(lost.toString(StandardCharsets.UTF_8).contains("topic " + topic + " has lost 1 records already"), lost.toString());

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

                stack.up(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
                assertEquals(settings, stack.settings(), "the same ports and paths");
                assertEquals(List.of(), MetricsCheck.differences(clickHouse, db, expected));
                assertEquals(events, clickHouse.queryValue("SELECT uniqExact(event_id) FROM " + db + ".field_events"));
            }
        } finally {
            stack.down();
        }
    }
}
