package org.fieldstream.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.fieldstream.app.LocalRun;
import org.fieldstream.app.bench.FamilyFreshness.Family;
import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.events.KafkaAccess;
import org.fieldstream.events.Settings;
import org.fieldstream.events.TopicSetup;
import org.fieldstream.events.Topics;
import org.fieldstream.platform.TestServices;
import org.fieldstream.reference.ReferenceData;
import org.fieldstream.reference.ReferenceLoader;
import org.fieldstream.sink.SinkMain;
import org.fieldstream.sink.SinkSettings;
import org.fieldstream.streams.MetricsTopology;
import org.fieldstream.streams.StreamsSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's freshness of every family on the real broker and ClickHouse, streams and sink
 * running: two tries idle and up to two with the dialogue probe's events (5/s) sent beside them to another
 * program's partner. Every family is measured on every try, in ClickHouse and on its committed topic,
 * and the table shows each family.
 */
class FamilyFreshnessIT {

    @TempDir
    Path work;

    @Test
    void everyFamilyIsMeasuredFromPushToClickHouseIdleAndUnderLoad() throws Exception {
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String database = "it_freshness_" + run;
        ReferenceData reference = ReferenceData.bundled();
        Map<String, String> config = new HashMap<>(Map.of(
                "FIELDSTREAM_BOOTSTRAP_SERVERS", TestServices.kafka().bootstrapServers(),
                "FIELDSTREAM_TOPIC_PREFIX", "it-" + run + ".",
                "FIELDSTREAM_CLICKHOUSE_URL", TestServices.clickHouse().httpUrl(),
                "FIELDSTREAM_CLICKHOUSE_DATABASE", database,
                "FIELDSTREAM_STREAMS_APPLICATION_ID", "it-freshness-" + run,
                "FIELDSTREAM_STREAMS_STATE_DIR", work.resolve("state").toString(),
                "FIELDSTREAM_SINK_GROUP_ID", "it-sink-" + run));
        reference.programs().forEach(p -> config.put(LocalRun.secretVariable(p.getProgramId()), LocalRun.randomSecret()));
        Topics topics = new Topics(config.get("FIELDSTREAM_TOPIC_PREFIX"));
        Map<String, Object> kafka = KafkaAccess.clients(Settings.load(Map.of(), null, config, List.of(KafkaAccess.BOOTSTRAP_SERVERS)));
        try (Admin admin = Admin.create(kafka)) {
            TopicSetup.ensure(admin, topics, 3, (short) 1);
        }
        ReferenceLoader.publish(kafka, topics, reference);
        StreamsSettings streamsSettings = StreamsSettings.load(null, config);
        try (KafkaStreams streams = new KafkaStreams(MetricsTopology.build(streamsSettings), streamsSettings.streamsProperties());
             ClickHouseGateway clickHouse = new ClickHouseGateway(TestServices.clickHouse().httpUrl(), "default", "")) {
            streams.start();
            try (SinkMain.Running sink = SinkMain.start(SinkSettings.load(null, config))) {
                awaitTable(clickHouse, database);
                var load = reference.partners().get(0);
                var host = reference.partners().stream().filter(p -> !p.getProgramId().equals(load.getProgramId())).findFirst().orElseThrow();
                try (FamilyFreshnessProbe probe = new FamilyFreshnessProbe(config, topics, clickHouse, database, host.getProgramId(),
                        host.getPartnerId(), "bd-savar-ashulia-purbapara")) {
                    List<FamilyFreshness.Sample> idle = probe.run(2, () -> true);
                    check(idle, 2);

                    FreshnessProbe dialogues = new FreshnessProbe(config.get("FIELDSTREAM_BOOTSTRAP_SERVERS"), topics, clickHouse, database,
                            load.getProgramId(), load.getPartnerId(), reference.orgUnits().get(0).getOrgUnitId());
                    CompletableFuture<FreshnessProbe.Result> background = CompletableFuture.supplyAsync(() -> {
                        try {
                            return dialogues.run(5, 60);
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    List<FamilyFreshness.Sample> loaded = probe.run(2, () -> !background.isDone());
                    // at least one try while the load ran (a try may take long on a busy machine)
                    int triesLoaded = (int) loaded.stream().filter(x -> x.family() == Family.DIALOGUES).count();
                    assertTrue(triesLoaded >= 1, loaded.toString());
                    check(loaded, triesLoaded);
                    assertEquals(0, background.join().unseen());

                    List<FamilyFreshness.Summary> idleSummaries = FamilyFreshness.summarize(idle);
                    String table = FamilyFreshness.table(idleSummaries, FamilyFreshness.summarize(loaded), "at 100/s");
                    assertEquals(2 + Family.values().length, table.lines().count(), table);
                    for (Family family : Family.values()) {
                        assertTrue(table.contains(family.label), table);
                    }
                    for (FamilyFreshness.Summary s : idleSummaries) {
                        assertTrue(s.shareBeforeTopic() > 0 && s.shareBeforeTopic() <= 1, s.toString());
                    }
                }
            }
        }
    }

    /** Every family on every try: seen on its topic and in ClickHouse, outreach twice a try (presence and dialogue attendee). */
    private static void check(List<FamilyFreshness.Sample> samples, int tries) {
        Map<Family, Long> counts = samples.stream().collect(Collectors.groupingBy(FamilyFreshness.Sample::family, Collectors.counting()));
        Set<Family> outreach = EnumSet.of(Family.OUTREACH_MONTH, Family.OUTREACH_QUARTER, Family.OUTREACH_TO_DATE);
        for (Family family : Family.values()) {
            assertEquals(outreach.contains(family) ? 2L * tries : tries, counts.get(family), family + ": " + samples);
        }
        for (FamilyFreshness.Sample s : samples) {
            assertFalse(Double.isNaN(s.visibleMs()), "never visible in ClickHouse: " + s + " of " + samples);
            assertFalse(Double.isNaN(s.onTopicMs()), "never on its committed topic: " + s + " of " + samples);
            assertTrue(s.visibleMs() > 0 && s.visibleMs() < 60_000, s.toString());
            // the sink reads the committed topic before ClickHouse shows the row; the bench's consumer may lag a little
            assertTrue(s.onTopicMs() <= s.visibleMs() + 500, s.toString());
        }
    }

    private static void awaitTable(ClickHouseGateway clickHouse, String database) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!clickHouse.tableExists(database, "outreach") || !clickHouse.tableExists(database, "dialogue_attendance")) {
            assertTrue(System.nanoTime() < deadline, "the sink created no tables in 90 s");
            Thread.sleep(250);
        }
    }
}
