package org.fieldstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.awaitility.core.ConditionTimeoutException;
import org.fieldstream.events.SettingKeys;
import org.fieldstream.platform.ChildJvm;
import org.junit.jupiter.api.Test;

/**
 * Invariant 4 for the sink: SinkMain is killed with SIGKILL while records are flowing and batches
 * are being written, then restarted; ClickHouse ends with exactly what was produced.
 */
class SinkCrashIT {

    private static final int EVENTS = 20_000;
    private static final int VERSIONS = 30;

    @Test
    void killedSinkRestartsWithNothingLostOrDoubled() throws Exception {
        try (ItSupport it = new ItSupport()) {
            SinkSettings s = it.settings(500, 100);
            Path config = Path.of("target", "sink-crash-" + it.id + ".properties");
            writeConfig(config, s);
            // half the events, then a hold until the first sink is dead, so the kill lands before the end
            Workload workload = new Workload(it, EVENTS, VERSIONS, 400, 100).holdingAt(EVENTS / 2);
            Thread producer = new Thread(workload, "crash-it-producer");

            ChildJvm first = startSink(it, config, 1);
            producer.start();
            // kill once some batches are in, while records keep arriving
            awaitRows(it, first, workload, 3_000);
            // raw duplicates must stay visible until counted: no background merge may fold them away
            it.gateway.execute("SYSTEM STOP MERGES " + it.table("field_events"));
            first.kill();
            assertFalse(first.isAlive());
            long atKill = it.count("SELECT count() FROM " + it.table("field_events"));
            assertTrue(atKill <= EVENTS / 2, "killed before the end: " + atKill);

            workload.release.countDown();
            ChildJvm second = startSink(it, config, 2);
            producer.join(120_000);
            workload.assertNoFailure();
            it.awaitCaughtUp(Set.of(it.topics.events.name(), it.topics.cohortRetention.name()), Duration.ofSeconds(120));
            second.stop();
            assertFalse(second.isAlive());

            // nothing lost, and what analysts read counts each event once
            assertEquals(EVENTS, it.count("SELECT uniqExact(event_id) FROM " + it.table("field_events")));
            assertEquals(EVENTS, it.count("SELECT count() FROM " + it.table("v_field_events")));
            // rows written twice in the raw table: at most the batch whose rows were written but whose
            // position was not recorded when the kill landed (a restart that ignored the recorded
            // positions and commits would re-write everything up to the kill)
            long rawDuplicates = it.count("SELECT count() - uniqExact(event_id) FROM " + it.table("field_events"));
            System.out.println("raw rows written twice after the kill: " + rawDuplicates + " (kill at " + atKill + " rows)");
            assertTrue(rawDuplicates <= 500, "raw duplicates beyond one batch: " + rawDuplicates);
            it.gateway.execute("SYSTEM START MERGES " + it.table("field_events"));
            List<Map<String, String>> retention = it.gateway.query("SELECT cohort_id, version, enrolled FROM "
                    + it.table("v_cohort_retention") + " ORDER BY cohort_id");
            assertEquals(Workload.COHORTS, retention.size());
            for (Map<String, String> row : retention) {
                assertEquals(Integer.toString(VERSIONS), row.get("version"), row.toString());
                assertEquals(Integer.toString(VERSIONS), row.get("enrolled"), row.toString());
            }
            assertTrue(second.logTail(400).contains("sink loop stopped"), "clean stop through the shutdown hook:\n" + second.logTail(20));
        }
    }

    /** Waits until {@code rows} events are written; a sink that died or stalled fails with its log. */
    private static void awaitRows(ItSupport it, ChildJvm sink, Workload workload, long rows) {
        String table = it.table("field_events");
        try {
            ItSupport.awaitEquals(true, () -> !sink.isAlive() || it.count("SELECT count() FROM " + table) >= rows,
                    Duration.ofSeconds(90), "first sink wrote rows");
        } catch (ConditionTimeoutException e) {
            workload.assertNoFailure(); // a producer that failed sent nothing to write
            throw new AssertionError(sink.name() + " wrote fewer than " + rows + " rows in 90 s with " + workload.sent.get()
                    + " events sent; its log ends:\n" + sink.logTail(60), e);
        }
        assertTrue(sink.isAlive(), sink.name() + " died before writing " + rows + " rows; its log ends:\n" + sink.logTail(60));
    }

    private static ChildJvm startSink(ItSupport it, Path config, int n) {
        return ChildJvm.start("sink-" + n, SinkMain.class.getName(), List.of("-Xmx256m"),
                List.of("--config", config.toAbsolutePath().toString()), Path.of("target", "sink-crash-" + it.id + "-" + n + ".log"));
    }

    private static void writeConfig(Path file, SinkSettings s) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, String.join("\n",
                SettingKeys.BOOTSTRAP_SERVERS.key() + "=" + s.bootstrapServers(),
                SettingKeys.TOPIC_PREFIX.key() + "=" + s.topicPrefix(),
                SettingKeys.SINK_GROUP_ID.key() + "=" + s.groupId(),
                SettingKeys.CLICKHOUSE_URL.key() + "=" + s.clickHouseUrl(),
                SettingKeys.CLICKHOUSE_DATABASE.key() + "=" + s.database(),
                SettingKeys.SINK_BATCH_ROWS.key() + "=" + s.batchRows(),
                SettingKeys.SINK_BATCH_MS.key() + "=" + s.batchMillis(),
                SettingKeys.SINK_BACKOFF_MAX_MS.key() + "=" + s.backoffMaxMillis(),
                SettingKeys.SINK_SESSION_TIMEOUT_MS.key() + "=" + s.sessionTimeoutMillis(),
                SettingKeys.SINK_STATS_INTERVAL_MS.key() + "=2000", ""));
    }
}
