package org.fieldstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fieldstream.platform.ClickHouseService;
import org.fieldstream.platform.TestServices;
import org.fieldstream.schema.Migrations;
import org.junit.jupiter.api.Test;

/** ClickHouse stops for 30 s while records keep arriving; the sink waits, then drains the backlog. */
class SinkOutageIT {

    private static final int EVENTS = 12_000;
    private static final int VERSIONS = 20;

    @Test
    void backlogDrainsAfterClickHouseComesBackWithNothingLostOrDoubled() throws Exception {
        ClickHouseService clickHouse = TestServices.clickHouse();
        try (ItSupport it = new ItSupport()) {
            Migrations.apply(it.gateway, it.database);
            // a third of the events before the outage; the rest is released once ClickHouse is down
            Workload workload = new Workload(it, EVENTS, VERSIONS, 300, 1_000).holdingAt(EVENTS / 3);
            Thread producer = new Thread(workload, "outage-it-producer");
            SinkStats stats;
            try (InProcessSink sink = new InProcessSink(it.settings(1_000, 200))) {
                producer.start();
                ItSupport.awaitEquals(true, () -> it.count("SELECT count() FROM " + it.table("field_events")) > 0,
                        Duration.ofSeconds(60), "rows before the outage");
                clickHouse.stop();
                try {
                    int sentBefore = workload.sent.get();
                    workload.release.countDown();
                    ItSupport.sleep(30_000);
                    assertTrue(sink.stats().getWriteRetries() > 0, "the sink noticed the outage");
                    assertTrue(workload.sent.get() > sentBefore, "records arrived during the outage");
                } finally {
                    clickHouse.start();
                }
                producer.join(120_000);
                workload.assertNoFailure();
                it.awaitCaughtUp(Set.of(it.topics.events.name(), it.topics.cohortRetention.name()), Duration.ofSeconds(120));
                stats = sink.stats();
            }
            assertTrue(stats.getWriteRetries() > 0);
            assertEquals(EVENTS, it.count("SELECT count() FROM " + it.table("v_field_events")));
            assertEquals(EVENTS, it.count("SELECT uniqExact(event_id) FROM " + it.table("field_events")));
            List<Map<String, String>> retention = it.gateway.query("SELECT cohort_id, version, enrolled FROM "
                    + it.table("v_cohort_retention"));
            assertEquals(Workload.COHORTS, retention.size());
            for (Map<String, String> row : retention) {
                assertEquals(Integer.toString(VERSIONS), row.get("version"), row.toString());
                assertEquals(Integer.toString(VERSIONS), row.get("enrolled"), row.toString());
            }
        }
    }
}
